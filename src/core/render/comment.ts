import { budgetFor, budgetVerdict, type Budgets } from '../budgets.js'
import type { StoredRow } from '../csv.js'
import { regression, type Regression } from '../stats.js'
import {
  cell,
  fenced,
  isBreach,
  percent,
  seconds,
  signedPercent,
  statusText,
  table,
  utf8Length,
  verdictText,
} from './markdown.js'
import { trendChart } from './mermaid.js'

/** GitHub refuses bodies over 65,536 characters (422 "Body is too long"); we stay under this. */
export const COMMENT_LIMIT = 65_000

/** How many recent durations a trend chart shows. */
export const TREND_POINTS = 20

/** The hidden first line that finds our comment again: one comment per pull request and workflow. */
export function commentMarker(workflow: string): string {
  // `--` would end the HTML comment early; newlines would split the marker line.
  const name = workflow
    .replace(/[\r\n]+/g, ' ')
    .replace(/-{2,}/g, '-')
    .replace(/>/g, '›')
    .trim()
  return `<!-- build-timings:${name} -->`
}

export interface CommentInput {
  workflow: string
  /** The registry rows of the current run (every job of a matrix). */
  rows: readonly StoredRow[]
  /** Every row of the registry file: earlier runs give the medians and the trends. */
  history: readonly StoredRow[]
  budgets: Budgets
  /** Link to the run, shown in the footer when given. */
  runUrl?: string
  /** Upper bound on the body, in UTF-8 bytes (≥ characters). */
  limit?: number
}

export interface PhaseLine {
  phase: string
  row: StoredRow
  duration: number
  status: string
  target: number | undefined
  max: number | undefined
  verdict: string
  hits: number | null
  lookups: number | null
  regression: Regression
  /** Oldest first, this run last; at most TREND_POINTS. */
  trend: number[]
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })
const byName = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)

const int = (text: string | undefined): number | null => {
  if (text === undefined || text.trim() === '') return null
  const n = Number(text)
  return Number.isFinite(n) ? n : null
}

/** Rows without a status column (legacy files) count as successful when they exited 0. */
const succeeded = (row: StoredRow): boolean => (row.status ? row.status === 'success' : row.exit_code === '0')

/** One line per phase of the run (the latest row wins if a phase was recorded twice), ordered by name. */
export function phaseLines(input: Pick<CommentInput, 'rows' | 'history' | 'budgets'>): PhaseLine[] {
  const latest = new Map<string, StoredRow>()
  for (const row of input.rows) latest.set(row.phase ?? '', row)
  const runIds = new Set(input.rows.map((r) => r.row_id).filter(Boolean))
  return [...latest.entries()]
    .sort(([a], [b]) => byName(a, b))
    .map(([phase, row]) => {
      const duration = int(row.duration_seconds) ?? 0
      const budget = budgetFor(input.budgets, phase)
      const target = int(row.budget_target_seconds) ?? budget?.target
      const max = int(row.budget_max_seconds) ?? budget?.max
      // Legacy rows carry no verdict: judge them against today's budgets.
      const verdict = row.budget_status || budgetVerdict(duration, budget)
      const start = row.start_time_utc ?? ''
      const earlier = input.history.filter(
        (h) =>
          h.phase === phase &&
          h.env === row.env &&
          !(h.row_id && runIds.has(h.row_id)) &&
          (h.start_time_utc ?? '') < start &&
          int(h.duration_seconds) !== null,
      )
      const past = earlier.map((h) => ({
        duration: int(h.duration_seconds) as number,
        success: succeeded(h),
      }))
      const trend = [...past.map((p) => p.duration).slice(-(TREND_POINTS - 1)), duration]
      return {
        phase,
        row,
        duration,
        status: row.status ?? '',
        target,
        max,
        verdict,
        hits: int(row.cache_hits),
        lookups: int(row.cache_lookups),
        regression: regression(duration, past, input.budgets.regression),
        trend,
      }
    })
}

function headline(lines: readonly PhaseLine[]): string {
  const slowest = lines.reduce<PhaseLine | null>(
    (a, b) => (a === null || b.duration > a.duration ? b : a),
    null,
  )
  const parts: string[] = []
  if (slowest) parts.push(`**Slowest:** ${cell(slowest.phase)} (${seconds(slowest.duration)})`)
  const count = (v: string): number => lines.filter((l) => l.verdict === v).length
  const breaches = lines.filter((l) => isBreach(l.verdict)).length
  if (breaches) {
    const detail = (['timeout', 'over_max', 'over_target'] as const)
      .filter((v) => count(v))
      .map((v) => `${count(v)} ${verdictText(v).replace(/^\S+ /, '')}`)
      .join(', ')
    parts.push(`**Budget breaches:** ${breaches} of ${lines.length} (${detail})`)
  } else {
    parts.push(`**Budget breaches:** none of ${lines.length}`)
  }
  const withCache = lines.filter((l) => l.lookups)
  const hits = withCache.reduce((s, l) => s + (l.hits ?? 0), 0)
  const lookups = withCache.reduce((s, l) => s + (l.lookups ?? 0), 0)
  parts.push(
    lookups
      ? `**Cache hit rate:** ${percent(hits / lookups)} (${hits}/${lookups})`
      : '**Cache hit rate:** no lookups reported',
  )
  const regressed = lines.filter((l) => l.regression.regressed).length
  if (regressed) parts.push(`**Slower than usual:** ${regressed}`)
  return parts.join(' · ')
}

