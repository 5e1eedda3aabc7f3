/**
 * A job's row as Prometheus metrics for the Pushgateway (docs/export.md): one group per (job, phase, env), replaced
 * on each push, so a dashboard shows each phase's last run. Names follow Prometheus' conventions: a
 * `build_timings_` prefix, base units (seconds, bytes, ratios 0..1) in the suffix, states as a label.
 */
import { BUDGET_STATUSES, STATUSES, type Row } from './schema.js'

export interface Grouping {
  job: string
  phase: string
  env: string
}

/** The Prometheus `job` of a row: its repository (so repositories never replace each other's groups). */
export function groupingOf(row: Row): Grouping {
  return { job: row.repository || 'build-timings', phase: row.phase, env: row.env }
}

/**
 * `/metrics/job/{job}/phase/{phase}/env/{env}`. A value with a `/` (a repository, a phase like `test (a/b)`)
 * or an empty one uses the Pushgateway's base64url form (`label@base64/…`), the only way to carry it.
 */
export function pushgatewayPath(g: Grouping): string {
  const part = (name: string, value: string): string =>
    value === '' || value.includes('/')
      ? `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url') || '='}`
      : `${name}/${encodeURIComponent(value)}`
  return `/metrics/${part('job', g.job)}/${part('phase', g.phase)}/${part('env', g.env)}`
}

interface Metric {
  name: string
  help: string
  samples: { labels?: Record<string, string>; value: number }[]
}

const MIB = 1024 * 1024

/** The exposition text (format 0.0.4) of one row. Unknown figures are left out, never pushed as 0. */
export function prometheusText(row: Row): string {
  const num = (cell: string): number | undefined => (cell === '' ? undefined : Number(cell))
  const metrics: Metric[] = []
  const gauge = (
    name: string,
    help: string,
    value: number | undefined,
    labels?: Record<string, string>,
  ): void => {
    if (value !== undefined && Number.isFinite(value))
      metrics.push({ name, help, samples: [{ labels, value }] })
  }
  const common = { source: row.source, status: row.status }
  gauge(
    'build_timings_duration_seconds',
    'Duration of the last run of the phase.',
    num(row.duration_seconds),
    common,
  )
  gauge(
    'build_timings_exit_code',
    'Exit code of the last run (0 success, 1 failure, 130 cancelled).',
    num(row.exit_code),
  )
  gauge(
    'build_timings_end_timestamp_seconds',
    'When the last run ended, in seconds since the Unix epoch.',
    Date.parse(row.end_time_utc) / 1000,
  )
  metrics.push({
    name: 'build_timings_status',
    help: 'Status of the last run: 1 for the status it had, 0 for the others.',
    samples: STATUSES.map((s) => ({ labels: { status: s }, value: row.status === s ? 1 : 0 })),
  })
  gauge('build_timings_queue_seconds', 'Time the last run waited for a runner.', num(row.queue_seconds))
  gauge(
    'build_timings_budget_target_seconds',
    'Target duration of the phase.',
    num(row.budget_target_seconds),
  )
  gauge('build_timings_budget_max_seconds', 'Maximum duration of the phase.', num(row.budget_max_seconds))
  metrics.push({
    name: 'build_timings_budget_status',
    help: 'Budget verdict of the last run: 1 for its verdict, 0 for the others.',
    samples: BUDGET_STATUSES.map((s) => ({
      labels: { budget_status: s },
      value: row.budget_status === s ? 1 : 0,
    })),
  })
  gauge(
    'build_timings_cache_hits',
    'Cache lookups that hit (exact or restore-key) in the last run.',
    num(row.cache_hits),
  )
  gauge('build_timings_cache_lookups', 'Cache lookups in the last run.', num(row.cache_lookups))
  const cpu = num(row.cpu_avg_percent)
  gauge(
    'build_timings_cpu_utilization_ratio',
    'Average busy share of the machine CPUs over the last run (0..1).',
    cpu === undefined ? undefined : cpu / 100,
  )
  const bytes = (cell: string): number | undefined => {
    const v = num(cell)
    return v === undefined ? undefined : Math.round(v * MIB)
  }
  gauge(
    'build_timings_memory_peak_bytes',
    'Peak memory in use on the machine during the last run.',
    bytes(row.mem_peak_mb),
  )
  gauge('build_timings_disk_read_bytes', 'Bytes read from disk during the last run.', bytes(row.disk_read_mb))
  gauge(
    'build_timings_disk_written_bytes',
    'Bytes written to disk during the last run.',
    bytes(row.disk_write_mb),
  )
  gauge(
    'build_timings_network_receive_bytes',
    'Bytes received over the network during the last run.',
    bytes(row.net_rx_mb),
  )
  gauge(
    'build_timings_network_transmit_bytes',
    'Bytes sent over the network during the last run.',
    bytes(row.net_tx_mb),
  )
  metrics.push({
    name: 'build_timings_run_info',
    help: 'Identity of the last run, as labels.',
    samples: [
      {
        labels: {
          build_id: row.build_id,
          run_id: row.run_id,
          run_attempt: row.run_attempt,
          ref: row.ref,
          sha: row.sha,
          row_id: row.row_id,
        },
        value: 1,
      },
    ],
  })
  return metrics
    .map((m) =>
      [
        `# HELP ${m.name} ${m.help}`,
        `# TYPE ${m.name} gauge`,
        ...m.samples.map((s) => `${m.name}${labelText(s.labels)} ${s.value}`),
      ].join('\n'),
    )
    .join('\n')
    .concat('\n')
}

function labelText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).filter(([, v]) => v !== '')
  if (!entries.length) return ''
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`
}
