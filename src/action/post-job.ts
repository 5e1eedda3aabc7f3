import * as core from '@actions/core'
import { join, resolve } from 'node:path'
import { loadBudgetsFile } from '../app/budgets-file.js'
import { recordTiming, type RecordResult } from '../app/record.js'
import { spoolRows } from '../app/spool.js'
import { failsJob } from '../core/budgets.js'
import { parseCacheHits } from '../core/cache.js'
import { rowsAsCsv } from '../core/csv.js'
import { errorMessage, InputError } from '../core/errors.js'
import { exitCodeForStatus } from '../core/row.js'
import { isStatus, type Status } from '../core/schema.js'
import { redactSecrets } from '../core/sanitize.js'
import { createClient, type GitHubClient } from '../github/octokit.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import { Output, State } from './constants.js'
import { readRunContext, type RunContext } from './context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { probeCaches } from './cache-probe.js'
import { jobTiming, type JobTiming } from './job-timing.js'
import { jobSummary } from './report.js'
import { postComment } from './comment.js'

/** `${{ job.status }}` at post time: success, failure or cancelled. */
export function statusFromJob(value: string): Status {
  const v = value.trim().toLowerCase()
  return isStatus(v) ? v : 'unknown'
}

interface Start {
  at: Date
  estimated: boolean
  from: 'pre' | 'jobs-api' | 'main' | 'none'
}

/** pre's start, else the Jobs API's started_at, else main's (SPEC §4); the last two are marked estimated. */
export function chooseStart(pre: string, job: JobTiming | null, main: string, end: Date): Start {
  const valid = (s: string): Date | null => {
    const d = s ? new Date(s) : null
    return d && !Number.isNaN(d.getTime()) && d.getTime() <= end.getTime() ? d : null
  }
  const fromPre = valid(pre)
  if (fromPre) return { at: fromPre, estimated: false, from: 'pre' }
  const fromApi = job?.startedAt ? valid(job.startedAt) : null
  if (fromApi) return { at: fromApi, estimated: true, from: 'jobs-api' }
  const fromMain = valid(main)
  if (fromMain) return { at: fromMain, estimated: true, from: 'main' }
  return { at: end, estimated: true, from: 'none' }
}

function withFlag(flags: string, flag: string): string {
  return flags.trim() ? `${flags.trim()} ${flag}` : flag
}

/**
 * post: the job's timing, judged, recorded, reported. Only `fail-on` can fail the job; any trouble of our own
 * becomes one warning (SPEC §4).
 */
export async function runPost(
  env: NodeJS.ProcessEnv = process.env,
  now: () => Date = () => new Date(),
): Promise<void> {
  const end = now()
  let secrets: string[] = []
  try {
    const inputs = parseInputs((name) => core.getInput(name), env)
    if (inputs.token) {
      core.setSecret(inputs.token)
      secrets = [inputs.token]
    }
    const ctx = readRunContext(env)
    await post(inputs, ctx, end)
  } catch (e) {
    const what = e instanceof InputError ? `${errorMessage(e)}` : `unexpected problem: ${errorMessage(e)}`
    core.warning(`build-timings: ${redactSecrets(what, secrets)} — the job's result is unchanged.`)
  }
}

