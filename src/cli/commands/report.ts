import { writeFile } from 'node:fs/promises'
import { RegistryParseError } from '../../core/errors.js'
import { CacheAccumulator } from '../../core/insights/cache.js'
import { DashboardAccumulator } from '../../core/insights/dashboard.js'
import { LatestRun } from '../../core/insights/latest-run.js'
import { renderDashboard } from '../../core/render/dashboard.js'
import { chartLibrary } from '../chart-library.js'
import { CompareAccumulator } from '../../core/insights/compare.js'
import { FlakeAccumulator } from '../../core/insights/flakes.js'
import { renderCache, renderComparison, renderFlakes } from '../../core/insights/render.js'
import { chooser, parseComparison, SelectorError } from '../../core/insights/select.js'
import { REPORT_FORMATS, renderReport, ReportAggregator, type ReportFormat } from '../../core/report.js'
import { registryProblem } from '../../app/record.js'
import { scanBatches } from '../../registry/batches.js'
import { REPORT_HELP } from '../help.js'
import { EXIT_FAILURE, EXIT_USAGE, say, UsageError, type CliIO } from '../io.js'
import {
  COMMON_OPTIONS,
  loadBudgets,
  parseCommand,
  parseSince,
  resolvePath,
  resolveRegistry,
} from '../options.js'
import { cliEnv } from '../options.js'
import { InputError } from '../../core/errors.js'

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

const DASHBOARD_COLUMNS = [
  'start_time_utc',
  'end_time_utc',
  'phase',
  'env',
  'duration_seconds',
  'exit_code',
  'status',
  'budget_status',
  'repository',
  'sha',
  'cache_hits',
  'cache_lookups',
  'queue_seconds',
]

/** The cells each report reads: a file registry then builds only these (a third of a row's cells). */
function columnsFor(by: By, comparing: boolean, withFlakes: boolean): string[] {
  const base = [
    'start_time_utc',
    'end_time_utc',
    'phase',
    'env',
    'duration_seconds',
    'exit_code',
    'status',
    'budget_status',
  ]
  if (comparing) return [...base, 'ref', 'flags']
  if (by === 'cache') return [...base, 'cache_hits', 'cache_lookups']
  return withFlakes ? [...base, 'repository', 'sha'] : base
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
  // Found before the registry is read: a missing library should not cost a million rows' read first.
  const library = html ? await chartLibrary() : null
  const registry = resolveRegistry(values.registry, io)
  await registry.check()

  const agg = new ReportAggregator({
    ...(env ? { env } : {}),
    ...(values.phase ? { phase: values.phase } : {}),
    ...(since ? { since } : {}),
  })
  // Flakes ride along with the plain report only when the budgets file sets a target: they need every
  // sha held, which costs more than the percentiles over a large registry. --by flakes always has them.
  const withFlakes = by === 'flakes' || (by === 'phase' && budgets.flakeRateTarget !== undefined)
  const flakes = !sets && !html && withFlakes ? new FlakeAccumulator() : null
  const dashboard = html ? new DashboardAccumulator(io.now(), budgets) : null
  const latestRun = comment ? new LatestRun(budgets) : null
  const cache = !sets && by === 'cache' ? new CacheAccumulator() : null
  const comparison = sets ? new CompareAccumulator(chooser(...sets)) : null
  const progress = new Progress(io)
  try {
    const columns = comment ? undefined : html ? DASHBOARD_COLUMNS : columnsFor(by, sets !== null, withFlakes)
    for await (const batch of scanBatches(registry, env, columns ? { columns } : undefined)) {
      for (const row of batch) {
        agg.add(row)
        progress.tick(agg.rowsRead)
        if (!agg.matches(row)) continue
        flakes?.add(row)
        cache?.add(row)
        comparison?.add(row)
        dashboard?.add(row)
        latestRun?.add(row)
      }
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

  const target = budgets.flakeRateTarget
  let text: string
  if (latestRun) {
    text =
      latestRun.render('local') ??
      `${agg.rowsRead ? 'No rows match' : 'No rows in the registry yet'}: no comment to preview.\n`
  } else if (dashboard && library !== null) {
    text = renderDashboard(dashboard.result(), library)
  } else if (sets && comparison) {
    text = renderComparison(sets[0].text, sets[1].text, comparison.result(), format)
  } else if (cache) {
    text = renderCache(cache.result(), format)
  } else if (by === 'flakes' && flakes) {
    text = renderFlakes(flakes.result(), target, format, true)
  } else {
    const report = agg.result()
    text = renderReport(report, format)
    if (flakes && format === 'json') {
      const section = JSON.parse(renderFlakes(flakes.result(), target, 'json')) as unknown
      text = `${JSON.stringify({ ...(JSON.parse(text) as object), flakes: section }, null, 2)}\n`
    } else if (flakes && (format === 'table' || format === 'markdown') && report.groups.length) {
      const section = renderFlakes(flakes.result(), target, format)
      if (section) text += `\n${section}`
    }
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
