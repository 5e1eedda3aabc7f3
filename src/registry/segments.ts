import {
  appendRows,
  parseRegistry,
  rowKey,
  scanRegistry,
  type AppendResult,
  type StoredRow,
} from '../core/csv.js'
import { stringify } from 'csv-stringify/sync'
import { COLUMNS, type Row } from '../core/schema.js'
import type { ReadFilter } from './port.js'

/**
 * README "The registry": `latest/` is the live window; before an append would take it over this many
 * bytes, it moves whole (the same blob) to `history/{ts}.csv` in the same commit as the append.
 */
export const DEFAULT_ROTATE_BYTES = 1024 * 1024

/**
 * Rows a read returns by default before it stops going back through history: a trend's window (20 runs) and
 * a run's own rows fit many times over, and the whole history is never read unless asked for.
 */
export const DEFAULT_READ_ROWS = 500
/** The same for a read of one phase: its trend compares with the last 20 successful runs by default. */
export const DEFAULT_PHASE_ROWS = 50

/** `environments/ci/latest/build_timings.csv` → `environments/ci/history`; any other file keeps its own. */
export function historyDir(latestPath: string): string {
  const slash = latestPath.lastIndexOf('/')
  const dir = slash === -1 ? '' : latestPath.slice(0, slash)
  if (dir === 'latest' || dir.endsWith('/latest')) return `${dir.slice(0, -'latest'.length)}history`
  return `${latestPath.replace(/\.csv$/, '')}.history`
}

/**
 * While latest/'s rows are under this share of the bound, it restarted recently enough that a retry (a PUT
 * that landed unseen, run mode after job mode) may repeat rows now in the newest segment: the GitHub store
 * reads that segment too. An eighth of 1 MiB is about 400 rows, more than any matrix writes within a retry's
 * reach, and keeps the two extra requests off seven appends in eight.
 */
export const YOUNG_SHARE = 1 / 8

/** The bytes of a file's rows, its header line left out. */
export function rowBytes(file: Buffer): number {
  const nl = file.indexOf(0x0a)
  return nl === -1 ? 0 : file.length - nl - 1
}

/** `2026-01-24T10:15:03Z` → `20260124T101503Z`; null for anything else (a hand-edited legacy cell). */
export function compactTime(startTimeUtc: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/.exec(startTimeUtc ?? '')
  return m ? `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z` : null
}

/** The segment's file name: the compact time, then `-2`, `-3`… while the name is taken. */
export function segmentName(ts: string, taken: (name: string) => boolean): string {
  if (!taken(`${ts}.csv`)) return `${ts}.csv`
  for (let n = 2; ; n++) if (!taken(`${ts}-${n}.csv`)) return `${ts}-${n}.csv`
}

/** Segment file names, newest first: by time, then by the `-N` that broke a tie. */
export function newestFirst(names: Iterable<string>): string[] {
  const parsed: { name: string; ts: string; n: number }[] = []
  for (const name of names) {
    const m = /^(.+?)(?:-(\d+))?\.csv$/.exec(name)
    if (m) parsed.push({ name, ts: m[1] as string, n: m[2] ? Number(m[2]) : 1 })
  }
  parsed.sort((a, b) => (a.ts === b.ts ? b.n - a.n : a.ts < b.ts ? 1 : -1))
  return parsed.map((p) => p.name)
}

/** The keys a segment holds, under its own header (a legacy segment keys rows by its natural key). */
export function keysOf(text: string, location: string): { header: string[]; keys: Set<string> } | null {
  const keys = new Set<string>()
  let index: Map<string, number> | null = null
  const header = scanRegistry(text, location, (cells, names) => {
    index ??= new Map(names.map((n, i) => [n, i]))
    const row: StoredRow = {}
    for (const name of ['row_id', 'start_time_utc', 'phase', 'env', 'build_id']) {
      const i = index.get(name)
      if (i !== undefined) row[name] = cells[i] ?? ''
    }
    keys.add(rowKey(row, names))
  })
  return header ? { header, keys } : null
}

