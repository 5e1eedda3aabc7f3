import { rowKey, type StoredRow } from '../core/csv.js'
import { canonicalEnv } from '../core/env.js'
import { cleanRow } from '../core/row.js'
import { COLUMNS, type Row } from '../core/schema.js'
import { commitMessage, type AppendOutcome, type RegistryStore } from '../registry/port.js'

/** Where rows come from: every stored row, or one env's where the source can filter. */
export interface RowSource {
  scan(env?: string): AsyncIterable<StoredRow>
  /** A file holds every env in one CSV, possibly under legacy names (`dev`): it is filtered after canonicalising. */
  filtersByEnv: boolean
}

export interface PushedEnv {
  env: string
  /** Rows of the source already in the target before the push. */
  had: number
  /** Null: nothing to copy. */
  outcome: AppendOutcome | null
}

export interface PushOutcome {
  /** Rows of the source whose env is not a valid name: skipped. */
  invalid: number
  /** Per env, sorted, up to the first env whose append failed. */
  envs: PushedEnv[]
  /** Why the push stopped (reading either registry, or an append); null when it did not. */
  error: unknown
}

interface Plan {
  present: Map<string, { header: string[]; keys: Set<string> }>
  missing: Map<string, Row[]>
  already: Map<string, number>
  invalid: number
}

function toRow(stored: StoredRow, env: string): Row {
  const row = Object.fromEntries(COLUMNS.map((c) => [c, stored[c] ?? ''])) as Row
  row.env = env
  return row
}

/** The rows the target lacks, per env. Keys come from the target's own header (row_id, or the legacy key). */
async function plan(from: RowSource, to: RegistryStore, onlyEnv: string | undefined): Promise<Plan> {
  const p: Plan = { present: new Map(), missing: new Map(), already: new Map(), invalid: 0 }
  for await (const stored of from.scan(from.filtersByEnv ? onlyEnv : undefined)) {
    let env: string
    try {
      env = canonicalEnv(stored.env ?? '')
    } catch {
      p.invalid++
      continue
    }
    if (onlyEnv !== undefined && env !== onlyEnv) continue
    let target = p.present.get(env)
    if (!target) {
      // Every segment: a row older than the target's newest segment must still be found there.
      const read = await to.read(env, { all: true })
      const header = read.header ?? [...COLUMNS]
      target = { header, keys: new Set(read.rows.map((r) => rowKey(r, header))) }
      p.present.set(env, target)
    }
    // Cleaned on the way in (README "The registry": push included): the source may be hand-edited or written by anything.
    const row = cleanRow(toRow(stored, env))
    const key = rowKey(row, target.header)
    if (target.keys.has(key)) {
      p.already.set(env, (p.already.get(env) ?? 0) + 1)
      continue
    }
    target.keys.add(key)
    const list = p.missing.get(env) ?? []
    list.push(row)
    p.missing.set(env, list)
  }
  return p
}

/**
 * Copies the rows the target lacks (kept rows from a spool, a local file to GitHub), one append (one commit)
 * per env, so running it twice copies each row once.
 */
export async function pushRows(from: RowSource, to: RegistryStore, onlyEnv?: string): Promise<PushOutcome> {
  let p: Plan
  try {
    p = await plan(from, to, onlyEnv)
  } catch (e) {
    return { invalid: 0, envs: [], error: e }
  }
  const out: PushOutcome = { invalid: p.invalid, envs: [], error: null }
  for (const env of [...p.present.keys()].sort()) {
    const rows = p.missing.get(env) ?? []
    const had = p.already.get(env) ?? 0
    if (!rows.length) {
      out.envs.push({ env, had, outcome: null })
      continue
    }
    try {
      const outcome = await to.append(env, rows, commitMessage(rows[0] as Row, rows.length))
      out.envs.push({ env, had, outcome })
    } catch (e) {
      out.error = e
      break
    }
  }
  return out
}
