/**
 * Percentiles by linear interpolation between closest ranks (the "R-7" method, numpy's and Excel's
 * PERCENTILE.INC default): for sorted x of length n, p → x[h] with h = (n − 1)·p, interpolated.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const h = (n - 1) * p
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (h - lo)
}

export function median(values: readonly number[]): number | null {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  )
}

export interface Regression {
  median: number | null
  /** duration / median − 1, e.g. 0.5 for 50 % slower. */
  change: number | null
  regressed: boolean
  sample: number
}

/**
 * The regression verdict (README "Budgets"): compare with the median of the last `window` successful runs of
 * the phase and env.
 */
export function regression(
  duration: number,
  history: readonly { duration: number; success: boolean }[],
  opts: { window: number; threshold: number },
): Regression {
  const recent = history
    .filter((h) => h.success)
    .slice(-opts.window)
    .map((h) => h.duration)
  const m = median(recent)
  if (m === null || m <= 0) return { median: m, change: null, regressed: false, sample: recent.length }
  const change = duration / m - 1
  // Tolerance for binary fractions: 11 / 10 − 1 is 0.10000000000000009, and exactly median × 1.1 is not "> 1.1".
  return { median: m, change, regressed: change > opts.threshold + 1e-9, sample: recent.length }
}
