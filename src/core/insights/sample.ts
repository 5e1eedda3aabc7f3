import { percentile } from '../stats.js'

/** Median and spread of one set of durations (seconds). */
export interface Spread {
  n: number
  median: number | null
  /** First and third quartiles (R-7, as the report's percentiles) and their distance. */
  q1: number | null
  q3: number | null
  iqr: number | null
}

export function spreadOf(values: ArrayLike<number>): Spread {
  const sorted = Float64Array.from(values).sort()
  const q1 = percentile(sorted, 0.25)
  const q3 = percentile(sorted, 0.75)
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    q1,
    q3,
    iqr: q1 === null || q3 === null ? null : q3 - q1,
  }
}

/** A growable list of numbers that costs 8 bytes an entry, not an object. */
export class Numbers {
  private data = new Float64Array(16)
  length = 0

  push(n: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.length++] = n
  }

  view(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}

/**
 * Values per (phase, env), the key every insight groups by, as the report does. Two levels rather than a
 * joined key: a million rows then build no key strings.
 */
export class Groups<T> {
  private readonly byPhase = new Map<string, Map<string, T>>()

  get(phase: string, env: string, make: () => T): T {
    let envs = this.byPhase.get(phase)
    if (!envs) this.byPhase.set(phase, (envs = new Map()))
    let value = envs.get(env)
    if (value === undefined) envs.set(env, (value = make()))
    return value
  }

  values(): T[] {
    return [...this.byPhase.values()].flatMap((envs) => [...envs.values()])
  }
}

export const byEnvThenPhase = (
  a: { env: string; phase: string },
  b: { env: string; phase: string },
): number => (a.env === b.env ? cmp(a.phase, b.phase) : cmp(a.env, b.env))

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
