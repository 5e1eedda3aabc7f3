import { errorMessage } from '../../core/errors.js'
import { secretsFromEnv } from '../../core/sanitize.js'
import type { Status } from '../../core/schema.js'
import { InProcessSampler } from '../../telemetry/sampler.js'
import { recordAndTell } from '../outcome.js'
import { say, UsageError, type CliIO } from '../io.js'
import { openLog, supervise } from '../child.js'
import {
  DEFAULT_BUILD_ID,
  DEFAULT_LOG_DIR,
  loadBudgets,
  resolveTelemetry,
  parseCommand,
  required,
  resolveEnv,
  resolveRegistry,
  ROW_OPTIONS,
} from '../options.js'
import { RUN_HELP } from '../help.js'

const OPTIONS = { ...ROW_OPTIONS, 'log-dir': { type: 'string' } } as const
const EXAMPLE = 'build-timings run --phase deploy-persistent --build-id persistent -- make deploy'

export async function runCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals, tokens } = parseCommand('run', argv, OPTIONS, true)
  if (values.help) {
    io.stdout.write(RUN_HELP)
    return 0
  }
  const terminator = tokens.find((t) => t.kind === 'option-terminator')
  const before = tokens.filter((t) => t.kind === 'positional' && (!terminator || t.index < terminator.index))
  if (!terminator) {
    throw new UsageError(
      positionals.length
        ? `run needs "--" between its options and the command ("${positionals[0]}"); e.g. ${EXAMPLE}`
        : `run needs "--" followed by the command to time; e.g. ${EXAMPLE}`,
    )
  }
  if (before.length)
    throw new UsageError(
      `unexpected argument "${before[0]?.kind === 'positional' ? before[0].value : ''}" before "--"; e.g. ${EXAMPLE}`,
    )
  const [file, ...args] = argv.slice(terminator.index + 1)
  if (!file) throw new UsageError(`run needs a command after "--"; e.g. ${EXAMPLE}`)

  // Everything that can be wrong with the invocation is found before the command runs: a usage error must
  // never be mistaken for the command's own exit code.
  const phase = required(values.phase, '--phase', 'run', EXAMPLE)
  const env = resolveEnv(values.env, io)
  const buildId = values['build-id'] ?? DEFAULT_BUILD_ID
  const registry = resolveRegistry(values.registry, io)
  await registry.check()
  const budgets = await loadBudgets(values.budgets, io)
  const telemetry = resolveTelemetry(values)

  const start = io.now()
  const log = await openLog(values['log-dir'] ?? DEFAULT_LOG_DIR, phase, buildId, start, io)
  // Resources of the machine while the command runs (docs/export.md), sampled in this process: it waits anyway.
  const sampler = new InProcessSampler(1000, io.env.HOST_PROC || undefined)
  const ran = await supervise(file, args, io, log)
  const usage = sampler.stop()
  // Cancelled means stopped on request (ours, or a stop signal); a crash (SIGSEGV, the OOM killer's SIGKILL) is a failure.
  const { exitCode, end, counts } = ran
  const status: Status = ran.stopped ? 'cancelled' : exitCode === 0 ? 'success' : 'failure'
  // The command has run: whatever happens to the row now, its exit code is what we exit with.
  try {
    await recordAndTell(
      {
        event: {
          source: 'cli',
          phase,
          env,
          buildId,
          start,
          end: end ?? io.now(),
          exitCode,
          status,
          flags: values.flags ?? '',
          ...(counts ? { resources: counts } : {}),
          ...(log ? { logPath: log.shown } : {}),
          usage,
          secrets: secretsFromEnv(io.env),
        },
        budgets,
        store: registry.store,
      },
      io,
      registry.label,
      telemetry,
    )
  } catch (e) {
    say(
      io.stderr,
      `the row could not be recorded (${errorMessage(e)}); the command's exit code ${exitCode} is kept`,
    )
  }
  return exitCode
}
