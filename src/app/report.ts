import type { Budgets } from '../core/budgets.js'
import type { StoredRow } from '../core/csv.js'
import { CacheAccumulator } from '../core/insights/cache.js'
import { CompareAccumulator } from '../core/insights/compare.js'
import { DashboardAccumulator } from '../core/insights/dashboard.js'
import { FlakeAccumulator } from '../core/insights/flakes.js'
import { LatestRun } from '../core/insights/latest-run.js'
import { renderCache, renderComparison, renderFlakes } from '../core/insights/render.js'
import { chooser, type RowSet } from '../core/insights/select.js'
import { renderDashboard } from '../core/render/dashboard.js'
import { renderReport, ReportAggregator, type ReportFilter, type ReportFormat } from '../core/report.js'
import { isoSeconds } from '../core/time.js'
import type { ScanOnly } from '../registry/file.js'

/**
 * The `report` use case: one pass over the registry's rows into what was asked for, rendered. The plain
 * report (per phase and env), or one insight (docs/cli.md "Insights"): cold vs warm, flakes, a comparison
 * of two sets, the dashboard, or the PR comment of the latest build.
 */
export type ReportView =
  | { kind: 'phase' | 'cache' | 'flakes' }
  | { kind: 'compare'; sets: [RowSet, RowSet] }
  | { kind: 'dashboard'; chartLibrary: string }
  | { kind: 'comment' }

export interface ReportRequest {
  filter: ReportFilter
  view: ReportView
  /** For the text views; the dashboard is HTML and the comment Markdown whatever this says. */
  format: ReportFormat
  budgets: Budgets
  now: Date
}

/** Where the rows come from: arrays of rows, as a file store reads them (one await per chunk, not per row). */
export interface RowBatches {
  batches(env: string | undefined, only: ScanOnly): AsyncIterable<StoredRow[]>
}

export async function buildReport(
  source: RowBatches,
  req: ReportRequest,
  onRows: (rowsRead: number) => void = () => undefined,
): Promise<string> {
  const { view, budgets } = req
  const agg = new ReportAggregator(req.filter)
  const target = budgets.flakeRateTarget
  // Flakes ride along with the plain report only when the budgets file sets a target: they need every sha
  // held, which costs more than the percentiles over a large registry. --by flakes always has them.
  const withFlakes = view.kind === 'flakes' || (view.kind === 'phase' && target !== undefined)
  const flakes = withFlakes ? new FlakeAccumulator() : null
  const cache = view.kind === 'cache' ? new CacheAccumulator() : null
  const comparison = view.kind === 'compare' ? new CompareAccumulator(chooser(...view.sets)) : null
  const dashboard = view.kind === 'dashboard' ? new DashboardAccumulator(req.now, budgets) : null
  const latestRun = view.kind === 'comment' ? new LatestRun(budgets) : null
  const columns = columnsFor(view.kind, withFlakes)

  const only = {
    ...(columns ? { columns } : {}),
    ...(req.filter.since ? { since: isoSeconds(req.filter.since) } : {}),
  }
  for await (const batch of source.batches(req.filter.env, only)) {
    for (const row of batch) {
      agg.add(row)
      onRows(agg.rowsRead)
      if (!agg.matches(row)) continue
      flakes?.add(row)
      cache?.add(row)
      comparison?.add(row)
      dashboard?.add(row)
      latestRun?.add(row)
    }
  }

  switch (view.kind) {
    case 'comment':
      return (
        (latestRun as LatestRun).render('local') ??
        `${agg.rowsRead ? 'No rows match' : 'No rows in the registry yet'}: no comment to preview.\n`
      )
    case 'dashboard':
      return renderDashboard((dashboard as DashboardAccumulator).result(), view.chartLibrary)
    case 'compare':
      return renderComparison(
        view.sets[0].text,
        view.sets[1].text,
        (comparison as CompareAccumulator).result(),
        req.format,
      )
    case 'cache':
      return renderCache((cache as CacheAccumulator).result(), req.format)
    case 'flakes':
      return renderFlakes((flakes as FlakeAccumulator).result(), target, req.format, true)
    case 'phase': {
      const report = agg.result()
      const text = renderReport(report, req.format)
      if (flakes && req.format === 'json') {
        const section = JSON.parse(renderFlakes(flakes.result(), target, 'json')) as unknown
        return `${JSON.stringify({ ...(JSON.parse(text) as object), flakes: section }, null, 2)}\n`
      }
      if (flakes && (req.format === 'table' || req.format === 'markdown') && report.groups.length) {
        const section = renderFlakes(flakes.result(), target, req.format)
        if (section) return `${text}\n${section}`
      }
      return text
    }
  }
}

const BASE = [
  'start_time_utc',
  'end_time_utc',
  'phase',
  'env',
  'duration_seconds',
  'exit_code',
  'status',
  'budget_status',
]

/** The cells each view reads: a file registry then builds only these (a third of a row's cells). */
function columnsFor(kind: ReportView['kind'], withFlakes: boolean): string[] | null {
  switch (kind) {
    case 'comment':
      return null // the comment shows budgets, cache hits and more: whole rows
    case 'dashboard':
      return [...BASE, 'repository', 'sha', 'cache_hits', 'cache_lookups', 'queue_seconds']
    case 'compare':
      return [...BASE, 'ref', 'flags']
    case 'cache':
      return [...BASE, 'cache_hits', 'cache_lookups']
    default:
      return withFlakes ? [...BASE, 'repository', 'sha'] : BASE
  }
}
