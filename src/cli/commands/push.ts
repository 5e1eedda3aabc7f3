import { registryProblem } from '../../app/record.js'
import { pushRows } from '../../app/push.js'
import { InputError, RegistryParseError } from '../../core/errors.js'
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

  const pushed = await pushRows(
    { scan: (env) => from.scan(env), filtersByEnv: from.spec.kind !== 'file' },
    to.store,
    onlyEnv,
  )
  if (pushed.invalid)
    say(io.stderr, `warning: skipped ${pushed.invalid} rows of ${from.label} whose env is not a valid name`)
  let copied = 0
  for (const { env, had, outcome } of pushed.envs) {
    if (!outcome) {
      io.stdout.write(`${env}: nothing to copy (${had} rows already in ${to.label})\n`)
      continue
    }
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
  }
  if (pushed.error) return fail(pushed.error, from, to, io)
  if (!pushed.envs.length)
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
