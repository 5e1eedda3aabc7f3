import { handOverToLaterWriters, upsertRunComment } from '../app/pr-comment.js'
import type { UseCaseLog } from '../app/ports.js'
import type { RecordResult } from '../app/record.js'
import type { Budgets } from '../core/budgets.js'
import { rowsAsCsv } from '../core/csv.js'
import type { Deadline } from '../core/deadline.js'
import type { Writers } from '../core/spread.js'
import type { GitHubClient } from '../github/octokit.js'
import type { RegistryStore } from '../registry/port.js'
import { Output } from './constants.js'
import type { RunContext } from './context.js'
import type { ActionInputs } from './inputs.js'
import type { ActionIO } from './io.js'

/** The PR comment of this run: every job of a matrix appears in it, rendered from the registry's rows. */
export async function commentOnPr(
  ctx: RunContext,
  to: {
    client: GitHubClient
    store: RegistryStore
    env: string
    budgets: Budgets
    log: UseCaseLog
    writers?: Writers | null
    deadline?: Deadline
  },
): Promise<void> {
  if (!ctx.prNumber) return
  const res = await upsertRunComment({
    client: to.client,
    owner: ctx.owner,
    repo: ctx.repo,
    prNumber: ctx.prNumber,
    workflow: ctx.workflow,
    store: to.store,
    env: to.env,
    selectRun: (r) =>
      r.repository === ctx.repository && r.run_id === ctx.runId && (r.run_attempt || '1') === ctx.runAttempt,
    budgets: to.budgets,
    log: to.log.info,
    deferTo: handOverToLaterWriters({
      writers: to.writers ?? null,
      run: ctx,
      store: to.store,
      env: to.env,
      ...(to.deadline ? { deadline: to.deadline } : {}),
    }),
  })
  if (res) to.log.info(`PR #${ctx.prNumber} comment ${res.action} (id ${res.commentId})`)
}

export function tellOutcome(
  io: ActionIO,
  result: RecordResult,
  skipped: string | null,
  log: UseCaseLog,
): void {
  const { row, outcome } = result
  if (skipped) log.notice(`${skipped}. The row is in the job summary.`)
  if (result.problem) {
    const where = result.kept?.where
    const carried = result.carriedTo?.where ? ` It is carried in ${result.carriedTo.where}.` : ''
    log.warning(
      `${result.problem} The row is in the job summary${where ? ` and in ${where}` : ''}.${carried}`,
    )
    io.info(rowsAsCsv([row, ...result.carried]))
  }
  log.info(`"${row.phase}" ${row.status} in ${row.duration_seconds}s, budget ${result.verdict}`)
  if (!outcome) return
  const kept = new Set(result.carried.map((r) => r.row_id))
  const others = outcome.appended.filter((r) => r.row_id !== row.row_id)
  const carried = others.filter((r) => kept.has(r.row_id)).length
  if (carried) log.info(`${carried} row(s) kept by earlier posts written with this one`)
  if (others.length > carried)
    log.info(`${others.length - carried} row(s) offered by other jobs of this run written with this one`)
  if (outcome.appended.some((r) => r.row_id === row.row_id))
    log.info(`row ${row.row_id} written to ${outcome.location} (commit ${outcome.commit ?? '?'})`)
  else if (outcome.writtenByAnother)
    log.info(`row ${row.row_id} written to ${outcome.location} by another job of this run, with its own`)
  else log.info(`row ${row.row_id} was already in ${outcome.location}; nothing written`)
  if (outcome.droppedColumns.length && outcome.appended.length) {
    log.notice(
      `${outcome.location} has a legacy header; the row was written in its shape without: ${outcome.droppedColumns.join(', ')}.`,
    )
  }
}

export function setOutputs(io: ActionIO, result: RecordResult): void {
  io.setOutput(Output.Duration, result.row.duration_seconds)
  io.setOutput(Output.Status, result.row.status)
  io.setOutput(Output.BudgetStatus, result.verdict)
  io.setOutput(Output.RowId, result.row.row_id)
  io.setOutput(Output.RegistryCommit, result.outcome?.commit ?? '')
}

export function failure(result: RecordResult, inputs: ActionInputs): string {
  const limit = result.verdict === 'timeout' ? result.budget?.timeout : result.budget?.max
  return `"${result.row.phase}" took ${result.row.duration_seconds}s, ${result.verdict.replace('_', ' ')} (limit ${limit ?? '?'}s); failing because fail-on is ${inputs.failOn}.`
}
