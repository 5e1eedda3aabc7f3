import { join } from 'node:path'
import { loadBudgetsIn } from '../app/budgets-file.js'
import { recordTiming, type RecordRequest } from '../app/record.js'
import { csvSpool } from '../app/spool.js'
import { Deadline } from '../core/deadline.js'
import { exitCodeForStatus } from '../core/row.js'
import { contentionAmong, landedIn } from '../core/spread.js'
import type { Status } from '../core/schema.js'
import { createClient, type GitHubClient } from '../github/octokit.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import { State } from './constants.js'
import { readRunContext, type RunContext } from './context.js'
import { parseInputs, type ActionInputs } from './inputs.js'
import { actionLog, toolkitIO, type ActionIO } from './io.js'
import { cacheEntries } from './cache-probe.js'
import { cacheCarrier } from './carry-cache.js'
import { cacheOffers } from './offer-cache.js'
import { chooseStart, jobTiming, statusFromJob, type JobTiming, type Start } from './job-timing.js'
import { jobSummary } from './job-summary.js'
import { runStage, type StageVerdict } from './stage.js'
import { commentOnPr, failure, setOutputs, tellOutcome } from './job-outcome.js'
import { exportJob } from './job-telemetry.js'
import { finishSampling } from '../telemetry/sampler.js'

function withFlag(flags: string, flag: string): string {
  return flags.trim() ? `${flags.trim()} ${flag}` : flag
}

/** post: the job's timing, judged, recorded, reported. Only `fail-on` can fail the job (stage.ts). */
export async function runPost(io: ActionIO = toolkitIO()): Promise<void> {
  const end = io.now()
  await runStage(io, async (io, secrets) => {
    const inputs = parseInputs((name) => io.input(name), io.env)
    if (inputs.token) {
      io.setSecret(inputs.token)
      secrets.push(inputs.token)
    }
    // mode: run records the whole run from main; this job's own timing is not part of it.
    if (inputs.mode === 'run') return null
    // One deadline for everything post waits on GitHub for (README "Inputs", `max-wait`).
    const clock = (): number => io.now().getTime()
    const deadline = Deadline.after(inputs.maxWaitSeconds * 1000, clock, end.getTime())
    return post(io, inputs, readRunContext(io.env), end, deadline)
  })
}

function skipReason(inputs: ActionInputs, ctx: RunContext): string | null {
  if (inputs.dryRun) return 'dry run: nothing was written to the registry'
  if (!inputs.token)
    return 'no github-token: the row was not written; pass github-token (default ${{ github.token }})'
  if (ctx.readOnlyReason) return `${ctx.readOnlyReason}: no registry write or comment was attempted`
  return null
}

async function post(
  io: ActionIO,
  inputs: ActionInputs,
  ctx: RunContext,
  end: Date,
  deadline: Deadline,
): Promise<StageVerdict> {
  const log = actionLog(io)
  const usage = finishSampling(io.state(State.Sampler))
  const client: GitHubClient | null = inputs.token
    ? createClient({ token: inputs.token, baseUrl: ctx.apiUrl, log: log.info, deadline })
    : null
  const timing = client ? await jobTiming(client, ctx, inputs.jobId) : null
  const start = chooseStart(io.state(State.PreStart), timing, io.state(State.MainStart), end)
  if (start.from === 'none')
    log.warning('the start of the job is unknown (no pre, main or Jobs API start); duration recorded as 0.')
  const status = statusFromJob(inputs.jobStatus)
  const budgets = (await loadBudgetsIn(ctx.workspace, inputs.budgetsFile, log)).budgets
  // main warned about these already; here they only explain what post does.
  for (const warning of inputs.warnings) log.info(warning)
  const cacheEntriesOfJob = await cacheEntries(inputs, log)
  const skipped = skipReason(inputs, ctx)
  // Even when nothing may be written, the registry is read for the trend (read-only tokens can read).
  const writers = timing?.writers ?? null
  // Writers of this run finishing together share commits through the Actions cache (offer-cache.ts).
  const share =
    writers && !skipped
      ? cacheOffers({ registry: inputs.registry, run: ctx, writers, env: io.env, log: log.info })
      : null
  const store = client
    ? new GitHubContentsStore({
        client,
        ...inputs.registry,
        deadline,
        // Writers of this run take turns by their position among those whose rows have not landed.
        spread: {
          contention: (text) => (writers ? contentionAmong(writers, landedIn(text, ctx)) : null),
          ...(share ? { share } : {}),
        },
      })
    : null
  const result = await recordTiming({
    event: { ...jobEvent(inputs, ctx, { start, end, status, timing }), usage },
    budgets,
    cacheEntries: cacheEntriesOfJob,
    store,
    write: !skipped,
    spool: csvSpool(join(ctx.runnerTemp || '.', 'build-timings', 'spool.csv')),
    failOn: inputs.failOn,
    carrier:
      cacheCarrier({
        registry: inputs.registry,
        runId: ctx.runId,
        runAttempt: ctx.runAttempt,
        job: inputs.jobId || ctx.job,
        env: io.env,
        log: log.info,
      }) ?? undefined,
  })
  tellOutcome(io, result, skipped, log)
  // A job whose row another job of the run wrote leaves the comment to that job, which renders it.
  const commenting = !result.problem && !result.outcome?.writtenByAnother
  if (inputs.comment === 'auto' && client && store && !skipped && ctx.prNumber && commenting) {
    await commentOnPr(ctx, { client, store, env: result.row.env, budgets, log, writers, deadline })
  }
  await io.writeSummary(jobSummary(result, timing, budgets, { skipped, problem: result.problem }))
  setOutputs(io, result)
  await exportJob(inputs, ctx, { result, timing, budgets, secrets: inputs.token ? [inputs.token] : [] }, log)
  return result.fails ? failure(result, inputs) : null
}

interface JobEnd {
  start: Start
  end: Date
  status: Status
  timing: JobTiming | null
}

/** The job as the use case's event: inputs and run context, nothing judged. */
function jobEvent(inputs: ActionInputs, ctx: RunContext, job: JobEnd): RecordRequest['event'] {
  const { start, end, status, timing } = job
  return {
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
  }
}
