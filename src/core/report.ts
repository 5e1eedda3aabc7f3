import { stringify } from 'csv-stringify/sync'
import { Groups } from './insights/sample.js'
import { inert } from './render/markdown.js'
import { cleanCell, safeLine } from './sanitize.js'
import { percentile } from './stats.js'
import { humanDuration } from './time.js'

/**
 * docs/cli.md "report": per phase and env, runs, success rate, p50/p90/p95/max, last, trend against the
 * median and budget verdicts. Rows arrive one at a time and are not kept: a group holds counters and one
 * growable Float64Array of durations, so a registry of a million rows costs 8 MB of durations, not a million
 * objects.
 */

/** The cells a report reads; any stored row (or a legacy one lacking some columns) will do. */
export type ReportRow = Readonly<Record<string, string | undefined>>

export interface ReportFilter {
  env?: string
  phase?: string
  /** Rows that started before this instant are left out. */
  since?: Date
}

export const VERDICTS = ['ok', 'over_target', 'over_max', 'timeout', 'none'] as const
export type VerdictCounts = Record<(typeof VERDICTS)[number], number>

export interface ReportGroup {
  phase: string
  env: string
  runs: number
  successes: number
  failures: number
  /** successes / runs, 0..1; null with no runs. */
  successRate: number | null
  /** Runs with a usable duration: the sample behind the percentiles. */
  timed: number
  p50: number | null
  p90: number | null
  p95: number | null
  max: number | null
  last: { start: string; duration: number | null; status: string } | null
  /** last duration / p50 − 1 (0.25 = the last run took 25 % longer than the median); null if unknown. */
  trend: number | null
  budget: VerdictCounts
}

export interface Report {
  filter: { env: string | null; phase: string | null; since: string | null }
  /** Rows seen, and rows that passed the filter. */
  rowsRead: number
  rowsMatched: number
  groups: ReportGroup[]
}

class GroupAccumulator {
  runs = 0
  successes = 0
  failures = 0
  durations = new Float64Array(64)
  timed = 0
  lastStart = ''
  lastDuration: number | null = null
  lastStatus = ''
  budget: VerdictCounts = { ok: 0, over_target: 0, over_max: 0, timeout: 0, none: 0 }

  constructor(
    readonly phase: string,
    readonly env: string,
  ) {}

  add(row: ReportRow, start: string, duration: number | null, status: string): void {
    this.runs++
    if (status === 'success') this.successes++
    else if (status === 'failure' || status === 'cancelled') this.failures++
    if (duration !== null) {
      if (this.timed === this.durations.length) {
        const grown = new Float64Array(this.durations.length * 2)
        grown.set(this.durations)
        this.durations = grown
      }
      this.durations[this.timed++] = duration
    }
    // ISO-8601 UTC strings order as the instants they name; ties go to the later row in the file.
    if (start >= this.lastStart) {
      this.lastStart = start
      this.lastDuration = duration
      this.lastStatus = status
    }
    const verdict = row.budget_status as keyof VerdictCounts | undefined
    if (verdict && verdict in this.budget) this.budget[verdict]++
    else this.budget.none++
  }

  finish(): ReportGroup {
    const sorted = this.durations.subarray(0, this.timed).sort()
    const p50 = percentile(sorted, 0.5)
    const trend = this.lastDuration !== null && p50 !== null && p50 > 0 ? this.lastDuration / p50 - 1 : null
    return {
      phase: this.phase,
      env: this.env,
      runs: this.runs,
      successes: this.successes,
      failures: this.failures,
      successRate: this.runs ? this.successes / this.runs : null,
      timed: this.timed,
      p50,
      p90: percentile(sorted, 0.9),
      p95: percentile(sorted, 0.95),
      max: this.timed ? (sorted[this.timed - 1] as number) : null,
      last: this.runs
        ? { start: this.lastStart, duration: this.lastDuration, status: this.lastStatus }
        : null,
      trend,
      budget: { ...this.budget },
    }
  }
}

