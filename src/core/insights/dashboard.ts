import { budgetFor, type Budgets } from '../budgets.js'
import { rowDuration, rowStatus, type ReportRow } from '../report.js'
import { percentile } from '../stats.js'
import { isoSeconds } from '../time.js'
import { CacheAccumulator, type CacheGroup } from './cache.js'
import { FlakeAccumulator, type FlakeGroup } from './flakes.js'
import { byEnvThenPhase, Groups, Numbers } from './sample.js'

/**
 * SPEC §7 dashboard: the figures of one page, from registry rows only. Rows stream in; per (phase, env)
 * it keeps counters, one number per timed run per day (for the daily medians), and what the cache and
 * flake insights keep. `now` comes from the caller, so that "the last 7 days" is testable.
 */
export interface DashboardPhase {
  phase: string
  env: string
  runs: number
  success7: RateCount
  success30: RateCount
  /** Sum of durations: the time this phase costs (Pareto). */
  totalSeconds: number
  p50: number | null
  target: number | null
  max: number | null
  /** Daily median duration of successful runs, by UTC day (YYYY-MM-DD). */
  trend: { day: string; p50: number; runs: number }[]
}

export interface RateCount {
  runs: number
  successes: number
  rate: number | null
}

export interface DashboardData {
  generatedAt: string
  /** Days covered: first and last run. */
  from: string | null
  to: string | null
  rows: number
  success7: RateCount
  success30: RateCount
  phases: DashboardPhase[]
  /** Phases by total time, with each one's cumulative share of all the time spent (0..1). */
  pareto: { phase: string; env: string; totalSeconds: number; cumulative: number }[]
  cache: CacheGroup[]
  flakes: FlakeGroup[]
  flakeRateTarget: number | null
  /** Daily median and p90 of queue_seconds over every phase; empty when no row knows its queue time. */
  queue: { day: string; p50: number; p90: number; runs: number }[]
}

const DAY_MS = 86_400_000

class PhaseSeries {
  runs = 0
  total = 0
  ok7 = 0
  runs7 = 0
  ok30 = 0
  runs30 = 0
  readonly all = new Numbers()
  readonly days = new Map<string, Numbers>()
  constructor(
    readonly phase: string,
    readonly env: string,
  ) {}
}

export class DashboardAccumulator {
  private readonly groups = new Groups<PhaseSeries>()
  private readonly cache = new CacheAccumulator()
  private readonly flakes = new FlakeAccumulator()
  private readonly queue = new Map<string, Numbers>()
  private readonly cut7: string
  private readonly cut30: string
  private first: string | null = null
  private last: string | null = null
  private rows = 0

  constructor(
    private readonly now: Date,
    private readonly budgets: Budgets,
  ) {
    this.cut7 = isoSeconds(new Date(now.getTime() - 7 * DAY_MS))
    this.cut30 = isoSeconds(new Date(now.getTime() - 30 * DAY_MS))
  }

  add(row: ReportRow): void {
    this.rows++
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const start = row.start_time_utc ?? ''
    const g = this.groups.get(phase, env, () => new PhaseSeries(phase, env))
    const status = rowStatus(row)
    const duration = rowDuration(row)
    g.runs++
    if (start && (this.first === null || start < this.first)) this.first = start
    if (start && (this.last === null || start > this.last)) this.last = start
    // Registry times are ISO-8601 UTC at second precision: as strings they order as the instants they name.
    if (start >= this.cut30) {
      g.runs30++
      if (status === 'success') g.ok30++
      if (start >= this.cut7) {
        g.runs7++
        if (status === 'success') g.ok7++
      }
    }
    const day = start.slice(0, 10)
    if (duration !== null) {
      g.total += duration
      if (status === 'success') {
        g.all.push(duration)
        if (/^\d{4}-\d{2}-\d{2}$/.test(day)) {
          let d = g.days.get(day)
          if (!d) g.days.set(day, (d = new Numbers()))
          d.push(duration)
        }
      }
    }
    const queue = Number(row.queue_seconds || NaN)
    if (Number.isFinite(queue) && queue >= 0 && /^\d{4}-\d{2}-\d{2}$/.test(day)) {
      let q = this.queue.get(day)
      if (!q) this.queue.set(day, (q = new Numbers()))
      q.push(queue)
    }
    this.cache.add(row)
    this.flakes.add(row)
  }

  result(): DashboardData {
    const sorted = (n: Numbers): Float64Array => n.view().slice().sort()
    const phases = this.groups
      .values()
      .map((g): DashboardPhase => {
        const budget = budgetFor(this.budgets, g.phase)
        return {
          phase: g.phase,
          env: g.env,
          runs: g.runs,
          success7: rate(g.runs7, g.ok7),
          success30: rate(g.runs30, g.ok30),
          totalSeconds: g.total,
          p50: percentile(sorted(g.all), 0.5),
          target: budget?.target ?? null,
          max: budget?.max ?? null,
          trend: [...g.days.entries()]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([day, d]) => ({ day, p50: percentile(sorted(d), 0.5) as number, runs: d.length })),
        }
      })
      .sort(byEnvThenPhase)
    const all = phases.reduce((s, p) => s + p.totalSeconds, 0)
    let running = 0
    const pareto = [...phases]
      .filter((p) => p.totalSeconds > 0)
      .sort((a, b) => b.totalSeconds - a.totalSeconds)
      .map((p) => {
        running += p.totalSeconds
        return {
          phase: p.phase,
          env: p.env,
          totalSeconds: p.totalSeconds,
          cumulative: all ? running / all : 0,
        }
      })
    const sum = (pick: (p: DashboardPhase) => RateCount): RateCount =>
      rate(
        phases.reduce((s, p) => s + pick(p).runs, 0),
        phases.reduce((s, p) => s + pick(p).successes, 0),
      )
    return {
      generatedAt: isoSeconds(this.now),
      from: this.first,
      to: this.last,
      rows: this.rows,
      success7: sum((p) => p.success7),
      success30: sum((p) => p.success30),
      phases,
      pareto,
      cache: this.cache.result().filter((c) => c.hitRate !== null),
      flakes: this.flakes.result(),
      flakeRateTarget: this.budgets.flakeRateTarget ?? null,
      queue: [...this.queue.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, q]) => {
          const s = sorted(q)
          return { day, p50: percentile(s, 0.5) as number, p90: percentile(s, 0.9) as number, runs: q.length }
        }),
    }
  }
}

const rate = (runs: number, successes: number): RateCount => ({
  runs,
  successes,
  rate: runs ? successes / runs : null,
})
