import { canonicalEnv } from './env.js'
import { createHash } from 'node:crypto'
import { cleanCell, neutraliseFormula, redactSecrets, stripControls } from './sanitize.js'
import {
  emptyRow,
  FREE_TEXT_COLUMNS,
  type BudgetStatus,
  type Column,
  type Row,
  type Source,
  type Status,
} from './schema.js'
import { usageCell, type ResourceUsage } from './resources.js'
import { durationSeconds, isoSeconds } from './time.js'

/** Everything a front door knows about one timed event; the core turns it into a stored row. */
export interface TimingEvent {
  source: Source
  phase: string
  env: string
  buildId: string
  start: Date
  end: Date
  exitCode: number
  status: Status
  flags?: string
  resources?: { added?: number; changed?: number; destroyed?: number }
  logPath?: string
  repository?: string
  runId?: string
  runAttempt?: string
  jobId?: string
  /** Used in the row_id when the job id is unknown (the job key, or Drone's stage number). */
  jobKey?: string
  ref?: string
  sha?: string
  prNumber?: number
  runner?: string
  budget?: { target?: number; max?: number; status: BudgetStatus }
  cache?: { hits: number; lookups: number }
  queueSeconds?: number
  /** Machine resources over the job (docs/export.md); unknown figures stay empty. */
  usage?: ResourceUsage
  /** Values that must never be stored even if they appear in free text (the token). */
  secrets?: readonly string[]
}

const num = (n: number | undefined): string =>
  n === undefined || !Number.isFinite(n) ? '' : String(Math.round(n))

const PART_LIMIT = 100

/**
 * README "The registry": a row_id is never truncated, or two events that differ only late in a long phase would share it
 * and the second would be dropped as a duplicate. A long part keeps its readable start and a digest of all of it.
 */
export function rowIdPart(part: string): string {
  const chars = Array.from(part)
  if (chars.length <= PART_LIMIT) return part
  const digest = createHash('sha256').update(part, 'utf8').digest('hex').slice(0, 12)
  return `${chars.slice(0, 40).join('')}~${digest}`
}

/**
 * row_id (README "The registry"): one key per logical event, whoever records it and however often. A CLI row's start has
 * millisecond precision, so two runs of one phase in the same second are two events.
 */
export function rowId(e: TimingEvent, start = e.start.toISOString()): string {
  const env = canonicalEnv(e.env)
  const key = (...parts: string[]): string => parts.map(rowIdPart).join('/')
  switch (e.source) {
    case 'github':
    case 'github-run':
      return `gh/${key(e.repository ?? '', e.runId ?? '', e.runAttempt ?? '1', e.jobId || e.jobKey || '', e.phase)}`
    // Keyed on the CI's own build (pipeline) number, not the build_id column, which a setting may override.
    case 'drone':
      return `drone/${key(e.repository ?? '', e.runId || e.buildId, e.jobKey ?? '', e.phase)}`
    case 'woodpecker':
      return `woodpecker/${key(e.repository ?? '', e.runId || e.buildId, e.jobKey ?? '', e.phase)}`
    case 'cli':
      return `cli/${key(env, e.buildId, e.phase, start)}`
  }
}

export function buildRow(e: TimingEvent): Row {
  const row = emptyRow()
  const start = isoSeconds(e.start)
  const set = (column: Column, value: string): void => {
    row[column] = FREE_TEXT_COLUMNS.has(column) ? cleanCell(value, e.secrets) : value
  }
  set('start_time_utc', start)
  set('end_time_utc', isoSeconds(e.end))
  set('phase', e.phase)
  set('env', canonicalEnv(e.env))
  set('build_id', e.buildId)
  set('duration_seconds', String(durationSeconds(e.start, e.end)))
  set('exit_code', String(Math.trunc(e.exitCode)))
  set('flags', e.flags ?? '')
  set('resources_added', num(e.resources?.added))
  set('resources_changed', num(e.resources?.changed))
  set('resources_destroyed', num(e.resources?.destroyed))
  set('log_path', e.logPath ?? '')
  set('status', e.status)
  set('source', e.source)
  set('repository', e.repository ?? '')
  set('run_id', e.runId ?? '')
  set('run_attempt', e.runAttempt ?? '')
  set('job_id', e.jobId ?? '')
  set('ref', e.ref ?? '')
  set('sha', /^[0-9a-f]{7,64}$/i.test(e.sha ?? '') ? (e.sha as string) : '')
  set('pr_number', e.prNumber ? String(e.prNumber) : '')
  set('runner', e.runner ?? '')
  set('budget_target_seconds', num(e.budget?.target))
  set('budget_max_seconds', num(e.budget?.max))
  set('budget_status', e.budget?.status ?? 'none')
  set('cache_hits', e.cache ? String(e.cache.hits) : '')
  set('cache_lookups', e.cache ? String(e.cache.lookups) : '')
  set('queue_seconds', num(e.queueSeconds))
  // The row_id is built from the cleaned values so that it never carries a secret either, but before they
  // are bounded: the cells may be cut, the key never is.
  const whole = <T extends string | undefined>(value: T): T =>
    (value === undefined ? value : cleanCell(value, e.secrets, Infinity)) as T
  row.row_id = cleanCell(
    rowId({
      ...e,
      phase: whole(e.phase),
      repository: whole(e.repository),
      buildId: whole(e.buildId),
      runId: whole(e.runId),
      jobId: whole(e.jobId),
      jobKey: whole(e.jobKey),
    }),
    e.secrets,
    Infinity,
  )
  set('cpu_avg_percent', usageCell(e.usage?.cpuAvgPercent))
  set('mem_peak_mb', usageCell(e.usage?.memPeakMb))
  set('disk_read_mb', usageCell(e.usage?.diskReadMb))
  set('disk_write_mb', usageCell(e.usage?.diskWriteMb))
  set('net_rx_mb', usageCell(e.usage?.netRxMb))
  set('net_tx_mb', usageCell(e.usage?.netTxMb))
  return row
}

const NUMBER = /^[-+]?\d+(?:\.\d+)?$/

/**
 * A row that comes from elsewhere (`push` from another registry, a hand-edited file) cleaned the way buildRow
 * cleans a new one (README "The registry": cleaned on every write, push included), but never cut: a copy keeps its whole text.
 * Numbers stay numbers; any other cell loses its controls and credentials and never starts a formula.
 */
export function cleanRow<R extends Record<string, string>>(row: R, secrets: readonly string[] = []): R {
  const out: Record<string, string> = {}
  for (const [column, value] of Object.entries(row)) {
    if (FREE_TEXT_COLUMNS.has(column as Column) || column === 'row_id')
      out[column] = cleanCell(value, secrets, Infinity)
    else if (NUMBER.test(value)) out[column] = value
    else out[column] = neutraliseFormula(redactSecrets(stripControls(value), secrets))
  }
  return out as R
}

/** Exit code for a CI status: README "The registry" (0 success, 1 failure, 130 cancelled). */
export function exitCodeForStatus(status: Status): number {
  if (status === 'success' || status === 'skipped') return 0
  if (status === 'cancelled') return 130
  return 1
}
