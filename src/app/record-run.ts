import { budgetFor, budgetVerdict, failsJob, type Budgets, type FailOn } from '../core/budgets.js'
import { renderRunSummary } from '../core/render/run-summary.js'
import { buildRow, exitCodeForStatus } from '../core/row.js'
import type { BudgetStatus, Row, Status } from '../core/schema.js'
import { listRunJobs, type JobInfo } from '../github/jobs.js'
import type { GitHubClient } from '../github/octokit.js'
import { commitMessage, type RegistryStore } from '../registry/port.js'
import type { UseCaseLog } from './ports.js'
import { upsertRunComment } from './pr-comment.js'
import { registryProblem } from './record.js'
import type { Spool } from './spool.js'

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

export interface RowFields {
  env: string
  buildId: string
  flags: string
}

/** Pure: the rows of a run's finished jobs (source `github-run`). */
export function rowsForRun(
  jobs: readonly JobInfo[],
  run: TargetRun,
  fields: RowFields,
  budgets: Budgets,
  secrets: readonly string[],
): RunRows {
  const out: RunRows = { rows: [], verdicts: [], unfinished: [] }
  for (const job of jobs) {
    if (String(job.id) === run.selfJobId) continue
    const start = Date.parse(job.startedAt ?? '')
    const end = Date.parse(job.completedAt ?? '')
    if (job.status !== 'completed' || !Number.isFinite(start) || !Number.isFinite(end)) {
      if (!(run.selfJobId === '' && job.name === run.selfJobName)) out.unfinished.push(job.name)
      continue
    }
    const row = jobRow(job, start, end, run, fields, budgets, secrets)
    out.verdicts.push(row.budget_status as BudgetStatus)
    out.rows.push(row)
  }
  return out
}

function jobRow(
  job: JobInfo,
  start: number,
  end: number,
  run: TargetRun,
  fields: RowFields,
  budgets: Budgets,
  secrets: readonly string[],
): Row {
  const created = Date.parse(job.createdAt ?? '')
  const status = statusFromConclusion(job.conclusion)
  const budget = budgetFor(budgets, job.name)
  const verdict = budgetVerdict(Math.max(0, Math.round((end - start) / 1000)), budget)
  return buildRow({
    source: 'github-run',
    phase: job.name,
    env: fields.env,
    buildId: fields.buildId,
    start: new Date(start),
    end: new Date(Math.max(start, end)),
    exitCode: exitCodeForStatus(status),
    status,
    flags: fields.flags,
    repository: run.repository,
    runId: run.runId,
    runAttempt: run.runAttempt,
    jobId: String(job.id),
    ref: run.ref,
    sha: run.sha,
    prNumber: run.prNumber,
    runner: job.runnerName ?? '',
    queueSeconds: Number.isFinite(created) ? Math.max(0, Math.round((start - created) / 1000)) : undefined,
    budget: { target: budget?.target, max: budget?.max, status: verdict },
    secrets,
  })
}

const RANK: Record<BudgetStatus, number> = { none: 0, ok: 1, over_target: 2, over_max: 3, timeout: 4 }

export interface RecordRunRequest {
  client: GitHubClient
  run: TargetRun
  fields: RowFields
  loadBudgets: () => Promise<Budgets>
  failOn: FailOn
  secrets: readonly string[]
  store: RegistryStore
  /** Why nothing may be written (dry run, read-only token), or null. */
  skipped: string | null
  comment: boolean
  spool: Spool
  log: UseCaseLog
}

export interface RecordRunOutcome {
  rows: Row[]
  worst: BudgetStatus
  totalSeconds: number
  status: Status
  commit: string
  /** The job summary, Markdown. */
  summary: string
  /** The message to fail the job with, when fail-on asks for it. */
  failure: string | null
}

/**
 * `mode: run`: every finished job of the run in one commit (one write instead of one per job keeps a large
 * matrix inside the content-creation limits: docs/architecture.md "Rate limits"), then one comment and one
 * summary. Null when the jobs could not be listed (one warning said why).
 */
export async function recordRun(req: RecordRunRequest): Promise<RecordRunOutcome | null> {
  const { run, log } = req
  const answer = await listRunJobs(req.client, run.owner, run.repo, Number(run.runId), Number(run.runAttempt))
  if (!answer.value) {
    log.warning(`mode "run" could not list the jobs: ${answer.reason}`)
    return null
  }
  const budgets = await req.loadBudgets()
  const { rows, verdicts, unfinished } = rowsForRun(answer.value, run, req.fields, budgets, req.secrets)
  if (unfinished.length) {
    log.notice(
      `${unfinished.length} job(s) had not finished and were left out (${unfinished.slice(0, 5).join(', ')}); run this job with needs: and if: always(), or from workflow_run.`,
    )
  }
  log.info(`${rows.length} finished job(s) of run ${run.runId} attempt ${run.runAttempt}`)

  const { commit, problem } =
    req.skipped || !rows.length ? { commit: '', problem: null } : await writeRows(req, rows)
  if (req.skipped) log.notice(`${req.skipped}. The rows are in the job summary.`)
  if (req.comment && !req.skipped && !problem && run.prNumber && rows.length) {
    await upsertRunComment({
      client: req.client,
      owner: run.owner,
      repo: run.repo,
      prNumber: run.prNumber,
      workflow: run.workflow,
      store: req.store,
      env: req.fields.env,
      selectRun: (r) =>
        r.repository === run.repository && r.run_id === run.runId && r.run_attempt === run.runAttempt,
      budgets,
      log: (line) => log.info(line),
    })
  }
  const worst = verdicts.reduce<BudgetStatus>((w, v) => (RANK[v] > RANK[w] ? v : w), 'none')
  return {
    rows,
    worst,
    totalSeconds: rows.reduce((sum, r) => sum + Number(r.duration_seconds), 0),
    status: rows.some((r) => r.status === 'failure') ? 'failure' : rows.length ? 'success' : 'unknown',
    commit,
    summary: renderRunSummary(run.runId, rows, problem ?? req.skipped),
    failure: runFailure(rows, worst, req.failOn),
  }
}

async function writeRows(
  req: RecordRunRequest,
  rows: Row[],
): Promise<{ commit: string; problem: string | null }> {
  try {
    const outcome = await req.store.append(req.fields.env, rows, commitMessage(rows[0] as Row, rows.length))
    req.log.info(
      `${outcome.appended.length} row(s) written to ${outcome.location}, ${outcome.duplicates.length} already there`,
    )
    return { commit: outcome.commit ?? '', problem: null }
  } catch (e) {
    const problem = registryProblem(e, req.store.label)
    const kept = await req.spool.keep(rows)
    req.log.warning(`${problem} The rows are in the job summary${kept.where ? ` and in ${kept.where}` : ''}.`)
    return { commit: '', problem }
  }
}

function runFailure(rows: readonly Row[], worst: BudgetStatus, failOn: FailOn): string | null {
  if (!failsJob(worst, failOn)) return null
  const over = rows.filter((r) => failsJob(r.budget_status as BudgetStatus, failOn)).map((r) => r.phase)
  return `${over.join(', ')} ${over.length === 1 ? 'is' : 'are'} ${worst.replace('_', ' ')}; failing because fail-on is ${failOn}.`
}
