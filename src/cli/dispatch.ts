import { BudgetsError } from '../core/budgets.js'
import { errorMessage, InputError } from '../core/errors.js'
import { migrateCommand } from './commands/migrate.js'
import { pushCommand } from './commands/push.js'
import { recordCommand } from './commands/record.js'
import { reportCommand } from './commands/report.js'
import { runCommand } from './commands/run.js'
import { MAIN_HELP, MIGRATE_HELP, PUSH_HELP, RECORD_HELP, REPORT_HELP, RUN_HELP } from './help.js'
import { EXIT_FAILURE, EXIT_USAGE, knowSecretsOf, say, UsageError, type CliIO } from './io.js'
import { VERSION } from './version.js'

const COMMANDS: Record<string, { run: (argv: string[], io: CliIO) => Promise<number>; help: string }> = {
  run: { run: runCommand, help: RUN_HELP },
  record: { run: recordCommand, help: RECORD_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  push: { run: pushCommand, help: PUSH_HELP },
  migrate: { run: migrateCommand, help: MIGRATE_HELP },
}

/** The whole CLI: argv in, exit code out. The exit code is decided here and nowhere else. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv
  knowSecretsOf(io.env)
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined
      // Bare `build-timings` is a mistake in a script: help on stderr, exit 2.
      ;(first === undefined ? io.stderr : io.stdout).write(
        topic && COMMANDS[topic] ? COMMANDS[topic].help : MAIN_HELP,
      )
      return first === undefined ? EXIT_USAGE : 0
    }
    if (first === '-V' || first === '--version' || first === 'version') {
      io.stdout.write(`${VERSION}\n`)
      return 0
    }
    const command = COMMANDS[first]
    if (!command) {
      const what = first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`
      throw new UsageError(`${what}; use run, record, report, push or migrate (build-timings --help)`)
    }
    return await command.run(rest, io)
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof BudgetsError) {
      say(io.stderr, e.message)
      return EXIT_USAGE
    }
    say(io.stderr, `unexpected error: ${errorMessage(e)}; please report it with the command you ran`)
    return EXIT_FAILURE
  }
}
