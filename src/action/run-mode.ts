import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadBudgetsFile } from '../app/budgets-file.js'
import { budgetFor, budgetVerdict, failsJob, type Budgets } from '../core/budgets.js'
import { rowsAsCsv } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import { buildRow, exitCodeForStatus } from '../core/row.js'
import type { BudgetStatus, Row, Status } from '../core/schema.js'
import { humanDuration } from '../core/time.js'
import { listRunJobs, type JobInfo } from '../github/jobs.js'
import { createClient } from '../github/octokit.js'
import { upsertRunComment } from '../app/pr-comment.js'
import { registryProblem } from '../app/record.js'
import { spoolRows } from '../app/spool.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import { commitMessage } from '../registry/port.js'
import { Output } from './constants.js'
import type { RunContext } from './context.js'
import type { ActionInputs } from './inputs.js'

/** The run to record: the one that triggered a `workflow_run` workflow, else this run. */
export interface TargetRun {
  repository: string
  owner: string
  repo: string
  runId: string
  runAttempt: string
  workflow: string
  ref: string
  sha: string
  prNumber: number | undefined
  /** The job running this action, left out of a run recorded from inside itself. */
  selfJobId: string
  selfJobName: string
}

interface WorkflowRunPayload {
  workflow_run?: {
    id?: number
    run_attempt?: number
    name?: string
    head_sha?: string
    head_branch?: string
    pull_requests?: { number?: number }[]
    repository?: { full_name?: string }
  }
}

export function targetRun(ctx: RunContext, env: NodeJS.ProcessEnv, jobId: string): TargetRun {
  let payload: WorkflowRunPayload = {}
  try {
    if (ctx.eventName === 'workflow_run' && env.GITHUB_EVENT_PATH) {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as WorkflowRunPayload
    }
  } catch {
    payload = {}
  }
  const wr = payload.workflow_run
  if (wr?.id) {
    const repository = wr.repository?.full_name ?? ctx.repository
    const [owner = '', repo = ''] = repository.split('/')
    return {
      repository,
      owner,
      repo,
      runId: String(wr.id),
      runAttempt: String(wr.run_attempt ?? 1),
      workflow: wr.name ?? ctx.workflow,
      ref: wr.head_branch ?? '',
      sha: wr.head_sha ?? '',
      prNumber: wr.pull_requests?.[0]?.number,
      selfJobId: '',
      selfJobName: '',
    }
  }
  return {
    repository: ctx.repository,
    owner: ctx.owner,
    repo: ctx.repo,
    runId: ctx.runId,
    runAttempt: ctx.runAttempt,
    workflow: ctx.workflow,
    ref: ctx.ref,
    sha: ctx.sha,
    prNumber: ctx.prNumber,
    selfJobId: jobId,
    selfJobName: ctx.job,
  }
}

/** A finished job's conclusion as a registry status. */
export function statusFromConclusion(conclusion: string | null): Status {
  switch (conclusion) {
    case 'success':
    case 'failure':
    case 'cancelled':
    case 'skipped':
      return conclusion
    case 'timed_out':
      return 'failure'
    default:
      return 'unknown'
  }
}

export interface RunRows {
  rows: Row[]
  verdicts: BudgetStatus[]
  /** Jobs left out because they had not finished (or are this job). */
  unfinished: string[]
}

/** Pure: the rows of a run's finished jobs (source `github-run`). */
export function rowsForRun(
  jobs: readonly JobInfo[],
  run: TargetRun,
  inputs: Pick<ActionInputs, 'env' | 'buildId' | 'flags'>,
  budgets: Budgets,
  secrets: readonly string[],
): RunRows {
  const rows: Row[] = []
  const verdicts: BudgetStatus[] = []
  const unfinished: string[] = []
  for (const job of jobs) {
    if (String(job.id) === run.selfJobId) continue
    const start = Date.parse(job.startedAt ?? '')
    const end = Date.parse(job.completedAt ?? '')
    if (job.status !== 'completed' || !Number.isFinite(start) || !Number.isFinite(end)) {
      if (!(run.selfJobId === '' && job.name === run.selfJobName)) unfinished.push(job.name)
      continue
    }
    const created = Date.parse(job.createdAt ?? '')
    const status = statusFromConclusion(job.conclusion)
    const seconds = Math.max(0, Math.round((end - start) / 1000))
    const budget = budgetFor(budgets, job.name)
    const verdict = budgetVerdict(seconds, budget)
    verdicts.push(verdict)
    rows.push(
      buildRow({
        source: 'github-run',
        phase: job.name,
        env: inputs.env,
        buildId: inputs.buildId,
        start: new Date(start),
        end: new Date(Math.max(start, end)),
        exitCode: exitCodeForStatus(status),
        status,
        flags: inputs.flags,
        repository: run.repository,
        runId: run.runId,
        runAttempt: run.runAttempt,
        jobId: String(job.id),
        ref: run.ref,
        sha: run.sha,
        prNumber: run.prNumber,
        runner: job.runnerName ?? '',
        queueSeconds: Number.isFinite(created)
          ? Math.max(0, Math.round((start - created) / 1000))
          : undefined,
        budget: { target: budget?.target, max: budget?.max, status: verdict },
        secrets,
      }),
    )
  }
  return { rows, verdicts, unfinished }
}

const RANK: Record<BudgetStatus, number> = { none: 0, ok: 1, over_target: 2, over_max: 3, timeout: 4 }

