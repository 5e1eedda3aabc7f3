/**
 * A job as OpenTelemetry data (docs/export.md): one trace per job whose root span is the job and whose children are
 * its steps, plus metrics. Attribute names are OpenTelemetry's CI/CD and VCS semantic conventions where
 * they exist (`cicd.pipeline.*`, `vcs.*`, semconv 1.27+); the rest live under `build_timings.*`.
 * Pure: the SDK plumbing is in src/telemetry/otlp.ts.
 */
import type { JobStep } from './steps.js'
import type { Row } from './schema.js'

export type Attributes = Record<string, string | number | boolean>

export interface SpanPlan {
  name: string
  start: Date
  end: Date
  attributes: Attributes
  error: boolean
}

export interface TracePlan {
  /** 32 hex digits, derived from the row_id: a retried export sends the same trace, not a second one. */
  traceId: string
  root: SpanPlan
  children: SpanPlan[]
}

export interface MetricPlan {
  name: string
  unit: string
  description: string
  value: number
  attributes: Attributes
}

export interface JobContext {
  /** The workflow or pipeline's name (`cicd.pipeline.name`), when the door knows it. */
  pipelineName?: string
  runUrl?: string
  jobUrl?: string
  /** The repository's web URL (`vcs.repository.url.full`). */
  repositoryUrl?: string
}

/** `cicd.pipeline.task.run.result` (and `cicd.pipeline.result`) values. */
export function cicdResult(row: Row): string {
  if (row.budget_status === 'timeout') return 'timeout'
  switch (row.status) {
    case 'success':
      return 'success'
    case 'failure':
      return 'failure'
    case 'cancelled':
      return 'cancellation'
    case 'skipped':
      return 'skip'
    default:
      return 'error'
  }
}

function jobAttributes(row: Row, ctx: JobContext): Attributes {
  const a: Attributes = {}
  const put = (k: string, v: string | number | undefined): void => {
    if (v !== undefined && v !== '') a[k] = v
  }
  put('cicd.pipeline.name', ctx.pipelineName)
  put('cicd.pipeline.run.id', row.run_id || row.build_id)
  put('cicd.pipeline.run.url.full', ctx.runUrl)
  put('cicd.pipeline.task.name', row.phase)
  put('cicd.pipeline.task.run.id', row.job_id)
  put('cicd.pipeline.task.run.url.full', ctx.jobUrl)
  put('cicd.pipeline.task.run.result', cicdResult(row))
  put('cicd.worker.name', row.runner)
  put('vcs.repository.name', row.repository.split('/').pop())
  put('vcs.owner.name', row.repository.includes('/') ? row.repository.split('/')[0] : undefined)
  put('vcs.repository.url.full', ctx.repositoryUrl)
  put('vcs.ref.head.name', row.ref.replace(/^refs\/(heads|tags)\//, ''))
  put('vcs.ref.head.revision', row.sha)
  put('vcs.change.id', row.pr_number)
  put('deployment.environment.name', row.env)
  put('build_timings.source', row.source)
  put('build_timings.build_id', row.build_id)
  put('build_timings.row_id', row.row_id)
  put('build_timings.budget.status', row.budget_status)
  return a
}

/** The job and its completed steps; steps without both timestamps are left out, as in the job summary. */
export function tracePlan(
  row: Row,
  traceId: string,
  steps: readonly JobStep[] = [],
  ctx: JobContext = {},
): TracePlan {
  const start = new Date(row.start_time_utc)
  const end = new Date(row.end_time_utc)
  const result = cicdResult(row)
  const children: SpanPlan[] = []
  for (const s of steps) {
    if (!s.started_at || !s.completed_at) continue
    const from = new Date(s.started_at)
    const to = new Date(s.completed_at)
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) continue
    children.push({
      name: s.name,
      start: from,
      // Skipped steps can complete before they start (docs/architecture.md "Inside a GitHub Actions job"): a zero-length span, never a negative one.
      end: to < from ? from : to,
      attributes: {
        'cicd.pipeline.task.name': row.phase,
        'build_timings.step.number': s.number,
        'build_timings.step.conclusion': s.conclusion ?? s.status,
      },
      error: s.conclusion === 'failure',
    })
  }
  return {
    traceId,
    root: {
      name: `RUN ${row.phase}`,
      start,
      end,
      attributes: { 'cicd.pipeline.action.name': 'RUN', ...jobAttributes(row, ctx) },
      error: result === 'failure' || result === 'error' || result === 'timeout',
    },
    children,
  }
}

/** Metrics of one job; figures the row does not know are left out, never sent as 0. */
export function metricPlan(row: Row, ctx: JobContext = {}): MetricPlan[] {
  const base: Attributes = {}
  for (const [k, v] of Object.entries(jobAttributes(row, ctx))) {
    // Per-run identities would make every job its own time series: kept on the trace, not the metrics.
    if (!/run\.id|run\.url|row_id|build_id|revision|change\.id/.test(k)) base[k] = v
  }
  const out: MetricPlan[] = []
  const add = (
    name: string,
    unit: string,
    description: string,
    cell: string,
    scale = 1,
    extra: Attributes = {},
  ): void => {
    if (cell === '' || !Number.isFinite(Number(cell))) return
    out.push({ name, unit, description, value: Number(cell) * scale, attributes: { ...base, ...extra } })
  }
  const MIB = 1024 * 1024
  add('build_timings.task.duration', 's', 'Duration of the job (pipeline task run).', row.duration_seconds)
  add('build_timings.task.queue_time', 's', 'Time the job waited for a runner.', row.queue_seconds)
  add('build_timings.budget.target', 's', 'Target duration of the phase.', row.budget_target_seconds)
  add('build_timings.budget.max', 's', 'Maximum duration of the phase.', row.budget_max_seconds)
  add('build_timings.cache.hits', '{lookup}', 'Cache lookups that hit.', row.cache_hits)
  add('build_timings.cache.lookups', '{lookup}', 'Cache lookups.', row.cache_lookups)
  add(
    'build_timings.cpu.utilization',
    '1',
    'Average busy share of the machine CPUs.',
    row.cpu_avg_percent,
    0.01,
  )
  add('build_timings.memory.peak', 'By', 'Peak memory in use on the machine.', row.mem_peak_mb, MIB)
  add('build_timings.disk.io', 'By', 'Bytes read from disk.', row.disk_read_mb, MIB, {
    'disk.io.direction': 'read',
  })
  add('build_timings.disk.io', 'By', 'Bytes written to disk.', row.disk_write_mb, MIB, {
    'disk.io.direction': 'write',
  })
  add('build_timings.network.io', 'By', 'Bytes received.', row.net_rx_mb, MIB, {
    'network.io.direction': 'receive',
  })
  add('build_timings.network.io', 'By', 'Bytes sent.', row.net_tx_mb, MIB, {
    'network.io.direction': 'transmit',
  })
  return out
}
