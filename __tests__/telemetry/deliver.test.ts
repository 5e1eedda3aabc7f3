import { readFileSync } from 'node:fs'
import { emptyRow, type Row } from '../../src/core/schema.js'
import { parseExportTargets } from '../../src/core/telemetry.js'
import { traceIdOf } from '../../src/telemetry/otlp.js'
import { deliverTelemetry } from '../../src/telemetry/deliver.js'
import {
  decodeMetrics,
  decodeTraces,
  Prometheus,
  prometheusMissing,
  Pushgateway,
  Receiver,
} from '../support/telemetry-servers.js'

function row(patch: Partial<Row> = {}): Row {
  return {
    ...emptyRow(),
    start_time_utc: '2026-01-24T10:15:03Z',
    end_time_utc: '2026-01-24T10:16:33Z',
    phase: 'test (ubuntu, 20)',
    env: 'ci',
    build_id: '9001',
    duration_seconds: '90',
    exit_code: '0',
    status: 'success',
    source: 'github',
    repository: 'acme/widgets',
    run_id: '9001',
    run_attempt: '1',
    job_id: '555',
    budget_status: 'over_max',
    budget_max_seconds: '60',
    row_id: 'gh/acme/widgets/9001/1/555/test (ubuntu, 20)',
    cpu_avg_percent: '12.5',
    mem_peak_mb: '512',
    ...patch,
  }
}
const steps = [
  {
    name: 'Set up job',
    status: 'completed',
    conclusion: 'success',
    number: 1,
    started_at: '2026-01-24T10:15:03Z',
    completed_at: '2026-01-24T10:15:05Z',
  },
  {
    name: 'Run tests',
    status: 'completed',
    conclusion: 'success',
    number: 2,
    started_at: '2026-01-24T10:15:05Z',
    completed_at: '2026-01-24T10:16:30Z',
  },
]

describe('OTLP/HTTP receiver decoding with the official protobuf definitions', () => {
  let otlp: Receiver
  beforeEach(async () => (otlp = await Receiver.start()))
  afterEach(async () => otlp.close())

  test('one trace per job, the steps as its child spans, and the metrics', async () => {
    const { targets } = parseExportTargets(`otlp+${otlp.url}`)
    const result = await deliverTelemetry(
      {
        row: row(),
        steps,
        context: { pipelineName: 'CI', runUrl: 'https://github.com/acme/widgets/actions/runs/9001' },
      },
      { targets, maxWaitMs: 10_000, version: '0.1.0' },
    )
    expect(result.warnings).toEqual([])
    const traces = otlp.requests.filter((r) => r.path === '/v1/traces')
    expect(traces).toHaveLength(1)
    expect(traces[0]?.headers['content-type']).toBe('application/x-protobuf')
    const { resource, spans } = decodeTraces(traces[0]?.body as Buffer)
    expect(resource['service.name']).toBe('build-timings')
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceIdOf(row().row_id)]))
    const root = spans.find((s) => !s.parentSpanId)
    expect(root?.name).toBe('RUN test (ubuntu, 20)')
    expect(root?.attributes).toMatchObject({
      'cicd.pipeline.name': 'CI',
      'cicd.pipeline.task.name': 'test (ubuntu, 20)',
      'cicd.pipeline.task.run.result': 'success',
      'cicd.pipeline.run.id': '9001',
    })
    expect(BigInt(root?.endTimeUnixNano ?? 0) - BigInt(root?.startTimeUnixNano ?? 0)).toBe(90_000_000_000n)
    const children = spans.filter((s) => s.parentSpanId === root?.spanId)
    expect(children.map((s) => s.name).sort()).toEqual(['Run tests', 'Set up job'])
    expect(spans).toHaveLength(3)

    const metrics = otlp.requests.filter((r) => r.path === '/v1/metrics')
    expect(metrics).toHaveLength(1)
    const decoded = decodeMetrics(metrics[0]?.body as Buffer)
    expect(decoded.find((m) => m.name === 'build_timings.task.duration')).toMatchObject({
      unit: 's',
      points: [{ value: 90 }],
    })
    expect(decoded.find((m) => m.name === 'build_timings.memory.peak')?.points[0]?.value).toBe(
      512 * 1024 * 1024,
    )
  })

  test.each(['5xx', 'silent'] as const)(
    'a %s collector costs at most max-wait and gives one warning',
    async (behaviour) => {
      otlp.behaviour = behaviour
      const hook = await Receiver.start()
      try {
        const { targets } = parseExportTargets(`otlp+${otlp.url}`)
        const started = Date.now()
        const result = await deliverTelemetry(
          { row: row() },
          {
            targets,
            webhook: { url: `${hook.url}/hook`, label: hook.url },
            maxWaitMs: 2000,
            version: '0.1.0',
          },
        )
        const ms = Date.now() - started
        expect(ms).toBeLessThan(2000 + 500)
        expect(result.warnings).toHaveLength(1)
        expect(result.warnings[0]).toMatch(
          behaviour === 'silent' ? /did not answer within max-wait \(2s\)/ : /refused the job/,
        )
        // The other target is not held hostage by the broken one.
        expect(result.alerted).toBe(true)
      } finally {
        await hook.close()
      }
    },
  )
})