/**
 * `mode: run`: every finished job of the run in one commit (FACTS: one write instead of one per job keeps
 * a large matrix inside the content-creation limits), then one comment and one summary.
 */
export async function recordRun(
  inputs: ActionInputs,
  ctx: RunContext,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const log = (line: string): void => core.info(`build-timings: ${line}`)
  const run = targetRun(ctx, env, inputs.jobId)
  if (!inputs.token) {
    core.warning(
      'build-timings: mode "run" reads the Jobs API and needs github-token (default ${{ github.token }}).',
    )
    return
  }
  const client = createClient({ token: inputs.token, baseUrl: ctx.apiUrl, log })
  const answer = await listRunJobs(client, run.owner, run.repo, Number(run.runId), Number(run.runAttempt))
  if (!answer.value) {
    core.warning(`build-timings: mode "run" could not list the jobs: ${answer.reason}`)
    return
  }
  const budgets = await loadBudgetsFile(resolve(ctx.workspace, inputs.budgetsFile), inputs.budgetsFile)
  if (budgets.warning) core.warning(`build-timings: ${budgets.warning}`)
  // build-id defaults to this run's id; recorded from workflow_run, the triggering run's id is meant.
  const buildId = !inputs.buildId || inputs.buildId === ctx.runId ? run.runId : inputs.buildId
  const { rows, verdicts, unfinished } = rowsForRun(
    answer.value,
    run,
    { ...inputs, buildId },
    budgets.budgets,
    [inputs.token],
  )
  if (unfinished.length) {
    core.notice(
      `build-timings: ${unfinished.length} job(s) had not finished and were left out (${unfinished.slice(0, 5).join(', ')}); run this job with needs: and if: always(), or from workflow_run.`,
    )
  }
  log(`${rows.length} finished job(s) of run ${run.runId} attempt ${run.runAttempt}`)

  let skipped: string | null = null
  if (inputs.dryRun) skipped = 'dry run: nothing was written to the registry'
  else if (ctx.readOnlyReason) skipped = `${ctx.readOnlyReason}: no registry write or comment was attempted`
  let commit = ''
  let problem: string | null = null
  const { owner, repo, branch, pathTemplate } = inputs.registry
  const store = new GitHubContentsStore({ client, owner, repo, branch, pathTemplate })
  if (!skipped && rows.length) {
    try {
      const outcome = await store.append(inputs.env, rows, commitMessage(rows[0] as Row, rows.length))
      commit = outcome.commit ?? ''
      log(
        `${outcome.appended.length} row(s) written to ${outcome.location}, ${outcome.duplicates.length} already there`,
      )
    } catch (e) {
      problem = registryProblem(e, store.label)
      const kept = spoolRows(resolve(ctx.runnerTemp || '.', 'build-timings', 'spool.csv'), rows)
      core.warning(
        `build-timings: ${problem} The rows are in the job summary${kept ? ` and in ${kept}` : ''}.`,
      )
    }
  }
  if (skipped) core.notice(`build-timings: ${skipped}. The rows are in the job summary.`)

  if (inputs.comment === 'auto' && !skipped && !problem && run.prNumber && rows.length) {
    await upsertRunComment({
      client,
      owner: run.owner,
      repo: run.repo,
      prNumber: run.prNumber,
      workflow: run.workflow,
      store,
      env: inputs.env,
      selectRun: (r) =>
        r.repository === run.repository && r.run_id === run.runId && r.run_attempt === run.runAttempt,
      budgets: budgets.budgets,
      log,
    })
  }

  try {
    const lines = rows.map(
      (r) =>
        `| ${r.phase.replace(/\|/g, '\\|')} | ${r.status} | ${humanDuration(Number(r.duration_seconds))} | ${r.budget_status} |`,
    )
    let md = `### build-timings: run ${run.runId} (${rows.length} jobs)\n\n| job | status | duration | budget |\n|---|---|---:|---|\n${lines.join('\n')}\n`
    if (skipped || problem)
      md += `\nNot written to the registry: ${problem ?? skipped}\n\n\`\`\`csv\n${rowsAsCsv(rows)}\`\`\`\n`
    await core.summary.addRaw(md).write()
  } catch (e) {
    log(`no job summary (${errorMessage(e)})`)
  }

  const worst = verdicts.reduce<BudgetStatus>((w, v) => (RANK[v] > RANK[w] ? v : w), 'none')
  const total = rows.reduce((sum, r) => sum + Number(r.duration_seconds), 0)
  core.setOutput(Output.Duration, String(total))
  core.setOutput(
    Output.Status,
    rows.some((r) => r.status === 'failure') ? 'failure' : rows.length ? 'success' : 'unknown',
  )
  core.setOutput(Output.BudgetStatus, worst)
  core.setOutput(Output.RowId, rows.map((r) => r.row_id).join('\n'))
  core.setOutput(Output.RegistryCommit, commit)
  if (failsJob(worst, inputs.failOn)) {
    const over = rows
      .filter((r) => failsJob(r.budget_status as BudgetStatus, inputs.failOn))
      .map((r) => r.phase)
    core.setFailed(
      `build-timings: ${over.join(', ')} ${over.length === 1 ? 'is' : 'are'} ${worst.replace('_', ' ')}; failing because fail-on is ${inputs.failOn}.`,
    )
  }
}
