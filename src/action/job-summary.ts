import type { RecordResult } from '../app/record.js'
import type { Budgets } from '../core/budgets.js'
import { renderRowCsv, renderSummary } from '../core/render/summary.js'
import { cacheStepDurations, rankSteps } from '../core/steps.js'
import type { JobTiming } from './job-timing.js'

export interface SummaryNotes {
  /** Why nothing was written (dry run, read-only token): the row is then shown as CSV. */
  skipped: string | null
  /** Why the write failed: the row is then shown as CSV. */
  problem: string | null
}

/** The job summary: the renderer's view of this job, and the row as CSV whenever it is not in the registry. */
export function jobSummary(
  result: RecordResult,
  timing: JobTiming | null,
  budgets: Budgets,
  notes: SummaryNotes,
): string {
  const steps = timing && timing.steps.length ? rankSteps(timing.steps, timing.startedAt) : null
  let text = renderSummary({
    result,
    steps,
    stepsNote: timing
      ? (timing.note ?? 'the Jobs API listed no finished steps yet')
      : 'the Jobs API was not asked (no token)',
    cacheSteps: timing ? cacheStepDurations(timing.steps) : [],
    cacheTargets: budgets.cache,
    regressionThreshold: budgets.regression.threshold,
  })
  const reason = notes.problem ?? notes.skipped
  // Rows carried from earlier posts and kept again are shown with this one: the summary outlives the cache.
  if (reason)
    text += `\n${renderRowCsv(notes.problem ? [result.row, ...result.carried] : [result.row], reason)}`
  return text
}