export interface AppendPlan {
  result: AppendResult
  /** The bytes latest/ must hold after the append (null when nothing is appended). */
  content: Buffer | null
  /** Set when the current latest/ must first move to history/: the compact time of its last row. */
  rotate: { ts: string } | null
  /** New segments cut from the new rows when they alone pass the bound (push, a large run), oldest first. */
  segments: { ts: string; content: Buffer }[]
}

/**
 * Decides one append: drops rows already in latest/ or in the newest segment, appends the rest after
 * latest/'s bytes (never re-encoding them), and whenever the file would pass `rotateBytes` closes it into
 * history/: the old latest/ by moving it (`rotate`), rows of this append as new `segments`.
 */
export function planAppend(input: {
  latest: Buffer | null
  newest: Buffer | null
  rows: readonly Row[]
  location: string
  rotateBytes: number
  now: () => Date
}): AppendPlan {
  const newestText = input.newest ? input.newest.toString('utf8') : ''
  const earlier =
    newestText && !surelyAbsent(newestText, input.rows) ? keysOf(newestText, input.location) : null
  const known = earlier ? input.rows.filter((r) => earlier.keys.has(rowKey(r, earlier.header))) : []
  const fresh = known.length ? input.rows.filter((r) => !known.includes(r)) : input.rows
  const whole = input.latest ? input.latest.toString('utf8') : ''
  // Only the header (and a last line without its newline) need parsing when no row can be there already.
  const latestText = surelyAbsent(whole, fresh)
    ? whole.slice(0, whole.indexOf('\n') + 1) + whole.slice(whole.lastIndexOf('\n') + 1)
    : whole
  const merged = appendRows(latestText, fresh, input.location)
  const result = { ...merged, duplicates: [...known, ...merged.duplicates] }
  if (merged.appended.length === 0) return { result, content: null, rotate: null, segments: [] }
  const keepsOld = input.latest !== null && merged.text.startsWith(latestText)
  const added = keepsOld ? merged.text.slice(latestText.length) : merged.text
  const headerLine = keepsOld
    ? (input.latest as Buffer).subarray(0, (input.latest as Buffer).indexOf(0x0a) + 1)
    : Buffer.from(merged.text.slice(0, merged.text.indexOf('\n') + 1), 'utf8')
  // The same bytes appendRows wrote, one row at a time, so that the rows can be cut into segments.
  const eol = headerLine.subarray(-2).toString() === '\r\n' ? '\r\n' : '\n'
  const csvLine = (cells: readonly string[]) =>
    Buffer.from(stringify([cells], { record_delimiter: eol }), 'utf8')
  const cellsOf = (r: Row, names: readonly string[]) =>
    names.map((n) => (r as Record<string, string>)[n] ?? '')
  const lines = merged.appended.map((r) => csvLine(cellsOf(r, merged.header)))
  // A latest/ that a rotation starts carries the current header (README "The registry"): a legacy file's
  // shape ends with its last segment, and its rows from then on are whole.
  const wideHeader = csvLine(COLUMNS)
  const wideLines = merged.appended.map((r) => csvLine(cellsOf(r, COLUMNS)))
  const lead = keepsOld && (added.startsWith('\r\n') || added.startsWith('\n')) ? Buffer.from(eol) : null
  const tsOf = (start: string | undefined) =>
    compactTime(start) ?? compactTime(input.now().toISOString()) ?? 'segment'
  const oldLast = keepsOld ? lastRowStart(whole, input.location) : undefined
  const total = (input.latest?.length ?? 0) + (lead?.length ?? 0) + lines.reduce((n, l) => n + l.length, 0)
  // The old latest/ moves whole, as the same blob, before any new row is added to it.
  const rotate = oldLast !== undefined && total > input.rotateBytes ? { ts: tsOf(oldLast) } : null
  let wide = rotate !== null
  let current: Buffer[] =
    keepsOld && !rotate ? [input.latest as Buffer, ...(lead ? [lead] : [])] : [wide ? wideHeader : headerLine]
  let size = current.reduce((n, b) => n + b.length, 0)
  let lastStart: string | undefined = rotate ? undefined : oldLast
  const segments: { ts: string; content: Buffer }[] = []
  merged.appended.forEach((row, i) => {
    let line = (wide ? wideLines[i] : lines[i]) as Buffer
    if (size + line.length > input.rotateBytes && lastStart !== undefined) {
      segments.push({ ts: tsOf(lastStart), content: Buffer.concat(current) })
      wide = true
      line = wideLines[i] as Buffer
      current = [wideHeader]
      size = wideHeader.length
    }
    current.push(line)
    size += line.length
    lastStart = row.start_time_utc
  })
  return { result, content: Buffer.concat(current), rotate, segments }
}

