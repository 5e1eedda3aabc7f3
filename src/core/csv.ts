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

/** The file's rows as objects; with `phase`, only that phase's rows are built (the others are skipped). */
export function parseRegistry(text: string, location: string, phase?: string): ParsedRegistry {
  const rows: StoredRow[] = []
  let phaseIndex = -1
  const header = scanRegistry(text, location, (cells, names) => {
    if (phase !== undefined) {
      if (phaseIndex < 0) phaseIndex = names.indexOf('phase')
      if (cells[phaseIndex] !== phase) return
    }
    rows.push(Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ''])))
  })
  return { header, rows }
}

/**
 * Parses a registry file record by record, handing each data row to `visit` as cells, so a caller that
 * needs only part of each row (appendRows needs the key) never holds the file as row objects.
 * Returns the header (null for an empty file); throws RegistryParseError for anything that is not CSV.
 */
export function scanRegistry(
  text: string,
  location: string,
  visit: (cells: string[], header: string[]) => void,
): string[] | null {
  if (text.trim() === '') return null
  let header: string[] | null = null
  try {
    parse(text, {
      bom: true,
      relax_column_count: false,
      skip_empty_lines: true,
      on_record: (cells: string[]) => {
        if (header === null) {
          if (!cells.includes('start_time_utc')) {
            throw new RegistryParseError(location, 'its first line is not a build_timings header')
          }
          header = cells
        } else {
          visit(cells, header)
        }
        return null
      },
    })
  } catch (e) {
    if (e instanceof RegistryParseError) throw e
    throw new RegistryParseError(location, (e as { message?: string }).message ?? 'unreadable')
  }
  return header
}

/** The identity of a row: its row_id, or for files without that column the legacy natural key. */
export function rowKey(row: StoredRow, header: readonly string[]): string {
  return keyOf((name) => row[name], header.includes('row_id'))
}

function keyOf(get: (name: string) => string | undefined, hasRowId: boolean): string {
  const id = hasRowId ? get('row_id') : undefined
  if (id) return `id:${id}`
  return `nk:${get('start_time_utc') ?? ''}|${get('phase') ?? ''}|${get('env') ?? ''}|${get('build_id') ?? ''}`
}

export interface AppendResult {
  /** The new file content: the old bytes untouched, followed by the new rows. */
  text: string
  appended: Row[]
  duplicates: Row[]
  /**
   * Columns of the registry (README "The registry") the file's header lacks: their values are not stored
   * there.
   */
  droppedColumns: Column[]
  header: string[]
}

/**
 * Appends rows in the file's own shape (README "The registry"): existing bytes are never modified, reordered
 * or dropped; a row whose key is already present (or repeated in `rows`) is a no-op.
 */
export function appendRows(existing: string, rows: readonly Row[], location: string): AppendResult {
  // Only the keys of the rows already there are kept: the file is never held as row objects.
  const seen = new Set<string>()
  let hasRowId = false
  let index = new Map<string, number>()
  const fileHeader = scanRegistry(existing, location, (cells, names) => {
    if (index.size === 0) {
      index = new Map(names.map((name, i) => [name, i]))
      hasRowId = index.has('row_id')
    }
    seen.add(keyOf((name) => cells[index.get(name) ?? -1], hasRowId))
  })
  const header = fileHeader ?? [...COLUMNS]
  const eol = /\r\n/.test(existing.slice(0, existing.indexOf('\n') + 1)) ? '\r\n' : '\n'
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
  if (fileHeader === null) text = stringify([header], { record_delimiter: eol })
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