describe('alert webhook', () => {
  test('one Slack-compatible message per job, with the run link and never the token', async () => {
    const hook = await Receiver.start()
    try {
      const result = await deliverTelemetry(
        {
          row: row({ flags: 'x', ref: 'refs/heads/ghs_abcdefghijklmnopqrstuvwxyz0123' }),
          context: { runUrl: 'https://github.com/acme/widgets/actions/runs/9001' },
          alert: { flaky: true },
        },
        {
          targets: [],
          webhook: { url: `${hook.url}/services/T/B/X`, label: hook.url },
          maxWaitMs: 5000,
          version: '0.1.0',
          secrets: ['ghs_abcdefghijklmnopqrstuvwxyz0123'],
        },
      )
      expect(result).toEqual({ warnings: [], delivered: [`alert webhook ${hook.url}`], alerted: true })
      expect(hook.requests).toHaveLength(1)
      const body = JSON.parse(hook.requests[0]?.body.toString() ?? '') as { text: string }
      expect(body.text).toContain('over its max of 60s')
      expect(body.text).toContain('flaky')
      expect(body.text).toContain('<https://github.com/acme/widgets/actions/runs/9001|Open the run>')
      expect(body.text).not.toContain('ghs_abc')
      // A clean job sends nothing.
      await deliverTelemetry(
        { row: row({ budget_status: 'ok' }) },
        { targets: [], webhook: { url: hook.url, label: hook.url }, maxWaitMs: 5000, version: '0' },
      )
      expect(hook.requests).toHaveLength(1)
    } finally {
      await hook.close()
    }
  })
})

const missing = prometheusMissing()
if (missing) console.log(`Prometheus tests skipped: ${missing}`)
;(missing ? describe.skip : describe)('Pushgateway and Prometheus (Debian packages)', () => {
  let pg: Pushgateway
  let prom: Prometheus
  beforeAll(async () => {
    pg = await Pushgateway.start()
    prom = await Prometheus.start(pg.url)
  })
  afterAll(async () => {
    await prom?.stop()
    await pg?.stop()
  })

  test('a pushed job is read back with PromQL after a scrape, one group per (job, phase, env)', async () => {
    const { targets } = parseExportTargets(`pushgateway+${pg.url}`)
    for (const r of [
      row(),
      row({ phase: 'lint', duration_seconds: '12', row_id: 'x/lint' }),
      row({ duration_seconds: '95' }),
    ]) {
      const result = await deliverTelemetry({ row: r }, { targets, maxWaitMs: 10_000, version: '0.1.0' })
      expect(result.warnings).toEqual([])
    }
    const series = await prom.waitFor('build_timings_duration_seconds{job="acme/widgets"}', 2)
    expect(series.map((s) => [s.metric.phase, s.metric.env, s.value[1]]).sort()).toEqual([
      ['lint', 'ci', '12'],
      ['test (ubuntu, 20)', 'ci', '95'],
    ])
    const verdict = await prom.waitFor('build_timings_budget_status{budget_status="over_max"} == 1', 2)
    expect(verdict).toHaveLength(2)
  })

  test('every query of the Grafana dashboard in docs/ runs against Prometheus and finds the pushed metrics', async () => {
    const dashboard = JSON.parse(readFileSync('docs/grafana/build-timings.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[]
    }
    const exprs = dashboard.panels.flatMap((p) =>
      p.targets.map((t) => [p.title, t.expr.replace(/\$(job|env|phase)\b/g, '.*')]),
    )
    expect(exprs.length).toBeGreaterThanOrEqual(8)
    const empty: string[] = []
    for (const [title, expr] of exprs) {
      const series = await prom.query(expr as string)
      if (!series.length) empty.push(`${title}: ${expr}`)
    }
    // The rows pushed above have no cache, disk or network figures: only those panels may be empty.
    expect(empty.filter((e) => !/cache|disk_|network/.test(e))).toEqual([])
  })
})
