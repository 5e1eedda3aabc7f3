import { stringify } from 'csv-stringify/sync'
import { inert } from '../render/markdown.js'
import { cleanCell, safeLine } from '../sanitize.js'
import { humanDuration } from '../time.js'
import type { CacheGroup } from './cache.js'
import type { CompareGroup } from './compare.js'
import { flakeTargetMet, type FlakeGroup } from './flakes.js'
import type { Spread } from './sample.js'

/** How `report --by cache`, `--by flakes`, `--compare` and the report's flake section are written. */
export type TextFormat = 'table' | 'markdown' | 'json' | 'csv'

const dur = (n: number | null): string => (n === null ? '–' : humanDuration(n))
const pct = (n: number | null, digits = 0): string =>
  n === null ? '–' : `${Number((n * 100).toFixed(digits))}%`
const signedPct = (n: number | null): string => {
  if (n === null) return '–'
  const v = Math.round(n * 100)
  return v > 0 ? `+${v}%` : `${v}%`
}
const pValue = (p: number | null): string => (p === null ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3))
const round = (n: number | null, digits = 4): number | null => (n === null ? null : Number(n.toFixed(digits)))
const shortSha = (sha: string): string => sha.slice(0, 12)
// Names come from users: cleaned and redacted as every printed line is (docs/security.md); in CSV, kept
// from running as formulas; in Markdown, inert.
const csvSafe = (c: string): string => cleanCell(c, [], Infinity)
const mdCell = (s: string): string => inert(s)

/** Columns aligned with two spaces; `numeric` columns right-aligned. */
export function textTable(
  head: readonly string[],
  rows: readonly string[][],
  numeric: ReadonlySet<number>,
): string {
  const all = [[...head], ...rows.map((r) => r.map((c) => safeLine(c)))]
  const widths = head.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)))
  const line = (r: string[]): string =>
    r
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return `${all.map(line).join('\n')}\n`
}

export function markdownTable(
  head: readonly string[],
  rows: readonly string[][],
  numeric: ReadonlySet<number>,
): string {
  const rule = `|${head.map((_, i) => (numeric.has(i) ? ' ---: ' : ' --- ')).join('|')}|`
  return `${[`| ${head.join(' | ')} |`, rule, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n')}\n`
}

function table(
  format: 'table' | 'markdown',
  head: readonly string[],
  rows: string[][],
  numeric: number[],
): string {
  return (format === 'table' ? textTable : markdownTable)(head, rows, new Set(numeric))
}

const spreadJson = (s: Spread) => ({ runs: s.n, median: s.median, q1: s.q1, q3: s.q3, iqr: s.iqr })

// ---- cold vs warm --------------------------------------------------------------------------------------

const CACHE_HEAD = [
  'phase',
  'env',
  'warm',
  'warm p50',
  'warm IQR',
  'cold',
  'cold p50',
  'cold IQR',
  'hit rate',
  'saved/run',
  'saved',
] as const

export function renderCache(groups: readonly CacheGroup[], format: TextFormat): string {
  const judged = groups.filter((g) => g.warm.n + g.cold.n > 0 || g.hitRate !== null)
  if (format === 'json') {
    return `${JSON.stringify(
      {
        groups: judged.map((g) => ({
          phase: g.phase,
          env: g.env,
          warm: spreadJson(g.warm),
          cold: spreadJson(g.cold),
          without_lookups: g.unknown,
          hit_rate: round(g.hitRate),
          saved_per_run: g.savedPerRun,
          saved_total: g.savedTotal,
        })),
      },
      null,
      2,
    )}\n`
  }
  if (format === 'csv') {
    const n = (v: number | null): string => (v === null ? '' : String(v))
    return stringify([
      [
        'phase',
        'env',
        'warm_runs',
        'warm_p50_seconds',
        'warm_iqr_seconds',
        'cold_runs',
        'cold_p50_seconds',
        'cold_iqr_seconds',
        'hit_rate',
        'saved_per_run_seconds',
        'saved_total_seconds',
      ],
      ...judged.map((g) => [
        csvSafe(g.phase),
        csvSafe(g.env),
        String(g.warm.n),
        n(g.warm.median),
        n(g.warm.iqr),
        String(g.cold.n),
        n(g.cold.median),
        n(g.cold.iqr),
        n(round(g.hitRate)),
        n(g.savedPerRun),
        n(g.savedTotal),
      ]),
    ])
  }
  if (!judged.length) {
    const none = 'No rows with cache lookups (cache_hits, cache_lookups) match.'
    return format === 'markdown' ? `_${none}_\n` : `${none}\n`
  }
  const rows = judged.map((g) => [
    g.phase,
    g.env,
    String(g.warm.n),
    dur(g.warm.median),
    dur(g.warm.iqr),
    String(g.cold.n),
    dur(g.cold.median),
    dur(g.cold.iqr),
    pct(g.hitRate),
    dur(g.savedPerRun),
    dur(g.savedTotal),
  ])
  const note =
    'warm: every cache lookup hit; cold: at least one missed; successful runs only. saved = (cold p50 − warm p50) × warm runs.'
  return `${table(format, CACHE_HEAD, rows, [2, 3, 4, 5, 6, 7, 8, 9, 10])}\n${format === 'markdown' ? `_${note}_` : note}\n`
}

// ---- flakes --------------------------------------------------------------------------------------------

const FLAKE_HEAD = ['phase', 'env', 'shas', 'flaky', 'rate', 'target'] as const
/** Flaky shas listed per phase in the text formats; json and csv list all. */
const LIST_MAX = 10