async function post(inputs: ActionInputs, ctx: RunContext, end: Date): Promise<void> {
  const log = (line: string): void => core.info(`build-timings: ${line}`)
  // mode: run records the whole run from main; this job's own timing is not part of it.
  if (inputs.mode === 'run') return
  const client: GitHubClient | null = inputs.token
    ? createClient({ token: inputs.token, baseUrl: ctx.apiUrl, log })
    : null
  const timing = client ? await jobTiming(client, ctx, inputs.jobId) : null
  const start = chooseStart(core.getState(State.PreStart), timing, core.getState(State.MainStart), end)
  if (start.from === 'none')
    core.warning(
      'build-timings: the start of the job is unknown (no pre, main or Jobs API start); duration recorded as 0.',
    )
  const status = statusFromJob(inputs.jobStatus)

  const budgets = await loadBudgetsFile(resolve(ctx.workspace, inputs.budgetsFile), inputs.budgetsFile)
  if (budgets.warning) core.warning(`build-timings: ${budgets.warning}`)
  // main warned about these already; here they only explain what post does.
  for (const warning of inputs.warnings) log(warning)
  const cache = parseCacheHits(inputs.cacheHits)
  // A cache named in cache-hits keeps that answer; probes fill in the caches declared by key and paths.
  const probed = (await probeCaches(inputs.cacheProbes, log)).filter(
    (p) => !cache.entries.some((e) => e.name === p.name),
  )
  if (cache.invalid.length) {
    core.warning(
      `build-timings: cache-hits lines not understood: ${cache.invalid.join('; ')} — use name=\${{ steps.<id>.outputs.cache-hit }}`,
    )
  }

  let skipped: string | null = null
  if (inputs.dryRun) skipped = 'dry run: nothing was written to the registry'
  else if (!inputs.token)
    skipped = 'no github-token: the row was not written; pass github-token (default ${{ github.token }})'
  else if (ctx.readOnlyReason) skipped = `${ctx.readOnlyReason}: no registry write or comment was attempted`
  const { owner, repo, branch, pathTemplate } = inputs.registry
  // Even when nothing may be written, the registry is read for the trend (read-only tokens can read).
  const store = client ? new GitHubContentsStore({ client, owner, repo, branch, pathTemplate }) : null

  const result = await recordTiming({
    event: {
      source: 'github',
      phase: inputs.phase,
      env: inputs.env,
      buildId: inputs.buildId,
      start: start.at,
      end,
      exitCode: exitCodeForStatus(status),
      status,
      flags: start.estimated ? withFlag(inputs.flags, 'start=estimated') : inputs.flags,
      repository: ctx.repository,
      runId: ctx.runId,
      runAttempt: ctx.runAttempt,
      jobId: inputs.jobId,
      jobKey: ctx.job,
      ref: ctx.ref,
      sha: ctx.sha,
      prNumber: ctx.prNumber,
      runner: ctx.runner,
      queueSeconds: timing?.queueSeconds,
      secrets: inputs.token ? [inputs.token] : [],
    },
    budgets: budgets.budgets,
    cacheEntries: [...cache.entries, ...probed],
    store,
    write: !skipped,
  })

  if (skipped) core.notice(`build-timings: ${skipped}. The row is in the job summary.`)
  let kept: string | null = null
  if (result.problem) {
    kept = spoolRows(join(ctx.runnerTemp || '.', 'build-timings', 'spool.csv'), [result.row])
    core.warning(
      `build-timings: ${result.problem} The row is in the job summary${kept ? ` and in ${kept}` : ''}.`,
    )
    core.info(rowsAsCsv([result.row]))
  }
  reportOutcome(result, log)

  if (inputs.comment === 'auto' && client && store && !skipped && ctx.prNumber && !result.problem) {
    await postComment({ client, ctx, store, env: result.row.env, budgets: budgets.budgets, log })
  }
  await writeSummary(jobSummary(result, timing, budgets.budgets, { skipped, problem: result.problem }))

  core.setOutput(Output.Duration, result.row.duration_seconds)
  core.setOutput(Output.Status, result.row.status)
  core.setOutput(Output.BudgetStatus, result.verdict)
  core.setOutput(Output.RowId, result.row.row_id)
  core.setOutput(Output.RegistryCommit, result.outcome?.commit ?? '')

  if (failsJob(result.verdict, inputs.failOn)) {
    const limit = result.verdict === 'timeout' ? result.budget?.timeout : result.budget?.max
    core.setFailed(
      `build-timings: "${result.row.phase}" took ${result.row.duration_seconds}s, ${result.verdict.replace('_', ' ')} (limit ${limit ?? '?'}s); failing because fail-on is ${inputs.failOn}.`,
    )
  }
}

function reportOutcome(result: RecordResult, log: (line: string) => void): void {
  const { row, outcome } = result
  log(`"${row.phase}" ${row.status} in ${row.duration_seconds}s, budget ${result.verdict}`)
  if (!outcome) return
  if (outcome.appended.length)
    log(`row ${row.row_id} written to ${outcome.location} (commit ${outcome.commit ?? '?'})`)
  else log(`row ${row.row_id} was already in ${outcome.location}; nothing written`)
  if (outcome.droppedColumns.length && outcome.appended.length) {
    core.notice(
      `build-timings: ${outcome.location} has a legacy header; the row was written in its shape without: ${outcome.droppedColumns.join(', ')}.`,
    )
  }
}

async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (e) {
    core.info(`build-timings: no job summary (${errorMessage(e)})`)
  }
}
