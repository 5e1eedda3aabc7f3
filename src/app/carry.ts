import type { Row } from '../core/schema.js'
import type { Kept } from './spool.js'

/**
 * Carries rows that could not be written to a later record of the same branch (SPEC §4 `max-wait`): the
 * action keeps them in the Actions cache. Every call fails open: trouble is the carrier's own info line,
 * and the row is still shown by the door.
 */
export interface Carrier {
  /** Rows that earlier records kept for `env` and that are not known to be written yet. */
  take(env: string): Promise<Row[]>
  /** Keeps rows (this job's row and every row it carried) for a later record. */
  keep(env: string, rows: readonly Row[]): Promise<Kept>
  /** The rows `take` gave were written: later records must not carry them again. */
  settle(env: string): Promise<void>
}

/** The rows to append: this job's row first, then the carried ones, each row_id once. */
export function withCarried(row: Row, carried: readonly Row[]): Row[] {
  const seen = new Set([row.row_id])
  const rows = [row]
  for (const r of carried) {
    if (r.row_id && seen.has(r.row_id)) continue
    if (r.row_id) seen.add(r.row_id)
    rows.push(r)
  }
  return rows
}
