// A generated registry with planted facts: flakes, cache states and a 20 % speed-up, plus decoys that look
// like them but are not. Every planted fact is returned beside the rows, so tests compare with the plant,
// not with a re-computation.
import type { ReportRow } from '../../../src/core/report.js'

export const NOW = new Date('2026-03-01T00:00:00Z')
const DAY = 86_400_000

/** Deterministic uniform [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
// A sha-shaped id whose first 12 digits (what reports show) differ for every n.
const hex = (n: number): string =>
  `${(Math.imul(n, 2654435761) >>> 0).toString(16).padStart(8, '0')}${n.toString(16).padStart(32, '0')}`

export interface Planted {
  rows: ReportRow[]
  /** `phase sha` of every planted flake. */
  flakes: string[]
  /** shas run per phase (env ci). */
  shas: Record<string, number>
}

let runId = 1000
function row(
  over: { phase: string; start: number; duration: number } & Record<string, string | number>,
): ReportRow {
  const { phase, start, duration, ...rest } = over as {
    phase: string
    start: number
    duration: number
  } & Record<string, string>
  runId++
  return {
    start_time_utc: iso(start),
    end_time_utc: iso(start + duration * 1000),
    phase,
    env: 'ci',
    build_id: String(runId),
    duration_seconds: String(duration),
    exit_code: rest.status === 'failure' ? '1' : '0',
    flags: '',
    status: 'success',
    source: 'github',
    repository: 'acme/widgets',
    run_id: String(runId),
    run_attempt: '1',
    ref: 'refs/heads/main',
    sha: hex(runId),
    budget_status: 'ok',
    cache_hits: '',
    cache_lookups: '',
    ...rest,
  }
}

/**
 * - build: 41 warm runs of 40..80 s (median 60, IQR 50..70), 21 cold runs of 170..190 s (median 180, IQR
 *   175..185), 5 runs without lookups.
 * - test: 30 runs 14..7 days ago around 300 s, 30 runs in the last 7 days around 240 s (20 % faster).
 * - deploy: 30 + 30 runs from one distribution around 120 s (no change).
 * - lint: 200 shas; flakes planted on 6 of them (failure, then success of the same sha), among decoys.
 */
export function plantedRegistry(seed = 12): Planted {
  const rand = rng(seed)
  const rows: ReportRow[] = []
  const t0 = NOW.getTime() - 20 * DAY
  let t = t0
  const next = (): number => (t += 600_000)

  const warm = Array.from({ length: 41 }, (_, i) => 40 + i)
  const cold = Array.from({ length: 21 }, (_, i) => 170 + i)
  const mixed = [...warm.map((d) => ['warm', d] as const), ...cold.map((d) => ['cold', d] as const)]
  mixed.sort(() => rand() - 0.5)
  for (const [state, d] of mixed) {
    const lookups = 1 + Math.floor(rand() * 4)
    const hits = state === 'warm' ? lookups : Math.floor(rand() * lookups)
    rows.push(
      row({
        phase: 'build',
        start: next(),
        duration: d,
        cache_hits: String(hits),
        cache_lookups: String(lookups),
      }),
    )
  }
  // A cold run that failed early and warm-looking rows without lookups do not count.
  rows.push(
    row({
      phase: 'build',
      start: next(),
      duration: 5,
      status: 'failure',
      cache_hits: '0',
      cache_lookups: '2',
    }),
  )
  for (let i = 0; i < 5; i++) rows.push(row({ phase: 'build', start: next(), duration: 1000 + i }))

  const noisy = (base: number): number => Math.round(base * (0.85 + 0.3 * rand()))
  for (let i = 0; i < 30; i++) {
    rows.push(row({ phase: 'test', start: NOW.getTime() - 14 * DAY + i * 3_600_000, duration: noisy(300) }))
    rows.push(row({ phase: 'test', start: NOW.getTime() - 7 * DAY + i * 3_600_000, duration: noisy(240) }))
    rows.push(row({ phase: 'deploy', start: NOW.getTime() - 14 * DAY + i * 3_600_000, duration: noisy(120) }))
    rows.push(row({ phase: 'deploy', start: NOW.getTime() - 7 * DAY + i * 3_600_000, duration: noisy(120) }))
  }

  const flakes: string[] = []
  const lintShas = Array.from({ length: 200 }, (_, i) => hex(0xabc000 + i))
  for (const sha of lintShas) rows.push(row({ phase: 'lint', start: next(), duration: 30, sha }))
  const at = (i: number): string => lintShas[i] as string
  // Planted: a failure, then a re-run attempt that passed.
  for (const i of [3, 50, 51]) {
    const s = next()
    rows.push(row({ phase: 'lint', start: s, duration: 31, sha: at(i), status: 'failure' }))
    rows.push(row({ phase: 'lint', start: s + 60_000, duration: 32, sha: at(i), run_attempt: '2' }))
    flakes.push(`lint ${at(i)}`)
  }
  // Planted: two failures, then a later run of the same sha passed.
  {
    const s = next()
    rows.push(row({ phase: 'lint', start: s, duration: 31, sha: at(120), status: 'failure' }))
    rows.push(
      row({
        phase: 'lint',
        start: s + 1000,
        duration: 31,
        sha: at(120),
        status: 'failure',
        run_attempt: '2',
      }),
    )
    rows.push(row({ phase: 'lint', start: s + DAY / 2, duration: 29, sha: at(120) }))
    flakes.push(`lint ${at(120)}`)
  }
  // Planted out of file order (rows merged by push): the success is written before the failure it followed.
  {
    const s = next()
    rows.push(row({ phase: 'lint', start: s + 60_000, duration: 30, sha: at(150), run_attempt: '2' }))
    rows.push(row({ phase: 'lint', start: s, duration: 30, sha: at(150), status: 'failure' }))
    flakes.push(`lint ${at(150)}`)
  }
  // Planted in another repository: the same sha in two repositories are two commits.
  {
    const s = next()
    rows.push(
      row({
        phase: 'lint',
        start: s,
        duration: 30,
        sha: at(7),
        repository: 'acme/gadgets',
        status: 'failure',
      }),
    )
    rows.push(row({ phase: 'lint', start: s + 1000, duration: 30, sha: at(7), repository: 'acme/gadgets' }))
    flakes.push(`lint ${at(7)}`)
  }
  // Decoys: failure then failure; success then failure (the earlier lint row of at(60) already passed);
  // a failure fixed by a new commit; a failure whose success was in another phase or env; a cancelled run.
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: at(10), status: 'failure' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: at(10), status: 'failure' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: at(60), status: 'failure' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead01), status: 'failure' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead02) }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead03), status: 'failure' }))
  rows.push(row({ phase: 'lint-extra', start: next(), duration: 30, sha: hex(0xdead03) }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead04), status: 'failure' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead04), env: 'staging' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead05), status: 'cancelled' }))
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: hex(0xdead05) }))
  // A lint row without a sha cannot be judged.
  rows.push(row({ phase: 'lint', start: next(), duration: 30, sha: '', status: 'failure' }))

  // 200 planned + acme/gadgets' at(7) + dead01..05 (dead04's success is in staging, still a ci sha run)
  return { rows, flakes, shas: { lint: 200 + 1 + 5 } }
}
