/**
 * The alert webhook's message (docs/export.md): at most one per job, sent when the job went wrong in a way a team
 * wants to hear about in chat. The body is Slack's incoming-webhook shape (`text` with mrkdwn), which
 * Mattermost, Rocket.Chat and Discord's `/slack` endpoint accept as well.
 */
import type { Row } from './schema.js'
import { redactSecrets } from './sanitize.js'
import type { Regression } from './stats.js'

export interface AlertFacts {
  row: Row
  regression?: Regression
  /** The regression threshold that applied (0.5 for 50 %). */
  regressionThreshold?: number
  cache?: { rate: number | null; verdict: 'met' | 'not_met' | 'alert' | 'none' }
  hitRateAlert?: number
  /** A failure of the same sha and phase was followed by this success (a flake, docs/export.md "Alerts"). */
  flaky?: boolean
  runUrl?: string
}

export type AlertReason = 'over_max' | 'timeout' | 'regression' | 'cache_hit_rate' | 'flake'

export function alertReasons(f: AlertFacts): AlertReason[] {
  const reasons: AlertReason[] = []
  if (f.row.budget_status === 'over_max') reasons.push('over_max')
  if (f.row.budget_status === 'timeout') reasons.push('timeout')
  if (f.regression?.regressed) reasons.push('regression')
  if (f.cache?.verdict === 'alert') reasons.push('cache_hit_rate')
  if (f.flaky) reasons.push('flake')
  return reasons
}

const pct = (x: number): string => `${Math.round(x * 100)} %`

/** The message, or null when nothing is worth an alert. `secrets` are redacted from every part. */
export function alertMessage(f: AlertFacts, secrets: readonly string[] = []): { text: string } | null {
  const reasons = alertReasons(f)
  if (!reasons.length) return null
  const r = f.row
  const lines = reasons.map((reason) => {
    switch (reason) {
      case 'over_max':
        return `• took ${r.duration_seconds}s, over its max of ${r.budget_max_seconds || '?'}s`
      case 'timeout':
        return `• timed out after ${r.duration_seconds}s (max ${r.budget_max_seconds || '?'}s)`
      case 'regression':
        return `• ${r.duration_seconds}s is ${pct(f.regression?.change ?? 0)} slower than the median of its last ${f.regression?.sample ?? '?'} successful runs (${f.regression?.median ?? '?'}s; threshold ${pct(f.regressionThreshold ?? 0)})`
      case 'cache_hit_rate':
        return `• cache hit rate ${f.cache?.rate === null || f.cache?.rate === undefined ? '?' : pct(f.cache.rate)} (${r.cache_hits}/${r.cache_lookups}), under the alert level${f.hitRateAlert === undefined ? '' : ` of ${pct(f.hitRateAlert)}`}`
      case 'flake':
        return `• flaky: it failed earlier on the same commit ${r.sha.slice(0, 7)} and now passed`
    }
  })
  const where = [r.repository, r.ref.replace(/^refs\/heads\//, '')].filter(Boolean).join(' @ ')
  const head = `build-timings: *${slackText(r.phase)}* [${slackText(r.env)}] ${slackText(r.status)}${where ? ` in ${slackText(where)}` : ''}`
  const link = f.runUrl && /^https?:\/\//.test(f.runUrl) ? `\n<${slackText(f.runUrl)}|Open the run>` : ''
  return { text: redactSecrets([head, ...lines].join('\n') + link, secrets) }
}

/**
 * Names come from users (phases, refs): Slack's three control characters are escaped so that a phase can
 * never mention a channel (`<!channel>`), a user or carry a link of its own.
 */
export function slackText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * A flake (docs/export.md "Alerts"), seen from the row being recorded: it succeeded, and an earlier row of the same repository,
 * sha, phase and env failed (a re-run attempt or a later run with no new commit).
 */
export function seenFlake(
  row: Pick<Row, 'status' | 'sha' | 'repository' | 'phase' | 'env' | 'row_id'>,
  past: readonly Partial<Record<string, string>>[],
): boolean {
  if (row.status !== 'success' || !row.sha) return false
  return past.some(
    (r) =>
      r.row_id !== row.row_id &&
      r.sha === row.sha &&
      (r.repository ?? '') === row.repository &&
      r.phase === row.phase &&
      r.env === row.env &&
      (r.status ? r.status === 'failure' : r.exit_code !== undefined && r.exit_code !== '0'),
  )
}
