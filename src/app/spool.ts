import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readSync } from 'node:fs'
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
        // A spool carried over from an older version keeps its own header: rows are written in its shape.
        const existing = existsSync(path) ? headerOf(path) : null
        const columns: readonly string[] = existing ?? COLUMNS
        const cells = rows.map((r) => columns.map((c) => (r as Record<string, string>)[c] ?? ''))
        appendFileSync(path, stringify(existing ? cells : [[...COLUMNS], ...cells]))
        return Promise.resolve({ where: path, error: null })
      } catch (e) {
        return Promise.resolve({ where: null, error: errorMessage(e) })
      }
    },
  }
}

/** The header line of a spool file (the first 64 KiB are plenty for a header). */
function headerOf(path: string): string[] | null {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(65536)
    const n = readSync(fd, buf, 0, buf.length, 0)
    const first = buf
      .subarray(0, n)
      .toString('utf8')
      .split(/\r?\n/)[0]
      ?.replace(/^\uFEFF/, '')
    return first ? first.split(',') : null
  } finally {
    closeSync(fd)
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
