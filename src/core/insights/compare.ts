import type { ReportRow } from '../report.js'
import { rowDuration, rowStatus } from '../report.js'
import { mannWhitneyU } from './mann-whitney.js'
import { byEnvThenPhase, Groups, Numbers, spreadOf, type Spread } from './sample.js'

/**
 * SPEC §7 compare: two sets of rows (periods, refs or flag values), per phase and env: medians, IQR, the
 * change and a two-sided Mann-Whitney U test. A change is called only at p < 0.05; anything else is "no
 * detectable change", however large the medians' difference looks. Successful runs only: a failure's
 * duration says when it broke, not how fast the phase is.
 */
export const SIGNIFICANCE = 0.05

export type CompareVerdict = 'faster' | 'slower' | 'no detectable change' | 'not run in both'

export interface CompareGroup {
  phase: string
  env: string
  a: Spread
  b: Spread
  /** b median / a median − 1 (−0.2 = B is 20 % faster); null unless both were run. */
  change: number | null
  u: number | null
  p: number | null
  method: 'exact' | 'normal' | null
  verdict: CompareVerdict
}

export interface Comparison {
  a: string
  b: string
  groups: CompareGroup[]
}

/** Which set a row belongs to: 'a', 'b', or null for neither (a row can be in both: it then counts in A). */
export type Chooser = (row: ReportRow) => 'a' | 'b' | null

export class CompareAccumulator {
  private readonly groups = new Groups<{ phase: string; env: string; a: Numbers; b: Numbers }>()

  constructor(private readonly choose: Chooser) {}

  add(row: ReportRow): void {
    const side = this.choose(row)
    if (side === null || rowStatus(row) !== 'success') return
    const duration = rowDuration(row)
    if (duration === null) return
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const g = this.groups.get(phase, env, () => ({ phase, env, a: new Numbers(), b: new Numbers() }))
    g[side].push(duration)
  }

  result(): CompareGroup[] {
    return this.groups
      .values()
      .map((g) => compareSamples(g.phase, g.env, g.a.view(), g.b.view()))
      .sort(byEnvThenPhase)
  }
}

export function compareSamples(
  phase: string,
  env: string,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): CompareGroup {
  const sa = spreadOf(a)
  const sb = spreadOf(b)
  if (!sa.n || !sb.n) {
    return {
      phase,
      env,
      a: sa,
      b: sb,
      change: null,
      u: null,
      p: null,
      method: null,
      verdict: 'not run in both',
    }
  }
  const test = mannWhitneyU(a, b)
  const change = sa.median && sb.median !== null ? sb.median / sa.median - 1 : null
  // U counts the pairs where A's run took longer: above half of all pairs, B is the faster set.
  const verdict: CompareVerdict =
    test.p >= SIGNIFICANCE || test.u === (sa.n * sb.n) / 2
      ? 'no detectable change'
      : test.u > (sa.n * sb.n) / 2
        ? 'faster'
        : 'slower'
  return { phase, env, a: sa, b: sb, change, u: test.u, p: test.p, method: test.method, verdict }
}

export function compare(rows: Iterable<ReportRow>, choose: Chooser): CompareGroup[] {
  const acc = new CompareAccumulator(choose)
  for (const row of rows) acc.add(row)
  return acc.result()
}
