import { registryProblem } from '../../app/record.js'
import { rowKey, type StoredRow } from '../../core/csv.js'
import { canonicalEnv } from '../../core/env.js'
import { InputError, RegistryParseError } from '../../core/errors.js'
import { COLUMNS, type Row } from '../../core/schema.js'
import { commitMessage } from '../../registry/port.js'
import type { Registry } from '../../registry/spec.js'
import { PUSH_HELP } from '../help.js'
import { EXIT_FAILURE, EXIT_USAGE, say, type CliIO } from '../io.js'
import { parseCommand, required, resolveRegistry } from '../options.js'
import { cliEnv } from '../options.js'

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  from: { type: 'string' },
  to: { type: 'string' },
  env: { type: 'string' },
} as const
const EXAMPLE = 'build-timings push --from file:docs/build-timings.csv --to github:acme/widgets'

function toRow(stored: StoredRow, env: string): Row {
  const row = Object.fromEntries(COLUMNS.map((c) => [c, stored[c] ?? ''])) as Row
  row.env = env
  return row
}

/**
 * `push`: copies the rows the target lacks, one append (one commit) per env. Keys come from the target's own
 * header (row_id, or the legacy natural key), so running it twice copies each row once.
 */
export async function pushCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommand('push', argv, OPTIONS)
  if (values.help) {
    io.stdout.write(PUSH_HELP)
    return 0
  }
  const from = resolveRegistry(required(values.from, '--from', 'push', EXAMPLE), io)
  const to = resolveRegistry(required(values.to, '--to', 'push', EXAMPLE), io)
  const onlyEnv = values.env === undefined ? undefined : cliEnv(values.env)
  await from.check()
  await to.check()

  const present = new Map<string, { header: string[]; keys: Set<string> }>()
  const missing = new Map<string, Row[]>()
  const already = new Map<string, number>()
  let invalid = 0
  try {
    // A file holds every env in one CSV, possibly under legacy names (`dev`): filter after canonicalising.
    for await (const stored of from.scan(from.spec.kind === 'file' ? undefined : onlyEnv)) {
      let env: string
      try {
        env = canonicalEnv(stored.env ?? '')
      } catch {
        invalid++
        continue
      }
      if (onlyEnv !== undefined && env !== onlyEnv) continue
      let target = present.get(env)
      if (!target) {
        const read = await to.store.read(env)
        const header = read.header ?? [...COLUMNS]
        target = { header, keys: new Set(read.rows.map((r) => rowKey(r, header))) }
        present.set(env, target)
      }
      const row = toRow(stored, env)
      const key = rowKey(row, target.header)
      if (target.keys.has(key)) {
        already.set(env, (already.get(env) ?? 0) + 1)
        continue
      }
      target.keys.add(key)
      const list = missing.get(env) ?? []
      list.push(row)
      missing.set(env, list)
    }
  } catch (e) {
    return fail(e, from, to, io)
  }

  if (invalid)
    say(io.stderr, `warning: skipped ${invalid} rows of ${from.label} whose env is not a valid name`)
  let copied = 0
  for (const env of [...present.keys()].sort()) {
    const rows = missing.get(env) ?? []
    const had = already.get(env) ?? 0
    if (!rows.length) {
      io.stdout.write(`${env}: nothing to copy (${had} rows already in ${to.label})\n`)
      continue
    }
    try {
      const outcome = await to.store.append(env, rows, commitMessage(rows[0] as Row, rows.length))
      copied += outcome.appended.length
      const commit = outcome.commit ? ` in ${outcome.commit.slice(0, 7)}` : ''
      io.stdout.write(
        `${env}: copied ${outcome.appended.length} rows to ${outcome.location}${commit} (${had + outcome.duplicates.length} already there)\n`,
      )
      if (outcome.droppedColumns.length) {
        say(
          io.stderr,
          `note: ${outcome.location} has an older header; not stored there: ${outcome.droppedColumns.join(', ')}`,
        )
      }
    } catch (e) {
      return fail(e, from, to, io)
    }
  }
  if (!present.size)
    io.stdout.write(`nothing to copy: ${from.label} has no rows${onlyEnv ? ` for ${onlyEnv}` : ''}\n`)
  else say(io.stderr, `push done: ${copied} rows copied from ${from.label} to ${to.label}`)
  return 0
}

function fail(e: unknown, from: Registry, to: Registry, io: CliIO): number {
  if (e instanceof InputError) throw e
  if (e instanceof RegistryParseError) {
    say(io.stderr, `${e.message}; fix the file, or push from another registry`)
    return EXIT_USAGE
  }
  const github = from.spec.kind === 'github' ? from : to.spec.kind === 'github' ? to : null
  say(
    io.stderr,
    github
      ? registryProblem(e, github.label)
      : `could not push from ${from.label} to ${to.label}: ${(e as Error).message}`,
  )
  return EXIT_FAILURE
}
