import { appendFileSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { errorMessage } from '../core/errors.js'
import { COLUMNS, type Row } from '../core/schema.js'
import { commitMessage, type RegistryStore } from '../registry/port.js'

/** Where rows that could not be written were kept, or why they could not be kept either. */
export type Kept = { where: string; error: null } | { where: null; error: string }

/** Keeps rows that could not be written (lose nothing), so that `build-timings push` can publish them later. */
export interface Spool {
  keep(rows: readonly Row[]): Promise<Kept>
}

/** A local CSV with the full header, from which `build-timings push --from file:SPOOL` publishes later. */
export function csvSpool(path: string): Spool {
  return {
    keep: (rows) => {
      try {
        mkdirSync(dirname(path), { recursive: true })
        const header = existsSync(path) ? [] : [[...COLUMNS]]
        appendFileSync(path, stringify([...header, ...rows.map((r) => COLUMNS.map((c) => r[c]))]))
        return Promise.resolve({ where: path, error: null })
      } catch (e) {
        return Promise.resolve({ where: null, error: errorMessage(e) })
      }
    },
  }
}

/** A registry store used as the spool (the CLI's `file:` spool), shown as `shownAs`. */
export function storeSpool(store: RegistryStore, shownAs: string): Spool {
  return {
    keep: async (rows) => {
      try {
        const first = rows[0]
        if (first) await store.append(first.env, rows, commitMessage(first, rows.length))
        return { where: shownAs, error: null }
      } catch (e) {
        return { where: null, error: errorMessage(e) }
      }
    },
  }
}
