import type { Budget } from '../budgets.js'
import type { CacheSummary } from '../cache.js'
import { rowsAsCsv } from '../csv.js'
import { safeLine } from '../sanitize.js'
import type { BudgetStatus, Row } from '../schema.js'
import type { Regression } from '../stats.js'
import { inJobOrder, type CacheStep, type StepRanking } from '../steps.js'
import {
  cacheResultText,
  cacheVerdictText,
  cell,
  fenced,
  percent,
  seconds,
  signedPercent,
  statusText,
  table,
  verdictText,
} from './markdown.js'
import { stepsGantt } from './mermaid.js'
import { resourcesSection } from './resources.js'

/** What the summary needs of a recorded timing; `RecordResult` (src/app/record.ts) has this shape. */
export interface SummaryResult {
  row: Row
  budget: Budget | undefined
  verdict: BudgetStatus
  cache: CacheSummary
  regression: Regression
  problem?: string | null
}

export interface SummaryInput {
  result: SummaryResult
  /** The job's steps ranked (core/steps rankSteps); null when the Jobs API could not be read. */
  steps?: StepRanking | null
  /** Why there are no steps, e.g. "the token lacks actions: read". */
  stepsNote?: string
  cacheSteps?: readonly CacheStep[]
  /** The budgets file's cache targets, to show the hit rate against them. */
  cacheTargets?: { hitRateTarget?: number; hitRateAlert?: number }
  /** The budgets file's regression threshold (0.5 = 50 %). */
  regressionThreshold?: number
}

function budgetLine(result: SummaryResult, duration: number): string {
  const { budget, verdict } = result
  if (!budget || verdict === 'none') return verdictText('none')
  const parts: string[] = []
  if (budget.target !== undefined) parts.push(`target ${seconds(budget.target)}`)
  if (budget.max !== undefined) parts.push(`max ${seconds(budget.max)}`)
  if (budget.timeout !== undefined) parts.push(`timeout ${seconds(budget.timeout)}`)
  let line = `${parts.join(' · ')} → **${verdictText(verdict)}**`
  if (budget.target && duration > budget.target)
    line += ` (exceeds target by ${percent(duration / budget.target - 1)})`
  return line
}

function regressionLine(reg: Regression, threshold: number | undefined): string {
  if (reg.change === null || reg.median === null) {
    return reg.sample ? 'no usable median yet' : 'no earlier successful runs to compare with'
  }
  const runs = `${reg.sample} earlier successful run${reg.sample === 1 ? '' : 's'}`
  let line = `${signedPercent(reg.change)} against the median ${seconds(reg.median)} of ${runs}`
  if (reg.regressed)
    line += ` · ⚠️ **regression**${threshold !== undefined ? ` (alert above ${signedPercent(threshold)})` : ''}`
  return line
}

function cacheLine(cache: CacheSummary, targets: SummaryInput['cacheTargets']): string {
  if (!cache.lookups || cache.rate === null) return '➖ no cache lookups reported'
  const parts = [`${cache.hits}/${cache.lookups} hit (${percent(cache.rate)})`]
  if (targets?.hitRateTarget !== undefined) parts.push(`target ${percent(targets.hitRateTarget)}`)
  if (targets?.hitRateAlert !== undefined) parts.push(`alert below ${percent(targets.hitRateAlert)}`)
  return `${parts.join(' · ')} → ${cacheVerdictText(cache.verdict)}`
}

/** The job summary (README "What you see"): the row and its verdicts, the caches, where the time went. */
export function renderSummary(input: SummaryInput): string {
  const { result } = input
  const row = result.row
  const duration = Number(row.duration_seconds)
  const out: string[] = []
  out.push(`### ⏱️ build-timings: ${cell(row.phase)} — ${verdictText(result.verdict)}`)
  if (result.problem) out.push(`> [!WARNING]\n> ${cell(result.problem)}`)

  const facts: [string, string][] = [
    ['Duration', `**${seconds(duration)}** (${Number.isFinite(duration) ? duration : '?'} s)`],
    ['Status', statusText(row.status)],
    ['Budget', budgetLine(result, duration)],
    ['Against the median', regressionLine(result.regression, input.regressionThreshold)],
    ['Cache', cacheLine(result.cache, input.cacheTargets)],
    ['Env', cell(row.env)],
    ['Build id', cell(row.build_id)],
    ['Started (UTC)', cell(row.start_time_utc)],
  ]
  if (row.flags) facts.push(['Flags', cell(row.flags)])
  if (row.row_id) facts.push(['Row id', cell(row.row_id)])
  out.push(
    table(
      ['', ''],
      ['l', 'l'],
      facts.map(([k, v]) => [`**${k}**`, v]),
    ),
  )

  if (result.cache.entries.length || input.cacheSteps?.length) {
    out.push('#### Caches')
    if (result.cache.entries.length) {
      out.push(
        table(
          ['cache', 'result'],
          ['l', 'l'],
          result.cache.entries.map((e) => [cell(e.name), cacheResultText(e.result)]),
        ),
      )
      out.push(`Hit rate: ${cacheLine(result.cache, input.cacheTargets)}`)
    }
    if (input.cacheSteps?.length) {
      out.push(
        table(
          ['cache step', 'does', 'duration'],
          ['l', 'l', 'r'],
          input.cacheSteps.map((s) => [
            cell(s.name),
            s.kind === 'save' ? 'save' : 'restore',
            seconds(s.seconds),
          ]),
        ),
      )
    }
  }

  const resources = resourcesSection(row)
  if (resources) out.push(resources)

  out.push('#### Where the time went')
  const ranking = input.steps
  if (!ranking || ranking.steps.length === 0) {
    out.push(input.stepsNote ? `Steps unavailable: ${cell(input.stepsNote)}` : 'No completed steps to show.')
  } else {
    out.push(
      table(
        ['#', 'step', 'duration', 'share', 'cumulative'],
        ['r', 'l', 'r', 'r', 'r'],
        ranking.steps.map((s) => [
          String(s.rank),
          cell(s.name) + (s.conclusion && s.conclusion !== 'success' ? ` (${cell(s.conclusion)})` : ''),
          seconds(s.seconds),
          percent(s.share, 1),
          percent(s.cumulative, 1),
        ]),
      ),
    )
    const notes = [`${ranking.steps.length} steps, ${seconds(ranking.total)} in all`]
    if (ranking.incomplete) {
      notes.push(
        `${ranking.incomplete} step${ranking.incomplete === 1 ? '' : 's'} still running or not started, not counted`,
      )
    }
    out.push(notes.join('; ') + '.')
    out.push(
      fenced('mermaid', stepsGantt(`${row.phase} — seconds since the job started`, inJobOrder(ranking))),
    )
  }
  return out.join('\n\n') + '\n'
}

/**
 * The row as CSV, for a summary whose row could not be written (read-only token, dry run, failed write):
 * the reader can append it by hand or with `build-timings push`.
 */
export function renderRowCsv(rows: readonly Row[], reason: string): string {
  const heading = `#### ${rows.length === 1 ? 'The row' : `The ${rows.length} rows`} as CSV`
  // Rows were cleaned when built; a row read back from elsewhere is cleaned again, cell by cell so that the
  // CSV's quoting is never touched.
  const safe = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, safeLine(v)])) as Row)
  return (
    [heading, `Not written to the registry: ${cell(reason)}`, fenced('csv', rowsAsCsv(safe))].join('\n\n') +
    '\n'
  )
}