/**
 * True when none of the rows can be in `text`: the file keys rows by row_id, ends outside a quoted cell, and no
 * id occurs in it (an id is stored verbatim, or quoted with its quotes doubled). Saves parsing a file to learn
 * that new rows are new.
 */
export function surelyAbsent(text: string, rows: readonly Row[]): boolean {
  const header = text.slice(0, text.indexOf('\n') + 1)
  if (!header.includes('row_id') || insideQuotes(text)) return false
  return rows.every((r) => r.row_id && !mayHold(text, r.row_id))
}

/** An odd number of quotes leaves the text inside a quoted cell: whatever follows would join it (the parse says so). */
function insideQuotes(text: string): boolean {
  let odd = false
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) odd = !odd
  return odd
}

function mayHold(text: string, id: string): boolean {
  return text.includes(id) || (id.includes('"') && text.includes(id.replaceAll('"', '""')))
}

/** The start_time_utc of the file's last row; undefined when it holds no row. */
function lastRowStart(text: string, location: string): string | undefined {
  let last: string | undefined
  let at = -1
  scanRegistry(text, location, (cells, header) => {
    if (at < 0) at = header.indexOf('start_time_utc')
    last = cells[at] ?? ''
  })
  return last
}

/** Whether a read holding `rows` (and, with `since`, reaching back to `oldest`) must go back further. */
export function wantsMore(only: ReadFilter | undefined, rows: StoredRow[], oldestTs: string | null): boolean {
  if (only?.all) return true
  if (only?.since !== undefined) {
    const since = compactTime(only.since)
    // A segment is named by its last row: one whose name is before the window still might straddle it.
    return since === null || oldestTs === null || oldestTs >= since
  }
  return rows.length < (only?.rows ?? (only?.phase === undefined ? DEFAULT_READ_ROWS : DEFAULT_PHASE_ROWS))
}

/** Parses one segment for a read (rows of `only.phase`, when given). */
export function readSegment(
  text: string,
  location: string,
  only?: ReadFilter,
): ReturnType<typeof parseRegistry> {
  return parseRegistry(text, location, only?.phase)
}

/**
 * The plan that brings an oversized latest/ into the layout without a new row: it moves whole, as the same
 * blob, and latest/ restarts with its own header line. Null when latest/ is within the bound or holds no row.
 */
export function planMigration(
  latest: Buffer | null,
  location: string,
  rotateBytes: number,
  now: () => Date,
): { rotate: { ts: string }; segments: []; content: Buffer } | null {
  if (!latest || latest.length <= rotateBytes) return null
  const last = lastRowStart(latest.toString('utf8'), location)
  if (last === undefined) return null
  const ts = compactTime(last) ?? compactTime(now().toISOString()) ?? 'segment'
  return { rotate: { ts }, segments: [], content: latest.subarray(0, latest.indexOf(0x0a) + 1) }
}