/** A row's status; legacy rows (no status column) are judged by their exit code. */
export function rowStatus(row: ReportRow): string {
  if (row.status) return row.status
  if (row.exit_code === undefined || row.exit_code === '') return 'unknown'
  return row.exit_code === '0' ? 'success' : 'failure'
}

/** duration_seconds, else end − start, else null. */
export function rowDuration(row: ReportRow): number | null {
  const cell = row.duration_seconds
  if (cell !== undefined && cell !== '') {
    const n = Number(cell)
    if (Number.isFinite(n) && n >= 0) return n
  }
  const start = Date.parse(row.start_time_utc ?? '')
  const end = Date.parse(row.end_time_utc ?? '')
  return Number.isFinite(start) && Number.isFinite(end) && end >= start
    ? Math.round((end - start) / 1000)
    : null
}

export class ReportAggregator {
  private readonly groups = new Groups<GroupAccumulator>()
  private readonly sinceMs: number | null
  rowsRead = 0
  rowsMatched = 0

  constructor(private readonly filter: ReportFilter = {}) {
    this.sinceMs = filter.since ? filter.since.getTime() : null
  }

  /** Whether a row passes the filter: the insights that ride along with a report see the same rows. */
  matches(row: ReportRow): boolean {
    if (this.filter.phase !== undefined && (row.phase ?? '') !== this.filter.phase) return false
    if (this.filter.env !== undefined && (row.env ?? '') !== this.filter.env) return false
    if (this.sinceMs !== null) {
      const t = Date.parse(row.start_time_utc ?? '')
      if (!Number.isFinite(t) || t < this.sinceMs) return false
    }
    return true
  }

  /** Takes one row; nothing of it is kept but numbers and the group's name. */
  add(row: ReportRow): void {
    this.rowsRead++
    if (!this.matches(row)) return
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const start = row.start_time_utc ?? ''
    this.rowsMatched++
    const group = this.groups.get(phase, env, () => new GroupAccumulator(phase, env))
    group.add(row, start, rowDuration(row), rowStatus(row))
  }

  /** Groups ordered by env, then phase. */
  result(): Report {
    const groups = [...this.groups.values()]
      .map((g) => g.finish())
      .sort((a, b) => (a.env === b.env ? cmp(a.phase, b.phase) : cmp(a.env, b.env)))
    return {
      filter: {
        env: this.filter.env ?? null,
        phase: this.filter.phase ?? null,
        since: this.filter.since ? this.filter.since.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
      },
      rowsRead: this.rowsRead,
      rowsMatched: this.rowsMatched,
      groups,
    }
  }
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export function aggregate(rows: Iterable<ReportRow>, filter: ReportFilter = {}): Report {
  const agg = new ReportAggregator(filter)
  for (const row of rows) agg.add(row)
  return agg.result()
}

// ---- rendering -------------------------------------------------------------------------------------------

export type ReportFormat = 'table' | 'markdown' | 'json' | 'csv'
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'markdown', 'json', 'csv']

const round = (n: number | null, digits = 1): number | null => (n === null ? null : Number(n.toFixed(digits)))
const dur = (n: number | null): string => (n === null ? '–' : humanDuration(n))
const pct = (n: number | null): string => (n === null ? '–' : `${Math.round(n * 100)}%`)
const signedPct = (n: number | null): string => {
  if (n === null) return '–'
  const v = Math.round(n * 100)
  return v > 0 ? `+${v}%` : `${v}%`
}
const verdicts = (b: VerdictCounts): string => {
  const parts = VERDICTS.filter((v) => v !== 'none' && b[v] > 0).map((v) => `${b[v]} ${v}`)
  return parts.length ? parts.join(', ') : b.none ? 'no budget' : '–'
}

const TITLES = [
  'phase',
  'env',
  'runs',
  'success',
  'p50',
  'p90',
  'p95',
  'max',
  'last',
  'trend',
  'budget',
] as const

