/**
 * The registry's columns (README "The registry"). The first 12 are the legacy schema existing tooling reads:
 * never reorder. Columns are only ever added at the end, so every older header is a prefix-compatible subset.
 */
export const COLUMNS = [
  'start_time_utc',
  'end_time_utc',
  'phase',
  'env',
  'build_id',
  'duration_seconds',
  'exit_code',
  'flags',
  'resources_added',
  'resources_changed',
  'resources_destroyed',
  'log_path',
  'status',
  'source',
  'repository',
  'run_id',
  'run_attempt',
  'job_id',
  'ref',
  'sha',
  'pr_number',
  'runner',
  'budget_target_seconds',
  'budget_max_seconds',
  'budget_status',
  'cache_hits',
  'cache_lookups',
  'queue_seconds',
  'row_id',
  // Resources per job (docs/export.md), after row_id: a 29-column file keeps its shape and drops only these.
  'cpu_avg_percent',
  'mem_peak_mb',
  'disk_read_mb',
  'disk_write_mb',
  'net_rx_mb',
  'net_tx_mb',
] as const

/** The header of the registries written before resources were recorded (README "The registry" before resources). */
export const COLUMNS_29 = COLUMNS.slice(0, COLUMNS.indexOf('row_id') + 1)

export type Column = (typeof COLUMNS)[number]
/** A row as it is stored: every cell is text, empty where unknown. */
export type Row = Record<Column, string>

export const HEADER_LINE = COLUMNS.join(',')

export const STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'unknown'] as const
export type Status = (typeof STATUSES)[number]

export const SOURCES = ['github', 'github-run', 'drone', 'woodpecker', 'cli'] as const
export type Source = (typeof SOURCES)[number]

export const BUDGET_STATUSES = ['ok', 'over_target', 'over_max', 'timeout', 'none'] as const
export type BudgetStatus = (typeof BUDGET_STATUSES)[number]

/** Columns whose value is text the user or CI controls: these are redacted and formula-neutralised. */
export const FREE_TEXT_COLUMNS: ReadonlySet<Column> = new Set<Column>([
  'phase',
  'build_id',
  'flags',
  'log_path',
  'repository',
  'ref',
  'runner',
  'job_id',
  'run_id',
])

export function emptyRow(): Row {
  return Object.fromEntries(COLUMNS.map((c) => [c, ''])) as Row
}

export function isStatus(value: string): value is Status {
  return (STATUSES as readonly string[]).includes(value)
}
