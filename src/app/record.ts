import {
  budgetFor,
  budgetVerdict,
  failsJob,
  type Budget,
  type Budgets,
  type FailOn,
} from '../core/budgets.js'
import { seenFlake } from '../core/alerts.js'
import { summariseCache, type CacheEntry, type CacheSummary } from '../core/cache.js'
import type { StoredRow } from '../core/csv.js'
import { errorMessage, RegistryParseError } from '../core/errors.js'
import { buildRow, type TimingEvent } from '../core/row.js'
import type { BudgetStatus, Row } from '../core/schema.js'
import { rowDuration } from '../core/report.js'
import { regression, type Regression } from '../core/stats.js'
import { commitMessage, type AppendOutcome, type RegistryStore } from '../registry/port.js'
import { isRateLimited, isReadOnlyDenial, httpError } from '../github/octokit.js'
import type { Kept, Spool } from './spool.js'
import { withCarried, type Carrier } from './carry.js'

export interface RecordRequest {
  event: Omit<TimingEvent, 'budget' | 'cache'>
  budgets: Budgets
  cacheEntries?: readonly CacheEntry[]
  /** Null: nothing is read or written (no token). */
  store: RegistryStore | null
  /**
   * False: read the history for the trend, write nothing (dry run, a read-only token). A failed read is then
   * no problem of the row's: there is nothing to keep.
   */
  write?: boolean
  /** Where a row that could not be written is kept; none: the door shows the row instead. */
  spool?: Spool
  /** Which verdicts fail the job (default never). */
  failOn?: FailOn
  /**
   * Rows earlier records could not write come from here and are appended with this row (one commit); when
   * the append fails, this row and the carried ones are kept here again. None: nothing is carried.
   */
  carrier?: Carrier
}

export interface RecordResult {
  row: Row
  budget: Budget | undefined
  verdict: BudgetStatus
  cache: CacheSummary
  regression: Regression
  outcome: AppendOutcome | null
  /** One actionable line when the row could not be written; the row must then be kept and shown. */
  problem: string | null
  /** Where the row was kept when it could not be written (null: nothing to keep, or no spool). */
  kept: Kept | null
  /** Rows of earlier records that came with this one: appended with the row, or kept again with it. */
  carried: Row[]
  /** Where the carrier kept the rows for a later record (null: written, nothing to keep, or no carrier). */
  carriedTo: Kept | null
  /** The verdict is one that fail-on asks to enforce: the door fails the job. */
  fails: boolean
  /** This success follows a failure of the same sha (docs/export.md "Alerts"): worth an alert. */
  flaky: boolean
}

/**
 * The shared path of every front door: judge the timing, build the row, append it. Never throws for the
 * registry's trouble (fail open: docs/architecture.md "The path of a row"): the caller shows `problem` and
 * keeps the row.
 */
export async function recordTiming(req: RecordRequest): Promise<RecordResult> {
  const seconds = Math.max(0, Math.round((req.event.end.getTime() - req.event.start.getTime()) / 1000))
  const budget = budgetFor(req.budgets, req.event.phase)
  const verdict = budgetVerdict(seconds, budget)
  const cache = summariseCache(req.cacheEntries ?? [], req.budgets.cache)
  const row = buildRow({
    ...req.event,
    budget: { target: budget?.target, max: budget?.max, status: verdict },
    cache: cache.lookups ? { hits: cache.hits, lookups: cache.lookups } : undefined,
  })

  let past: { duration: number; success: boolean }[] = []
  let flaky = false
  let problem: string | null = null
  let outcome: AppendOutcome | null = null
  const write = req.write ?? true
  // Taken beside the read: the carrier's round trip costs the post no extra wait.
  const taking = req.store && write && req.carrier ? req.carrier.take(row.env) : null
  let carried: Row[] = []
  if (req.store) {
    try {
      // The trend compares with the last `window` successful runs: read back until twice that many of the
      // phase are held (failures in between), not through the whole history.
      const rows = 2 * req.budgets.regression.window + 1
      const earlier = (await req.store.read(row.env, { phase: row.phase, rows })).rows
      past = pastRuns(earlier, row)
      flaky = seenFlake(row, earlier)
    } catch (e) {
      // Whatever stopped the read (a corrupt file, an outage, a denied token) would stop the write too.
      if (write) problem = registryProblem(e, req.store.label)
    }
    carried = taking ? withCarried(row, await taking).slice(1) : []
    if (write && !problem) {
      try {
        const rows = [row, ...carried]
        outcome = await req.store.append(row.env, rows, commitMessage(row, rows.length))
      } catch (e) {
        problem = registryProblem(e, req.store.label)
      }
    }
  }
  const keep = [row, ...carried]
  const kept = problem && req.spool ? await req.spool.keep(keep) : null
  let carriedTo: Kept | null = null
  if (problem && req.carrier && write) carriedTo = await req.carrier.keep(row.env, keep)
  else if (outcome && carried.length && req.carrier) await req.carrier.settle(row.env)
  return {
    row,
    budget,
    verdict,
    cache,
    regression: regression(seconds, past, req.budgets.regression),
    outcome,
    problem,
    kept,
    carried,
    carriedTo,
    fails: enforced(verdict, req.failOn ?? 'never'),
    flaky,
  }
}

/** The one rule of every door's exit: only a verdict that fail-on asks to enforce fails the job or step. */
export function enforced(verdict: BudgetStatus, failOn: FailOn): boolean {
  return failsJob(verdict, failOn)
}

/** Earlier runs of the row's phase and env, oldest first, reduced to what the regression verdict needs. */
function pastRuns(rows: readonly StoredRow[], row: Row): { duration: number; success: boolean }[] {
  return rows
    .filter((r) => r.phase === row.phase && r.env === row.env && r.row_id !== row.row_id)
    .map((r) => ({
      // An empty cell is an unknown duration, not a 0 s run that would drag the median down.
      duration: rowDuration(r) ?? Number.NaN,
      // Legacy rows have no status: their exit code tells. Skipped runs are not successful runs.
      success: r.status ? r.status === 'success' : r.exit_code === '0',
    }))
    .filter((r) => Number.isFinite(r.duration))
}

/** One line that says what happened to the registry and what to do about it; it ends with a full stop. */
export function registryProblem(e: unknown, label: string): string {
  const line = problemLine(e, label)
  return /[.!?]$/.test(line) ? line : `${line}.`
}

function problemLine(e: unknown, label: string): string {
  if (e instanceof RegistryParseError) return `${e.message}: fix or move the file, then push the kept row.`
  if (isReadOnlyDenial(e)) {
    return `the token cannot write to ${label} (read-only): grant "contents: write" to record timings.`
  }
  if (isRateLimited(e))
    return `GitHub rate limit reached while writing to ${label}: the row was kept; it can be pushed later.`
  const h = httpError(e)
  if (h?.status === 401)
    return `the token was refused by ${label} (401 Bad credentials): check the token you passed.`
  if (h?.status === 404)
    return `${label} was not found (404): check the registry repository and the token's access to it.`
  return `could not write to ${label}: ${errorMessage(e)}`
}
