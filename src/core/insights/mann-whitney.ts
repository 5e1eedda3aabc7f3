/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum): is one set of durations shifted against the other?
 * It assumes no distribution, which suits build times (skewed, with outliers). Exact null distribution for
 * small samples without ties; otherwise the normal approximation with tie correction and continuity
 * correction, as scipy.stats.mannwhitneyu(method='asymptotic') computes it.
 */

export interface MannWhitney {
  /** U of the first sample: how many (a, b) pairs have a > b, ties counting one half. */
  u: number
  /** Two-sided p-value. */
  p: number
  method: 'exact' | 'normal'
}

/** Largest sample size (each side) for which the exact distribution is computed. */
const EXACT_MAX = 30

export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitney {
  const n1 = a.length
  const n2 = b.length
  if (n1 === 0 || n2 === 0) return { u: 0, p: 1, method: 'exact' }
  const all: { v: number; first: boolean }[] = []
  for (let i = 0; i < n1; i++) all.push({ v: a[i] as number, first: true })
  for (let i = 0; i < n2; i++) all.push({ v: b[i] as number, first: false })
  all.sort((x, y) => x.v - y.v)
  const n = n1 + n2
  let rankSum1 = 0
  let tieTerm = 0
  for (let i = 0; i < n;) {
    let j = i
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++
    const rank = (i + j) / 2 + 1
    const t = j - i + 1
    if (t > 1) tieTerm += t * t * t - t
    for (let k = i; k <= j; k++) if ((all[k] as { first: boolean }).first) rankSum1 += rank
    i = j + 1
  }
  const u = rankSum1 - (n1 * (n1 + 1)) / 2
  if (tieTerm === 0 && n1 <= EXACT_MAX && n2 <= EXACT_MAX) {
    return { u, p: exactTwoSided(u, n1, n2), method: 'exact' }
  }
  const mu = (n1 * n2) / 2
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)))
  if (variance <= 0) return { u, p: 1, method: 'normal' }
  const z = Math.max(0, Math.abs(u - mu) - 0.5) / Math.sqrt(variance)
  return { u, p: Math.min(1, erfc(z / Math.SQRT2)), method: 'normal' }
}

/**
 * P(U ≤ u) under the null hypothesis, by the recurrence f(m, n, u) = m/(m+n)·f(m−1, n, u−n) +
 * n/(m+n)·f(m, n−1, u), kept as probabilities so that it cannot overflow; doubled for two sides.
 */
function exactTwoSided(u: number, n1: number, n2: number): number {
  const uMin = Math.min(u, n1 * n2 - u)
  const k = Math.floor(uMin + 1e-9)
  // prob[i][j] = distribution of U for sizes i, j (an array over u = 0..i·j)
  let prev: Float64Array[] = []
  for (let i = 0; i <= n1; i++) {
    const row: Float64Array[] = []
    for (let j = 0; j <= n2; j++) {
      const dist = new Float64Array(i * j + 1)
      if (i === 0 || j === 0) dist[0] = 1
      else {
        const left = prev[j] as Float64Array // (i−1, j)
        const down = row[j - 1] as Float64Array // (i, j−1)
        const wi = i / (i + j)
        const wj = j / (i + j)
        for (let x = 0; x < dist.length; x++) {
          const a = x - j >= 0 && x - j < left.length ? (left[x - j] as number) : 0
          const b = x < down.length ? (down[x] as number) : 0
          dist[x] = wi * a + wj * b
        }
      }
      row.push(dist)
    }
    prev = row
  }
  const dist = prev[n2] as Float64Array
  let cdf = 0
  for (let x = 0; x <= k; x++) cdf += dist[x] as number
  return Math.min(1, 2 * cdf)
}

/** Complementary error function: Numerical Recipes' erfcc, a Chebyshev fit with relative error < 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    )
  return x >= 0 ? r : 2 - r
}
