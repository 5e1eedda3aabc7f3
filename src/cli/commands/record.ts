import { isStatus, STATUSES, type Status } from '../../core/schema.js'
import { parseTime } from '../../core/time.js'
import { RECORD_HELP } from '../help.js'
import { UsageError, type CliIO } from '../io.js'
import { recordAndTell } from '../outcome.js'
import {
  DEFAULT_BUILD_ID,
  loadBudgets,
  resolveTelemetry,
  parseCommand,
  required,
  resolveEnv,
  resolveRegistry,
  ROW_OPTIONS,
} from '../options.js'

const OPTIONS = {
  ...ROW_OPTIONS,
  start: { type: 'string' },
  end: { type: 'string' },
  'exit-code': { type: 'string' },
  'log-path': { type: 'string' },
  status: { type: 'string' },
} as const
const EXAMPLE =
  'build-timings record --phase deploy --start 2026-01-24T10:15:03Z --end 2026-01-24T10:21:40Z --exit-code 0'

function time(value: string | undefined, flag: string): Date {
  const raw = required(value, flag, 'record', EXAMPLE)
  const date = parseTime(raw)
  if (!date)
    throw new UsageError(
      `${flag} "${raw}" is not a time; use ISO-8601 UTC (2026-01-24T10:15:03Z) or Unix seconds ($(date +%s))`,
    )
  return date
}

/** `record`: a row from values, for scripts that time themselves. Fail-open like `run`: exit 0 once kept. */
export async function recordCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommand('record', argv, OPTIONS)
  if (values.help) {
    io.stdout.write(RECORD_HELP)
    return 0
  }
  const phase = required(values.phase, '--phase', 'record', EXAMPLE)
  const start = time(values.start, '--start')
  const end = time(values.end, '--end')
  if (end < start)
    throw new UsageError(
      `--end is before --start; pass the times in the order they happened, e.g. ${EXAMPLE}`,
    )
  const rawCode = required(values['exit-code'], '--exit-code', 'record', EXAMPLE)
  if (!/^-?\d{1,3}$/.test(rawCode.trim()))
    throw new UsageError(
      `--exit-code "${rawCode}" is not a whole number; pass the command's exit code, e.g. $?`,
    )
  const exitCode = Number(rawCode)
  let status: Status = exitCode === 0 ? 'success' : 'failure'
  if (values.status !== undefined) {
    if (!isStatus(values.status))
      throw new UsageError(
        `--status "${values.status}" is not one of ${STATUSES.join(', ')}; leave it out to derive it from --exit-code`,
      )
    status = values.status
  }
  const env = resolveEnv(values.env, io)
  const registry = resolveRegistry(values.registry, io)
  await registry.check()
  const budgets = await loadBudgets(values.budgets, io)
  const telemetry = resolveTelemetry(values)
  await recordAndTell(
    {
      event: {
        source: 'cli',
        phase,
        env,
        buildId: values['build-id'] ?? DEFAULT_BUILD_ID,
        start,
        end,
        exitCode,
        status,
        flags: values.flags ?? '',
        logPath: values['log-path'] ?? '',
        secrets: [io.env.GITHUB_TOKEN ?? '', io.env.GH_TOKEN ?? ''].filter(Boolean),
      },
      budgets,
      store: registry.store,
    },
    io,
    registry.label,
    telemetry,
  )
  return 0
}