/** The report's flake section (and `--by flakes`): empty when no phase has a flake and no target is set. */
export function renderFlakes(
  groups: readonly FlakeGroup[],
  target: number | undefined,
  format: TextFormat,
  standalone = false,
): string {
  const judged = groups.filter((g) => g.shas > 0)
  const flaky = judged.filter((g) => g.flaky.length > 0)
  const met = (g: FlakeGroup): boolean | null => flakeTargetMet(g.rate, target)
  if (format === 'json') {
    return `${JSON.stringify(
      {
        flake_rate_target: target ?? null,
        groups: judged.map((g) => ({
          phase: g.phase,
          env: g.env,
          shas: g.shas,
          flaky: g.flaky.length,
          rate: round(g.rate, 6),
          target_met: met(g),
          flaky_shas: g.flaky.map((f) => ({
            repository: f.repository,
            sha: f.sha,
            failures: f.failures,
            failed_at: f.failedAt,
            passed_at: f.passedAt,
          })),
        })),
      },
      null,
      2,
    )}\n`
  }
  if (format === 'csv') {
    return stringify([
      ['phase', 'env', 'repository', 'sha', 'failures', 'failed_at', 'passed_at'],
      ...flaky.flatMap((g) =>
        g.flaky.map((f) => [
          csvSafe(g.phase),
          csvSafe(g.env),
          csvSafe(f.repository),
          f.sha,
          String(f.failures),
          f.failedAt,
          f.passedAt,
        ]),
      ),
    ])
  }
  if (!flaky.length && target === undefined && !standalone) return ''
  const title = `Flakes (a failure, then a success of the same sha)${target === undefined ? '' : `, target ≤ ${pct(target, 3)}`}`
  const heading = format === 'markdown' ? `### ${title}\n\n` : `${title}\n`
  if (!judged.length) {
    const none = 'No rows with a sha match: flakes cannot be judged.'
    return `${heading}${format === 'markdown' ? `_${none}_` : none}\n`
  }
  const shown = flaky.length ? judged.filter((g) => g.flaky.length || target !== undefined) : judged
  const rows = shown.map((g) => {
    const m = met(g)
    return [
      g.phase,
      g.env,
      String(g.shas),
      String(g.flaky.length),
      pct(g.rate, 2),
      m === null ? '–' : m ? 'met' : 'not met',
    ]
  })
  const list = flaky.flatMap((g) => {
    const lines = g.flaky
      .slice(0, LIST_MAX)
      .map(
        (f) =>
          `${g.phase} (${g.env}): ${shortSha(f.sha)}${f.repository ? ` in ${f.repository}` : ''}, ${f.failures} failed from ${f.failedAt}, passed ${f.passedAt}`,
      )
    if (g.flaky.length > LIST_MAX)
      lines.push(
        `${g.phase} (${g.env}): and ${g.flaky.length - LIST_MAX} more (--by flakes --format csv lists all)`,
      )
    return lines
  })
  const listText = list.length
    ? `\n${list.map((l) => (format === 'markdown' ? `- ${mdCell(l)}` : `  ${safeLine(l)}`)).join('\n')}\n`
    : ''
  return `${heading}${table(format, FLAKE_HEAD, rows, [2, 3, 4])}${listText}`
}

// ---- compare -------------------------------------------------------------------------------------------

const COMPARE_HEAD = [
  'phase',
  'env',
  'A runs',
  'A p50',
  'A IQR',
  'B runs',
  'B p50',
  'B IQR',
  'change',
  'p',
  'verdict',
] as const

export function renderComparison(
  a: string,
  b: string,
  groups: readonly CompareGroup[],
  format: TextFormat,
): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        a,
        b,
        significance: 0.05,
        groups: groups.map((g) => ({
          phase: g.phase,
          env: g.env,
          a: spreadJson(g.a),
          b: spreadJson(g.b),
          change: round(g.change),
          u: g.u,
          p: g.p === null ? null : Number(g.p.toPrecision(4)),
          method: g.method,
          verdict: g.verdict,
        })),
      },
      null,
      2,
    )}\n`
  }
  if (format === 'csv') {
    const n = (v: number | null): string => (v === null ? '' : String(v))
    return stringify([
      [
        'phase',
        'env',
        'a_runs',
        'a_p50_seconds',
        'a_iqr_seconds',
        'b_runs',
        'b_p50_seconds',
        'b_iqr_seconds',
        'change',
        'u',
        'p',
        'verdict',
      ],
      ...groups.map((g) => [
        csvSafe(g.phase),
        csvSafe(g.env),
        String(g.a.n),
        n(g.a.median),
        n(g.a.iqr),
        String(g.b.n),
        n(g.b.median),
        n(g.b.iqr),
        n(round(g.change)),
        n(g.u),
        g.p === null ? '' : String(Number(g.p.toPrecision(4))),
        g.verdict,
      ]),
    ])
  }
  const heading = `A = ${a}, B = ${b}: successful runs; a change is called only at p < 0.05 (two-sided Mann-Whitney U)`
  const head = format === 'markdown' ? `_${mdCell(heading)}_\n\n` : `${safeLine(heading)}\n\n`
  if (!groups.length)
    return `${head}${format === 'markdown' ? '_No successful runs in either set._' : 'No successful runs in either set.'}\n`
  const rows = groups.map((g) => [
    g.phase,
    g.env,
    String(g.a.n),
    dur(g.a.median),
    dur(g.a.iqr),
    String(g.b.n),
    dur(g.b.median),
    dur(g.b.iqr),
    signedPct(g.change),
    pValue(g.p),
    g.verdict,
  ])
  return `${head}${table(format, COMPARE_HEAD, rows, [2, 3, 4, 5, 6, 7, 8, 9])}`
}
