import type { ReportRow } from '../report.js'
import { rowDuration, rowStatus } from '../report.js'
import { byEnvThenPhase, Groups, Numbers, spreadOf, type Spread } from './sample.js'

/**
 * SPEC §7 cold vs warm: a row is warm when every cache lookup hit (cache_hits = cache_lookups > 0), cold
 * when any missed; rows without lookups are neither. Only successful runs are timed: a failure stops early
 * and would make a cold cache look fast.
 */
export type CacheState = 'warm' | 'cold' | null

export function cacheState(row: ReportRow): CacheState {
  const lookups = Number(row.cache_lookups || NaN)
  const hits = Number(row.cache_hits || NaN)
  if (!Number.isFinite(lookups) || lookups <= 0 || !Number.isFinite(hits)) return null
  return hits >= lookups ? 'warm' : 'cold'
}

export interface CacheGroup {
  phase: string
  env: string
  warm: Spread
  cold: Spread
  /** Rows without cache lookups (not judged). */
  unknown: number
  /** Cache hits / lookups over every row of the group that counted lookups; null without lookups. */
  hitRate: number | null
  /** cold median − warm median: what one warm run saves; null unless both were seen. */
  savedPerRun: number | null
  /** savedPerRun × warm runs: what the caches saved over the period. */
  savedTotal: number | null
}

class Split {
  warm = new Numbers()
  cold = new Numbers()
  unknown = 0
  hits = 0
  lookups = 0
  constructor(
    readonly phase: string,
    readonly env: string,
  ) {}
}

export class CacheAccumulator {
  private readonly groups = new Groups<Split>()

  add(row: ReportRow): void {
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const g = this.groups.get(phase, env, () => new Split(phase, env))
    const state = cacheState(row)
    if (state === null) {
      g.unknown++
      return
    }
    g.hits += Math.min(Number(row.cache_hits), Number(row.cache_lookups))
    g.lookups += Number(row.cache_lookups)
    const duration = rowDuration(row)
    if (duration === null || rowStatus(row) !== 'success') return
    g[state].push(duration)
  }

  result(): CacheGroup[] {
    return this.groups
      .values()
      .map((g) => {
        const warm = spreadOf(g.warm.view())
        const cold = spreadOf(g.cold.view())
        const savedPerRun = warm.median !== null && cold.median !== null ? cold.median - warm.median : null
        return {
          phase: g.phase,
          env: g.env,
          warm,
          cold,
          unknown: g.unknown,
          hitRate: g.lookups ? g.hits / g.lookups : null,
          savedPerRun,
          savedTotal: savedPerRun === null ? null : savedPerRun * warm.n,
        }
      })
      .sort(byEnvThenPhase)
  }
}

export function coldWarm(rows: Iterable<ReportRow>): CacheGroup[] {
  const acc = new CacheAccumulator()
  for (const row of rows) acc.add(row)
  return acc.result()
}
