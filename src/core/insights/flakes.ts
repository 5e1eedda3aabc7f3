import type { ReportRow } from '../report.js'
import { rowStatus } from '../report.js'
import { isoSeconds } from '../time.js'
import { byEnvThenPhase, Groups } from './sample.js'

/**
 * SPEC §7 flakes: a (repository, sha, phase, env) whose failure was followed by a success of the same sha
 * (a re-run attempt or a later run, with no new commit in between since the sha is the same). Order is
 * judged by start time, not by file order, so rows merged from several registries (`push`) still count.
 * Rows without a sha cannot be judged and are left out of both counts.
 */
export interface FlakyCommit {
  repository: string
  sha: string
  /** The first failure and the last success after which the sha is called flaky. */
  failedAt: string
  passedAt: string
  failures: number
}

export interface FlakeGroup {
  phase: string
  env: string
  /** Distinct (repository, sha) run in this phase and env. */
  shas: number
  flaky: FlakyCommit[]
  /** flaky / shas, 0..1. */
  rate: number
}

/** Seconds since 2020 fit a small integer until 2054: a commit seen costs its map entry and no object. */
const EPOCH = Date.UTC(2020, 0, 1) / 1000
const NO_SUCCESS = -Infinity

interface Failed {
  first: number
  count: number
}

class PhaseCommits {
  /** repository → sha → the last success (seconds since EPOCH), NO_SUCCESS if none yet. */
  readonly lastSuccess = new Map<string, Map<string, number>>()
  /** Only commits that failed: `repository\0sha` → the first failure. */
  readonly failed = new Map<string, Failed>()
  shas = 0
  constructor(
    readonly phase: string,
    readonly env: string,
  ) {}
}

export class FlakeAccumulator {
  private readonly groups = new Groups<PhaseCommits>()

  add(row: ReportRow): void {
    const sha = row.sha
    if (!sha) return
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const g = this.groups.get(phase, env, () => new PhaseCommits(phase, env))
    const repository = row.repository ?? ''
    let shas = g.lastSuccess.get(repository)
    if (!shas) g.lastSuccess.set(repository, (shas = new Map()))
    let last = shas.get(sha)
    if (last === undefined) {
      g.shas++
      shas.set(sha, (last = NO_SUCCESS))
    }
    const status = rowStatus(row)
    if (status !== 'success' && status !== 'failure') return
    const at = seconds(row.start_time_utc ?? '')
    if (at === null) return
    if (status === 'success') {
      if (at > last) shas.set(sha, at)
      return
    }
    const key = `${repository}\u0000${sha}`
    const failed = g.failed.get(key)
    if (!failed) g.failed.set(key, { first: at, count: 1 })
    else {
      failed.count++
      if (at < failed.first) failed.first = at
    }
  }

  result(): FlakeGroup[] {
    return this.groups
      .values()
      .map((g) => {
        const flaky: FlakyCommit[] = []
        for (const [key, failed] of g.failed) {
          const [repository = '', sha = ''] = key.split('\u0000')
          const last = g.lastSuccess.get(repository)?.get(sha) ?? NO_SUCCESS
          if (last <= failed.first) continue
          flaky.push({
            repository,
            sha,
            failedAt: iso(failed.first),
            passedAt: iso(last),
            failures: failed.count,
          })
        }
        flaky.sort((a, b) => (a.failedAt < b.failedAt ? -1 : a.failedAt > b.failedAt ? 1 : 0))
        return { phase: g.phase, env: g.env, shas: g.shas, flaky, rate: g.shas ? flaky.length / g.shas : 0 }
      })
      .sort(byEnvThenPhase)
  }
}

/** `2026-01-24T10:15:03Z` → seconds since EPOCH, read digit by digit (a million Date.parse calls add up). */
function seconds(text: string): number | null {
  if (text.length === 20 && text.charCodeAt(19) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
    const d = (i: number): number => text.charCodeAt(i) - 48
    const ms = Date.UTC(
      d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3),
      d(5) * 10 + d(6) - 1,
      d(8) * 10 + d(9),
      d(11) * 10 + d(12),
      d(14) * 10 + d(15),
      d(17) * 10 + d(18),
    )
    if (Number.isFinite(ms)) return ms / 1000 - EPOCH
  }
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? Math.floor(ms / 1000) - EPOCH : null
}

const iso = (s: number): string => isoSeconds(new Date((s + EPOCH) * 1000))

export function findFlakes(rows: Iterable<ReportRow>): FlakeGroup[] {
  const acc = new FlakeAccumulator()
  for (const row of rows) acc.add(row)
  return acc.result()
}

/** SPEC §7: met when the rate is at or below the budgets file's flake-rate-target; null without one. */
export function flakeTargetMet(rate: number, target: number | undefined): boolean | null {
  return target === undefined ? null : rate <= target + 1e-12
}