/** Registry text printed to a terminal: rows written by anything (a hand edit, an old version) may hold escapes. */
function cellsOf(g: ReportGroup): string[] {
  return [
    safeLine(g.phase),
    safeLine(g.env),
    String(g.runs),
    pct(g.successRate),
    dur(g.p50),
    dur(g.p90),
    dur(g.p95),
    dur(g.max),
    g.last ? `${dur(g.last.duration)} ${safeLine(g.last.status)}` : '–',
    signedPct(g.trend),
    verdicts(g.budget),
  ]
}

function emptyNote(report: Report): string {
  return report.rowsRead === 0
    ? 'No rows in the registry yet.'
    : `No rows match (${report.rowsRead} rows read).`
}

export function renderTable(report: Report): string {
  if (!report.groups.length) return `${emptyNote(report)}\n`
  const rows = [[...TITLES], ...report.groups.map(cellsOf)]
  const widths = TITLES.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)))
  const numeric = new Set([2, 3, 4, 5, 6, 7, 9])
  const line = (r: string[]): string =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return `${rows.map(line).join('\n')}\n`
}

const mdCell = (s: string): string => inert(s)

export function renderMarkdown(report: Report): string {
  if (!report.groups.length) return `_${emptyNote(report)}_\n`
  const head = `| ${TITLES.join(' | ')} |`
  const rule = `|${TITLES.map((_, i) => (i >= 2 && i <= 9 ? ' ---: ' : ' --- ')).join('|')}|`
  const body = report.groups.map((g) => `| ${cellsOf(g).map(mdCell).join(' | ')} |`)
  return `${[head, rule, ...body].join('\n')}\n`
}

/** Numbers stay numbers (seconds; rates 0..1), so scripts can compute with them. */
export function renderJson(report: Report): string {
  const groups = report.groups.map((g) => ({
    phase: g.phase,
    env: g.env,
    runs: g.runs,
    successes: g.successes,
    failures: g.failures,
    success_rate: round(g.successRate, 4),
    p50: g.p50,
    p90: g.p90,
    p95: g.p95,
    max: g.max,
    last: g.last,
    trend: round(g.trend, 4),
    budget: g.budget,
  }))
  return `${JSON.stringify({ filter: report.filter, rows_read: report.rowsRead, rows_matched: report.rowsMatched, groups }, null, 2)}\n`
}

const CSV_COLUMNS = [
  'phase',
  'env',
  'runs',
  'successes',
  'success_rate',
  'p50_seconds',
  'p90_seconds',
  'p95_seconds',
  'max_seconds',
  'last_start_time_utc',
  'last_duration_seconds',
  'last_status',
  'trend',
  'budget_ok',
  'budget_over_target',
  'budget_over_max',
  'budget_timeout',
  'budget_none',
]

export function renderCsv(report: Report): string {
  const n = (v: number | null): string => (v === null ? '' : String(v))
  const rows = report.groups.map((g) => [
    g.phase,
    g.env,
    String(g.runs),
    String(g.successes),
    n(round(g.successRate, 4)),
    n(g.p50),
    n(g.p90),
    n(g.p95),
    n(g.max),
    g.last?.start ?? '',
    n(g.last?.duration ?? null),
    g.last?.status ?? '',
    n(round(g.trend, 4)),
    ...VERDICTS.map((v) => String(g.budget[v])),
  ])
  // Phase names come from users: keep a spreadsheet from running them (README "The registry").
  const safe = rows.map((r) => r.map((c, i) => (i < 2 || i === 11 ? cleanCell(c, [], Infinity) : c)))
  return stringify([CSV_COLUMNS, ...safe])
}

export function renderReport(report: Report, format: ReportFormat): string {
  switch (format) {
    case 'table':
      return renderTable(report)
    case 'markdown':
      return renderMarkdown(report)
    case 'json':
      return renderJson(report)
    case 'csv':
      return renderCsv(report)
  }
}
