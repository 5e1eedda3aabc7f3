import { safeLine } from '../sanitize.js'
import type { CacheResult, CacheSummary } from '../cache.js'
import type { BudgetStatus } from '../schema.js'

const WORD_JOINER = '\u2060'

/**
 * Text that came from users (phases, job names, matrix values, flags, reasons) made inert for GitHub's
 * Markdown (README "The GitHub Action"): one line with controls and credentials out; no HTML (`<`, `>`, `&` escaped); no links
 * or images (`[` and `]` escaped, so no `[…](…)` or `![…](…)` forms; autolinks broken by a word joiner after `://`, `www.`); no
 * @mentions or #references (a word joiner after `@` and `#`: GitHub finds them in the rendered text, so a
 * backslash or an entity would not stop them); no code spans (backticks escaped); `|` escaped for tables.
 */
export function inert(text: string): string {
  return safeLine(text)
    .replace(/[\\`[\]]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/@|#(?=\d)|\bGH-(?=\d)/gi, `$&${WORD_JOINER}`)
    .replace(/:\/\//g, `:${WORD_JOINER}//`)
    .replace(/\b(www)\./gi, `$1${WORD_JOINER}.`)
    .trim()
}

/** A table cell: inert user text. Cells were also formula-neutralised and redacted when the row was built. */
export function cell(text: string): string {
  return inert(text)
}

export function table(
  header: readonly string[],
  align: readonly ('l' | 'r')[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  const rule = `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`
  return [line(header), rule, ...rows.map(line)].join('\n')
}

/** A fenced block whose fence is longer than any backtick run inside, so no cell can close it early. */
export function fenced(info: string, body: string): string {
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${info}\n${body.replace(/\n$/, '')}\n${fence}`
}

export function percent(ratio: number, digits = 0): string {
  return `${(ratio * 100).toFixed(digits)}%`
}

/** `+62%`, `−12%` (a real minus sign, so it never reads as a list or formula), `±0%`. */
export function signedPercent(ratio: number): string {
  const rounded = Math.round(ratio * 100)
  if (rounded === 0) return '±0%'
  return rounded > 0 ? `+${rounded}%` : `−${Math.abs(rounded)}%`
}

/** `10m`, `1m 1s`, `1h 2m`, `45s`: like core/time humanDuration without the zero parts, `—` when unknown. */
export function seconds(value: number | undefined | null): string {
  if (value === undefined || value === null || !Number.isFinite(value)) return '—'
  const s = Math.max(0, Math.round(value))
  if (s < 60) return `${s}s`
  const parts: [number, string][] = [
    [Math.floor(s / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ]
  return parts
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ')
}

const VERDICTS: Record<BudgetStatus, string> = {
  ok: '✅ ok',
  over_target: '🟡 over target',
  over_max: '🔴 over max',
  timeout: '⛔ timeout',
  none: '➖ no budget',
}

export function verdictText(verdict: string): string {
  return VERDICTS[verdict as BudgetStatus] ?? (verdict ? cell(verdict) : VERDICTS.none)
}

/** Over its target or worse: what the comment counts as a budget breach. */
export function isBreach(verdict: string): boolean {
  return verdict === 'over_target' || verdict === 'over_max' || verdict === 'timeout'
}

const STATUSES: Record<string, string> = {
  success: '✅ success',
  failure: '❌ failure',
  cancelled: '🚫 cancelled',
  skipped: '⏭️ skipped',
  unknown: '❔ unknown',
}

export function statusText(status: string): string {
  return STATUSES[status] ?? (status ? cell(status) : STATUSES.unknown!)
}

const CACHE_RESULTS: Record<CacheResult, string> = {
  exact: '✅ exact',
  partial: '🟡 partial',
  miss: '❌ miss',
}

export function cacheResultText(result: CacheResult): string {
  return CACHE_RESULTS[result]
}

const CACHE_VERDICTS: Record<CacheSummary['verdict'], string> = {
  met: '✅ target met',
  not_met: '🟡 below target',
  alert: '🔴 below alert level',
  none: '➖ no target',
}

export function cacheVerdictText(verdict: CacheSummary['verdict']): string {
  return CACHE_VERDICTS[verdict]
}

/** Byte length in UTF-8: never less than the character count, so a limit checked on it holds for both. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length
}
