import { writeFile } from 'node:fs/promises'
import { buildReport, type ReportView } from '../../app/report.js'
import { registryProblem } from '../../app/record.js'
import { InputError, RegistryParseError } from '../../core/errors.js'
import { parseComparison, SelectorError } from '../../core/insights/select.js'
import { REPORT_FORMATS, type ReportFormat } from '../../core/report.js'
import { scanBatches } from '../../registry/batches.js'
import type { Registry } from '../../registry/spec.js'
import { chartLibrary } from '../chart-library.js'
import { REPORT_HELP } from '../help.js'
import { EXIT_FAILURE, EXIT_USAGE, say, UsageError, type CliIO } from '../io.js'
import {
  cliEnv,
  COMMON_OPTIONS,
  loadBudgets,
  parseCommand,
  parseSince,
  resolvePath,
  resolveRegistry,
} from '../options.js'

const OPTIONS = {
  ...COMMON_OPTIONS,
  env: { type: 'string' },
  phase: { type: 'string' },
  since: { type: 'string' },
  format: { type: 'string' },
  by: { type: 'string' },
  compare: { type: 'string' },
  budgets: { type: 'string' },
  output: { type: 'string', short: 'o' },
  publish: { type: 'boolean' },
} as const

const BY = ['phase', 'cache', 'flakes'] as const
type By = (typeof BY)[number]

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
  const html = values.format === 'html'
  const comment = values.format === 'comment'
  const format = (html || comment ? 'table' : (values.format ?? 'table')) as ReportFormat
  if (!REPORT_FORMATS.includes(format)) {
    throw new UsageError(
      `--format "${values.format}" is not one of ${[...REPORT_FORMATS, 'html', 'comment'].join(', ')}; e.g. --format markdown`,
    )
  }
  if ((html || comment) && (values.by !== undefined || values.compare !== undefined)) {
    throw new UsageError(`--format ${values.format} is a page of its own; leave out --by and --compare`)
  }
  if (values.publish && !html) {
    throw new UsageError('--publish commits the dashboard page; add --format html')
  }
  const by = (values.by ?? 'phase') as By
  if (!BY.includes(by))
    throw new UsageError(`--by "${values.by}" is not one of ${BY.join(', ')}; e.g. --by cache`)
  if (values.compare !== undefined && values.by !== undefined) {
    throw new UsageError('--compare and --by are two different reports; give one of them')
  }
  let sets: ReturnType<typeof parseComparison> | null = null
  try {
    sets = values.compare === undefined ? null : parseComparison(values.compare, io.now())
  } catch (e) {
    if (e instanceof SelectorError) throw new UsageError(`--compare: ${e.message}`)
    throw e
  }
  const env = values.env === undefined ? undefined : cliEnv(values.env)
  const since = values.since === undefined ? undefined : parseSince(values.since, io.now())
  const budgets = await loadBudgets(values.budgets, io)
  // The chart library is found before the registry is read: a missing one should not cost a long read first.
  const view: ReportView = html
    ? { kind: 'dashboard', chartLibrary: await chartLibrary() }
    : comment
      ? { kind: 'comment' }
      : sets
        ? { kind: 'compare', sets }
        : { kind: by }
  const registry = resolveRegistry(values.registry, io)
  await registry.check()

  const progress = new Progress(io)
  let text: string
  try {
    text = await buildReport(
      { batches: (e, only) => scanBatches(registry, e, only) },
      {
        filter: {
          ...(env ? { env } : {}),
          ...(values.phase ? { phase: values.phase } : {}),
          ...(since ? { since } : {}),
        },
        view,
        format,
        budgets,
        now: io.now(),
      },
      (rows) => progress.tick(rows),
    )
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
  if (values.publish) {
    const published = await publishDashboard(registry, text, io)
    if (published !== 0 || values.output === undefined) return published
  }
  if (values.output === undefined) {
    io.stdout.write(text)
    return 0
  }
  const path = resolvePath(values.output, io)
  try {
    await writeFile(path, text)
  } catch (e) {
    throw new UsageError(
      `cannot write --output ${values.output} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); name a file in a writable folder`,
    )
  }
  say(io.stderr, `wrote ${values.output}`)
  return 0
}

/** `--publish`: the page goes into the registry (SPEC §7, `dashboard/index.html`); one line says where. */
async function publishDashboard(registry: Registry, page: string, io: CliIO): Promise<number> {
  try {
    const done = await registry.publishPage(Buffer.from(page, 'utf8'))
    say(
      io.stderr,
      done.commit
        ? `published the dashboard to ${done.where} (${done.commit.slice(0, 7)})`
        : `published the dashboard to ${done.where}${registry.spec.kind === 'file' ? '' : ' (unchanged: no commit)'}`,
    )
    return 0
  } catch (e) {
    say(
      io.stderr,
      registryProblem(e, registry.label)
        .replace(/^could not write to/, 'could not publish the dashboard to')
        .replace(/ to record timings\.$/, ' to publish the dashboard.'),
    )
    return EXIT_FAILURE
  }
}
