import type { Budgets } from '../budgets.js'
import type { StoredRow } from '../csv.js'
import { renderComment, TREND_POINTS } from '../render/comment.js'
import { Groups } from './sample.js'

/**
 * `report --format comment`: the PR comment the Action would post for the latest build in the registry
 * (by start time: its env and build_id), with the earlier runs of its phases as history. Rows stream in;
 * per (phase, env) only the last rows that a median or a trend can use are kept.
 */
export class LatestRun {
  private readonly recent = new Groups<StoredRow[]>()
  private latest: { start: string; env: string; build: string } | null = null
  private readonly keep: number

  constructor(private readonly budgets: Budgets) {
    // The regression median and the trend look back this far; one more for the run itself.
    this.keep = Math.max(budgets.regression.window, TREND_POINTS) + 1
  }

  add(row: StoredRow): void {
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const kept = this.recent.get(phase, env, () => [])
    kept.push(row)
    if (kept.length > this.keep * 2) kept.splice(0, kept.length - this.keep)
    const start = row.start_time_utc ?? ''
    if (!this.latest || start >= this.latest.start) this.latest = { start, env, build: row.build_id ?? '' }
  }

  /** The comment's Markdown, or null when the registry has no rows. */
  render(workflow: string): string | null {
    const latest = this.latest
    if (!latest) return null
    const history = this.recent.values().flatMap((rows) => rows.slice(-this.keep))
    const rows = history.filter((r) => (r.env ?? '') === latest.env && (r.build_id ?? '') === latest.build)
    return renderComment({ workflow, rows, history, budgets: this.budgets })
  }
}