function changeCell(reg: Regression): string {
  if (reg.change === null || reg.median === null) return '—'
  return `${signedPercent(reg.change)} vs ${seconds(reg.median)}${reg.regressed ? ' ⚠️' : ''}`
}

function phaseRow(l: PhaseLine): string[] {
  return [
    cell(l.phase),
    statusText(l.status),
    seconds(l.duration),
    seconds(l.target),
    seconds(l.max),
    verdictText(l.verdict),
    l.lookups ? `${l.hits ?? 0}/${l.lookups}` : '—',
    changeCell(l.regression),
  ]
}

function chartSection(l: PhaseLine): string {
  const legend = ['duration (blue)']
  if (l.target !== undefined) legend.push(`target ${seconds(l.target)} (orange)`)
  if (l.max !== undefined) legend.push(`max ${seconds(l.max)} (red)`)
  const why = [
    isBreach(l.verdict) ? verdictText(l.verdict) : '',
    l.regression.regressed && l.regression.change !== null && l.regression.median !== null
      ? `⚠️ ${signedPercent(l.regression.change)} against the median ${seconds(l.regression.median)}`
      : '',
  ]
    .filter(Boolean)
    .join(' · ')
  return [
    `**${cell(l.phase)}** — ${why}`,
    fenced(
      'mermaid',
      trendChart({
        title: `${l.phase}: last ${l.trend.length} runs`,
        durations: l.trend,
        target: l.target,
        max: l.max,
      }),
    ),
    `<sub>Lines: ${legend.join(', ')}.</sub>`,
  ].join('\n\n')
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

function compose(
  input: CommentInput,
  lines: readonly PhaseLine[],
  charted: readonly PhaseLine[],
  shownRows: number,
  shownCharts: number,
): string {
  const out: string[] = [
    commentMarker(input.workflow),
    `### ⏱️ Build timings: ${cell(input.workflow.slice(0, 200))}`,
    headline(lines),
  ]
  out.push(
    table(
      ['phase', 'status', 'duration', 'target', 'max', 'verdict', 'cache hits', 'vs median'],
      ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r'],
      lines.slice(0, shownRows).map(phaseRow),
    ),
  )
  if (shownRows < lines.length) {
    out.push(
      `… ${plural(lines.length - shownRows, 'more phase')} not shown: a comment holds at most ${COMMENT_LIMIT.toLocaleString('en')} characters.`,
    )
  }
  if (charted.length) {
    const shown = charted.slice(0, shownCharts)
    if (shown.length)
      out.push('#### Recent trend of the phases over budget or slower than usual', ...shown.map(chartSection))
    if (shownCharts < charted.length) {
      out.push(
        `… ${plural(charted.length - shownCharts, 'trend chart')} left out to keep this comment short enough.`,
      )
    }
  }
  const footer = ['Updated by build-timings as each job of the run finishes']
  if (input.runUrl) footer.push(`[this run](${input.runUrl})`)
  out.push(
    `<sub>${footer.join(' · ')}. “vs median”: this run against the median of earlier successful runs.</sub>`,
  )
  return out.join('\n\n') + '\n'
}

/** The largest n in [lo, hi] with fits(n), given fits(lo); binary search keeps long runs cheap. */
function largest(lo: number, hi: number, fits: (n: number) => boolean): number {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * The PR comment (README "What you see"): marker, headline, one line per phase ordered by name, and trend
 * charts for the phases that breach their budget or regress. Kept under the limit by dropping charts
 * first, then rows, each with a note.
 */
export function renderComment(input: CommentInput): string {
  const limit = input.limit ?? COMMENT_LIMIT
  const lines = phaseLines(input)
  const charted = lines.filter((l) => isBreach(l.verdict) || l.regression.regressed)
  const fits = (text: string): boolean => utf8Length(text) < limit
  const full = compose(input, lines, charted, lines.length, charted.length)
  if (fits(full)) return full
  const noCharts = (rows: number): string => compose(input, lines, charted, rows, 0)
  if (fits(noCharts(lines.length))) {
    const k = largest(0, charted.length, (n) => fits(compose(input, lines, charted, lines.length, n)))
    return compose(input, lines, charted, lines.length, k)
  }
  const rows = largest(0, lines.length, (n) => n === 0 || fits(noCharts(n)))
  return noCharts(rows)
}
