import { appendFileSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { COLUMNS, type Row } from '../core/schema.js'

/**
 * Rows that could not be written are kept in a local CSV with the full header (SPEC: lose nothing), from
 * which `build-timings push --from file:SPOOL` can publish them later.
 */
export function spoolRows(path: string, rows: readonly Row[]): string | null {
  try {
    mkdirSync(dirname(path), { recursive: true })
    const header = existsSync(path) ? [] : [[...COLUMNS]]
    appendFileSync(path, stringify([...header, ...rows.map((r) => COLUMNS.map((c) => r[c]))]))
    return path
  } catch {
    return null
  }
}
