import type { ReportRow } from '../report.js'

/**
 * The sets `report --compare A,B` compares. Each side is one of:
 *   period:FROM..TO   runs that started in [FROM, TO): `14d..7d`, `7d..0d`, `2026-01-01..2026-02-01`
 *                     (Nh, Nd, Nw ago, or an ISO date at midnight UTC; an empty TO means now)
 *   ref:NAME          runs of this ref (`main` and `refs/heads/main` are the same)
 *   flags:TEXT        runs whose flags hold TEXT as one word (words split at spaces, commas, semicolons)
 * A side without a kind is a period when it holds "..", else a ref.
 */
export type RowSet =
  | { kind: 'period'; from: number; to: number; text: string }
  | { kind: 'ref'; ref: string; text: string }
  | { kind: 'flags'; flag: string; text: string }

export class SelectorError extends Error {
  override name = 'SelectorError'
}

const HELP = 'use period:14d..7d, ref:main or flags:cache=on, e.g. --compare period:14d..7d,period:7d..'

export function parseRowSet(text: string, now: Date): RowSet {
  const raw = text.trim()
  const colon = /^(period|ref|flags):/.exec(raw)
  const kind = colon ? colon[1] : raw.includes('..') ? 'period' : 'ref'
  const value = colon ? raw.slice((colon[0] as string).length) : raw
  if (!value) throw new SelectorError(`"${text}" names no set; ${HELP}`)
  if (kind === 'ref') return { kind: 'ref', ref: shortRef(value), text: raw }
  if (kind === 'flags') return { kind: 'flags', flag: value, text: raw }
  const [from = '', to = '', extra] = value.split('..')
  if (extra !== undefined) throw new SelectorError(`period "${value}" has more than one ".."; ${HELP}`)
  const fromMs = instant(from, now)
  const toMs = to === '' ? now.getTime() + 1 : instant(to, now)
  if (fromMs === null || toMs === null)
    throw new SelectorError(`period "${value}" is not FROM..TO with 14d, 12h, 2w or 2026-01-31; ${HELP}`)
  if (fromMs >= toMs) throw new SelectorError(`period "${value}" ends before it starts; ${HELP}`)
  return { kind: 'period', from: fromMs, to: toMs, text: raw }
}

/** `A,B`: exactly two sets. */
export function parseComparison(text: string, now: Date): [RowSet, RowSet] {
  const parts = text.split(',')
  if (parts.length !== 2) throw new SelectorError(`--compare "${text}" does not name two sets A,B; ${HELP}`)
  return [parseRowSet(parts[0] as string, now), parseRowSet(parts[1] as string, now)]
}

function instant(text: string, now: Date): number | null {
  const rel = /^(\d+)([hdw])$/i.exec(text.trim())
  if (rel) {
    const hours = { h: 1, d: 24, w: 168 }[(rel[2] as string).toLowerCase() as 'h' | 'd' | 'w']
    return now.getTime() - Number(rel[1]) * hours * 3_600_000
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`)
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const t = Date.parse(text)
    return Number.isFinite(t) ? t : null
  }
  return null
}

const shortRef = (ref: string): string => ref.replace(/^refs\/heads\//, '')

export function inSet(set: RowSet, row: ReportRow): boolean {
  switch (set.kind) {
    case 'period': {
      const t = Date.parse(row.start_time_utc ?? '')
      return Number.isFinite(t) && t >= set.from && t < set.to
    }
    case 'ref':
      return shortRef(row.ref ?? '') === set.ref
    case 'flags':
      return (row.flags ?? '').split(/[\s,;]+/).includes(set.flag)
  }
}

/** A row in both sets counts in A only, so that no run is compared with itself. */
export function chooser(a: RowSet, b: RowSet): (row: ReportRow) => 'a' | 'b' | null {
  return (row) => (inSet(a, row) ? 'a' : inSet(b, row) ? 'b' : null)
}
