import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { RegistryParseError } from './errors.js'
import { COLUMNS, type Column, type Row } from './schema.js'

export type StoredRow = Record<string, string>

export interface ParsedRegistry {
  /** The file's own header; null for an empty file. */
  header: string[] | null
  rows: StoredRow[]
}

export function parseRegistry(text: string, location: string): ParsedRegistry {
  if (text.trim() === '') return { header: null, rows: [] }
  let records: string[][]
  try {
    records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][]
  } catch (e) {
    const err = e as { message?: string; lines?: number }
    throw new RegistryParseError(location, err.message ?? 'unreadable')
  }
  const [header, ...body] = records
  if (!header || !header.includes('start_time_utc')) {
    throw new RegistryParseError(location, 'its first line is not a build_timings header')
  }
  const rows = body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])))
  return { header, rows }
}

/** The identity of a row: its row_id, or for files without that column the legacy natural key. */
export function rowKey(row: StoredRow, header: readonly string[]): string {
  if (header.includes('row_id') && row.row_id) return `id:${row.row_id}`
  return `nk:${row.start_time_utc ?? ''}|${row.phase ?? ''}|${row.env ?? ''}|${row.build_id ?? ''}`
}

export interface AppendResult {
  /** The new file content: the old bytes untouched, followed by the new rows. */
  text: string
  appended: Row[]
  duplicates: Row[]
  /** Columns of SPEC §2 the file's header lacks: their values are not stored there. */
  droppedColumns: Column[]
  header: string[]
}

/**
 * Appends rows in the file's own shape (SPEC §2): existing bytes are never modified, reordered or dropped;
 * a row whose key is already present (or repeated in `rows`) is a no-op.
 */
export function appendRows(existing: string, rows: readonly Row[], location: string): AppendResult {
  const parsed = parseRegistry(existing, location)
  const header = parsed.header ?? [...COLUMNS]
  const eol = /\r\n/.test(existing.slice(0, existing.indexOf('\n') + 1)) ? '\r\n' : '\n'
  const seen = new Set(parsed.rows.map((r) => rowKey(r, header)))
  const appended: Row[] = []
  const duplicates: Row[] = []
  for (const row of rows) {
    const key = rowKey(row, header)
    if (seen.has(key)) {
      duplicates.push(row)
      continue
    }
    seen.add(key)
    appended.push(row)
  }
  const droppedColumns = COLUMNS.filter((c) => !header.includes(c))
  let text = existing
  if (parsed.header === null) text = stringify([header], { record_delimiter: eol })
  else if (appended.length && !existing.endsWith('\n')) text += eol
  if (appended.length) {
    const cells = appended.map((row) => header.map((name) => (row as Record<string, string>)[name] ?? ''))
    text += stringify(cells, { record_delimiter: eol })
  }
  return { text, appended, duplicates, droppedColumns, header }
}

/** One row as a CSV line with the full header, for showing a row that could not be written. */
export function rowsAsCsv(rows: readonly Row[]): string {
  return stringify([[...COLUMNS], ...rows.map((r) => COLUMNS.map((c) => r[c]))])
}
