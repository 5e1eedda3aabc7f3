import { RegistryParseError } from '../../core/errors.js'
import { REPORT_FORMATS, renderReport, ReportAggregator, type ReportFormat } from '../../core/report.js'
import { registryProblem } from '../../app/record.js'
import { REPORT_HELP } from '../help.js'
import { EXIT_FAILURE, EXIT_USAGE, say, UsageError, type CliIO } from '../io.js'
import { COMMON_OPTIONS, parseCommand, parseSince, resolveRegistry } from '../options.js'
import { cliEnv } from '../options.js'
import { InputError } from '../../core/errors.js'

const OPTIONS = {
  ...COMMON_OPTIONS,
  env: { type: 'string' },
  phase: { type: 'string' },
  since: { type: 'string' },
  format: { type: 'string' },
} as const

/** Progress for long reads, only where a person watches (a TTY), on one rewritten line. */
class Progress {
  private next: number
  private shown = false
  constructor(private readonly io: CliIO) {
    this.next = io.now().getTime() + 1000
  }
  tick(rows: number): void {
    if (!this.io.stderrIsTTY || (rows & 0x3fff) !== 0) return
    const now = this.io.now().getTime()
    if (now < this.next) return
    this.next = now + 250
    this.shown = true
    this.io.stderr.write(`\rbuild-timings: read ${rows.toLocaleString('en-US')} rows…`)
  }
  done(): void {
    if (this.shown) this.io.stderr.write('\r\u001b[K')
  }
}

export async function reportCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCommand('report', argv, OPTIONS)
  if (values.help) {
    io.stdout.write(REPORT_HELP)
    return 0
  }
  const format = (values.format ?? 'table') as ReportFormat
  if (!REPORT_FORMATS.includes(format)) {
    throw new UsageError(
      `--format "${values.format}" is not one of ${REPORT_FORMATS.join(', ')}; e.g. --format markdown`,
    )
  }
  const env = values.env === undefined ? undefined : cliEnv(values.env)
  const since = values.since === undefined ? undefined : parseSince(values.since, io.now())
  const registry = resolveRegistry(values.registry, io)
  await registry.check()

  const agg = new ReportAggregator({
    ...(env ? { env } : {}),
    ...(values.phase ? { phase: values.phase } : {}),
    ...(since ? { since } : {}),
  })
  const progress = new Progress(io)
  try {
    for await (const row of registry.scan(env, since ? { since: since.toISOString() } : undefined)) {
      agg.add(row)
      progress.tick(agg.rowsRead)
    }
  } catch (e) {
    progress.done()
    if (e instanceof InputError) throw e
    if (e instanceof RegistryParseError) {
      say(io.stderr, `${e.message}; fix the file or pass --registry naming another`)
      return EXIT_USAGE
    }
    say(
      io.stderr,
      registry.spec.kind === 'github'
        ? registryProblem(e, registry.label).replace('could not write to', 'could not read')
        : `could not read ${registry.label}: ${(e as Error).message}`,
    )
    return EXIT_FAILURE
  }
  progress.done()
  io.stdout.write(renderReport(agg.result(), format))
  return 0
}
