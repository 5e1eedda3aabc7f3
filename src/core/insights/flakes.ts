import type { ReportRow } from '../report.js'
import { rowStatus } from '../report.js'
import { byEnvThenPhase, groupKey } from './sample.js'

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

/** Per commit: the earliest failure and the latest success, as ISO-8601 strings (they sort as instants). */
interface Seen {
  firstFailure: string
  lastSuccess: string
  failures: number
}

export class FlakeAccumulator {
  private readonly groups = new Map<string, { phase: string; env: string; commits: Map<string, Seen> }>()

  add(row: ReportRow): void {
    const sha = row.sha
    if (!sha) return
    const status = rowStatus(row)
    const phase = row.phase ?? ''
    const env = row.env ?? ''
    const key = groupKey(phase, env)
    let g = this.groups.get(key)
    if (!g) this.groups.set(key, (g = { phase, env, commits: new Map() }))
    const commit = `${row.repository ?? ''}\u0000${sha}`
    let seen = g.commits.get(commit)
    if (!seen) g.commits.set(commit, (seen = { firstFailure: '', lastSuccess: '', failures: 0 }))
    const start = row.start_time_utc ?? ''
    if (status === 'failure') {
      seen.failures++
      if (!seen.firstFailure || start < seen.firstFailure) seen.firstFailure = start
    } else if (status === 'success' && start > seen.lastSuccess) seen.lastSuccess = start
  }

  result(): FlakeGroup[] {
    return [...this.groups.values()]
      .map(({ phase, env, commits }) => {
        const flaky: FlakyCommit[] = []
        for (const [key, seen] of commits) {
          if (!seen.firstFailure || seen.lastSuccess <= seen.firstFailure) continue
          const [repository = '', sha = ''] = key.split('\u0000')
          flaky.push({
            repository,
            sha,
            failedAt: seen.firstFailure,
            passedAt: seen.lastSuccess,
            failures: seen.failures,
          })
        }
        flaky.sort((a, b) => (a.failedAt < b.failedAt ? -1 : a.failedAt > b.failedAt ? 1 : 0))
        return { phase, env, shas: commits.size, flaky, rate: commits.size ? flaky.length / commits.size : 0 }
      })
      .sort(byEnvThenPhase)
  }
}

export function findFlakes(rows: Iterable<ReportRow>): FlakeGroup[] {
  const acc = new FlakeAccumulator()
  for (const row of rows) acc.add(row)
  return acc.result()
}

/** SPEC §7: met when the rate is at or below the budgets file's flake-rate-target; null without one. */
export function flakeTargetMet(rate: number, target: number | undefined): boolean | null {
  return target === undefined ? null : rate <= target + 1e-12
}
