import { registryProblem } from '../../app/record.js'
import { InputError, RegistryParseError } from '../../core/errors.js'
import { MIGRATE_HELP } from '../help.js'
import { EXIT_FAILURE, EXIT_USAGE, say, type CliIO } from '../io.js'
import { cliEnv, COMMON_OPTIONS, parseCommand, resolveRegistry } from '../options.js'

const OPTIONS = { ...COMMON_OPTIONS, env: { type: 'string' } } as const

/**
 * `migrate`: moves each env's latest/ that is past 1 MiB to history/ in one commit (README "The
 * registry"), without changing a byte of any row. The next append would do the same; this does it now.
 */
export async function migrateCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommand('migrate', argv, OPTIONS)
  if (values.help) {
    io.stdout.write(MIGRATE_HELP)
    return 0
  }
  const env = values.env === undefined ? undefined : cliEnv(values.env)
  const registry = resolveRegistry(values.registry, io)
  await registry.check()
  if (registry.spec.kind === 'file') {
    io.stdout.write(`${registry.label} is one file that appends in place: nothing to migrate\n`)
    return 0
  }
  try {
    const done = await registry.migrate(env)
    if (!done.length) io.stdout.write(`${registry.label} has no registry file yet: nothing to migrate\n`)
    for (const { location, moved, commit } of done) {
      io.stdout.write(
        moved
          ? `${location}: moved ${(moved.bytes / 2 ** 20).toFixed(1)} MiB to ${moved.to} in ${commit?.slice(0, 7)}\n`
          : `${location}: within 1 MiB, nothing to move\n`,
      )
    }
    return 0
  } catch (e) {
    if (e instanceof InputError) throw e
    if (e instanceof RegistryParseError) {
      say(io.stderr, `${e.message}; fix the file, then run migrate again`)
      return EXIT_USAGE
    }
    say(io.stderr, registryProblem(e, registry.label))
    return EXIT_FAILURE
  }
}
