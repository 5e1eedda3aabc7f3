import { alertMessage, alertReasons, seenFlake, slackText } from '../../src/core/alerts.js'
import { cicdResult, metricPlan, tracePlan } from '../../src/core/otel.js'
import { groupingOf, prometheusText, pushgatewayPath } from '../../src/core/prometheus.js'
import { bar, resourcesSection } from '../../src/core/render/resources.js'
import { emptyRow, type Row } from '../../src/core/schema.js'
import {
  hasTelemetry,
  invalidTargetsWarning,
  parseExportTargets,
  parseWebhook,
  telemetryConfig,
} from '../../src/core/telemetry.js'

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
    ref: 'refs/heads/main',
    sha: '0123456789abcdef0123456789abcdef01234567',
    budget_target_seconds: '60',
    budget_max_seconds: '120',
    budget_status: 'over_target',
    cache_hits: '1',
    cache_lookups: '2',
    row_id: 'gh/acme/widgets/9001/1/555/test (ubuntu, 20)',
    cpu_avg_percent: '37.5',
    mem_peak_mb: '2048',
    disk_write_mb: '1.5',
    ...patch,
  }
}

describe('export targets', () => {
  test.each([
    ['one pushgateway', 'pushgateway+http://127.0.0.1:9091', [['pushgateway', 'http://127.0.0.1:9091']], []],
    [
      'several, any separator, trailing slash dropped',
      'pushgateway+https://pg.example:9091/, otlp+http://otel:4318\notlp+https://o.example/prefix',
      [
        ['pushgateway', 'https://pg.example:9091'],
        ['otlp', 'http://otel:4318'],
        ['otlp', 'https://o.example/prefix'],
      ],
      [],
    ],
    ['nothing', '  ', [], []],
    ['unknown kinds are named', 'statsd://x:8125 otlp+ftp://x', [], ['statsd://x:8125', 'otlp+ftp://x']],
    [
      'credentials never reach a label',
      'otlp+https://user:hunter2@o.example',
      [['otlp', 'https://user:hunter2@o.example']],
      [],
    ],
  ])('%s', (_name, value, expected, invalid) => {
    const parsed = parseExportTargets(value)
    expect(parsed.targets.map((t) => [t.kind, t.url])).toEqual(expected)
    expect(parsed.invalid).toEqual(invalid)
    for (const t of parsed.targets) expect(t.label).not.toContain('hunter2')
  })
  test('one warning line for what was not understood', () => {
    expect(invalidTargetsWarning('export', ['x'])).toMatch(
      /^export: "x" is not an export target; use pushgateway\+/,
    )
    expect(invalidTargetsWarning('export', [])).toBeNull()
  })
  test('webhook: the label never shows the path, where Slack keeps its secret', () => {
    expect(parseWebhook('https://hooks.example/services/T0/B0/secretpart')).toEqual({
      url: 'https://hooks.example/services/T0/B0/secretpart',
      label: 'https://hooks.example/…',
    })
    expect(parseWebhook('')).toBeNull()
    expect(parseWebhook('not a url')).toBe('invalid')
    expect(parseWebhook('ftp://x/y')).toBe('invalid')
  })
})

describe('Prometheus', () => {
  test.each([
    [
      { job: 'acme/widgets', phase: 'lint', env: 'ci' },
      '/metrics/job@base64/YWNtZS93aWRnZXRz/phase/lint/env/ci',
    ],
    [
      { job: 'build-timings', phase: 'test (a, b)', env: 'ci' },
      '/metrics/job/build-timings/phase/test%20(a%2C%20b)/env/ci',
    ],
    [{ job: 'x', phase: 'a/b', env: '' }, '/metrics/job/x/phase@base64/YS9i/env@base64/='],
  ])('grouping path %#', (g, path) => {
    expect(pushgatewayPath(g)).toBe(path)
  })

  test('the grouping key is repository, phase, env', () => {
    expect(groupingOf(row())).toEqual({ job: 'acme/widgets', phase: 'test (ubuntu, 20)', env: 'ci' })
    expect(groupingOf(row({ repository: '' })).job).toBe('build-timings')
  })

  test('exposition: base units, state sets, unknown figures left out, labels escaped', () => {
    const text = prometheusText(row({ flags: 'x', ref: 'refs/heads/a"b\\c' }))
    expect(text).toContain(
      '# TYPE build_timings_duration_seconds gauge\nbuild_timings_duration_seconds{source="github",status="success"} 90\n',
    )
    expect(text).toContain('build_timings_budget_status{budget_status="over_target"} 1\n')
    expect(text).toContain('build_timings_budget_status{budget_status="ok"} 0\n')
    expect(text).toContain('build_timings_status{status="success"} 1\n')
    expect(text).toContain('build_timings_cpu_utilization_ratio 0.375\n')
    expect(text).toContain('build_timings_memory_peak_bytes 2147483648\n')
    expect(text).toContain('build_timings_disk_written_bytes 1572864\n')
    expect(text).toContain('build_timings_end_timestamp_seconds 1769249793\n')
    expect(text).toContain('ref="refs/heads/a\\"b\\\\c"')
    expect(text).not.toContain('build_timings_queue_seconds')
    expect(text).not.toContain('build_timings_disk_read_bytes')
    expect(text).not.toMatch(/\b(job|phase|env)="/)
    for (const line of text.trim().split('\n'))
      expect(line).toMatch(
        /^(# (HELP|TYPE) build_timings_[a-z_]+ .+|build_timings_[a-z_]+(\{.*\})? -?[\d.e+]+)$/,
      )
  })
})

describe('alerts', () => {
  test.each([
    ['a clean run', {}, []],
    ['over max', { row: row({ budget_status: 'over_max' }) }, ['over_max']],
    ['timeout', { row: row({ budget_status: 'timeout', status: 'cancelled' }) }, ['timeout']],
    ['regressed', { regression: { median: 40, change: 1.25, regressed: true, sample: 5 } }, ['regression']],
    ['cache under the alert level', { cache: { rate: 0.5, verdict: 'alert' as const } }, ['cache_hit_rate']],
    ['a flake', { flaky: true }, ['flake']],
  ])('%s', (_name, facts, reasons) => {
    expect(alertReasons({ row: row(), ...facts })).toEqual(reasons)
  })

  test('one message with every reason, a link to the run, no secret, no mention', () => {
    const msg = alertMessage(
      {
        row: row({ phase: '<!channel> deploy', budget_status: 'over_max', flags: 'x' }),
        flaky: true,
        cache: { rate: 0.5, verdict: 'alert' },
        hitRateAlert: 0.7,
        runUrl: 'https://github.com/acme/widgets/actions/runs/9001',
      },
      ['ghs_supersecret'],
    )
    expect(msg?.text).toContain('*&lt;!channel&gt; deploy*')
    expect(msg?.text).toContain('took 90s, over its max of 120s')
    expect(msg?.text).toContain('cache hit rate 50 % (1/2), under the alert level of 70 %')
    expect(msg?.text).toContain('flaky: it failed earlier on the same commit 0123456')
    expect(msg?.text).toMatch(/<https:\/\/github\.com\/acme\/widgets\/actions\/runs\/9001\|Open the run>$/)
    expect(alertMessage({ row: row() })).toBeNull()
    const leaky = alertMessage({ row: row({ budget_status: 'timeout', ref: 'ghs_supersecret' }) }, [
      'ghs_supersecret',
    ])
    expect(leaky?.text).not.toContain('supersecret')
    expect(slackText('a&b<c>')).toBe('a&amp;b&lt;c&gt;')
  })
})

describe('OpenTelemetry plan', () => {
  test('one root span for the job, completed steps as children, CI/CD semconv names', () => {
    const plan = tracePlan(
      row({ status: 'failure' }),
      'ab'.repeat(16),
      [
        {
          name: 'Set up job',
          status: 'completed',
          conclusion: 'success',
          number: 1,
          started_at: '2026-01-24T10:15:03Z',
          completed_at: '2026-01-24T10:15:05Z',
        },
        {
          name: 'Test',
          status: 'completed',
          conclusion: 'failure',
          number: 2,
          started_at: '2026-01-24T10:15:05Z',
          completed_at: '2026-01-24T10:16:30Z',
        },
        {
          name: 'Skipped',
          status: 'completed',
          conclusion: 'skipped',
          number: 3,
          started_at: '2026-01-24T10:16:31Z',
          completed_at: '2026-01-24T10:16:30Z',
        },
        {
          name: 'Post',
          status: 'in_progress',
          conclusion: null,
          number: 4,
          started_at: '2026-01-24T10:16:31Z',
          completed_at: null,
        },
      ],
      { pipelineName: 'CI', runUrl: 'https://x/runs/9001' },
    )
    expect(plan.root.name).toBe('RUN test (ubuntu, 20)')
    expect(plan.root.error).toBe(true)
    expect(plan.root.attributes).toMatchObject({
      'cicd.pipeline.name': 'CI',
      'cicd.pipeline.run.id': '9001',
      'cicd.pipeline.run.url.full': 'https://x/runs/9001',
      'cicd.pipeline.task.name': 'test (ubuntu, 20)',
      'cicd.pipeline.task.run.id': '555',
      'cicd.pipeline.task.run.result': 'failure',
      'vcs.ref.head.revision': '0123456789abcdef0123456789abcdef01234567',
      'vcs.repository.name': 'widgets',
      'vcs.owner.name': 'acme',
    })
    expect(plan.children.map((c) => [c.name, c.error, c.end.getTime() - c.start.getTime()])).toEqual([
      ['Set up job', false, 2000],
      ['Test', true, 85000],
      ['Skipped', false, 0],
    ])
  })
  test.each([
    ['success', 'none', 'success'],
    ['cancelled', 'none', 'cancellation'],
    ['skipped', 'none', 'skip'],
    ['unknown', 'none', 'error'],
    ['cancelled', 'timeout', 'timeout'],
  ] as const)('result of %s / %s is %s', (status, budget, result) => {
    expect(cicdResult(row({ status, budget_status: budget }))).toBe(result)
  })
  test('metrics: no per-run identities as attributes, unknown figures left out', () => {
    const metrics = metricPlan(row())
    expect(metrics.map((m) => [m.name, m.value])).toEqual([
      ['build_timings.task.duration', 90],
      ['build_timings.budget.target', 60],
      ['build_timings.budget.max', 120],
      ['build_timings.cache.hits', 1],
      ['build_timings.cache.lookups', 2],
      ['build_timings.cpu.utilization', 0.375],
      ['build_timings.memory.peak', 2048 * 1024 * 1024],
      ['build_timings.disk.io', 1.5 * 1024 * 1024],
    ])
    for (const m of metrics)
      expect(Object.keys(m.attributes).join(' ')).not.toMatch(/run\.id|row_id|revision/)
  })
})

describe('seenFlake', () => {
  const now = row({ status: 'success', sha: 'abc1234' })
  const past = (patch: Record<string, string>): Record<string, string> => ({
    repository: 'acme/widgets',
    sha: 'abc1234',
    phase: now.phase,
    env: 'ci',
    status: 'failure',
    row_id: 'earlier',
    ...patch,
  })
  test.each([
    ['a failure of the same sha, then this success', now, [past({})], true],
    ['a legacy row that failed by exit code', now, [past({ status: '', exit_code: '1' })], true],
    ['another sha', now, [past({ sha: 'def5678' })], false],
    ['another phase', now, [past({ phase: 'lint' })], false],
    ['another repository', now, [past({ repository: 'acme/other' })], false],
    ['the row itself', now, [past({ row_id: now.row_id })], false],
    ['this run failed', row({ status: 'failure', sha: 'abc1234' }), [past({})], false],
    ['no sha known', row({ sha: '' }), [past({ sha: '' })], false],
  ])('%s', (_name, r, rows, expected) => {
    expect(seenFlake(r, rows)).toBe(expected)
  })
})

describe('resources in the job summary', () => {
  test('a bar for the CPU, MB for the rest, nothing when unknown', () => {
    const text = resourcesSection(
      row({
        cpu_avg_percent: '37.5',
        mem_peak_mb: '2048',
        disk_read_mb: '',
        disk_write_mb: '1.5',
        net_rx_mb: '300',
        net_tx_mb: '0',
      }),
    )
    expect(text).toContain('#### Resources')
    expect(text).toContain('`████░░░░░░` 37.5 %')
    expect(text).toContain('2,048 MB')
    expect(text).toContain('– / 1.5 MB')
    expect(text).toContain('300 MB / 0 MB')
    expect(resourcesSection(row({ cpu_avg_percent: '', mem_peak_mb: '', disk_write_mb: '' }))).toBe('')
    expect([bar(0), bar(1), bar(2), bar(0.04)]).toEqual([
      '`░░░░░░░░░░`',
      '`██████████`',
      '`██████████`',
      '`░░░░░░░░░░`',
    ])
  })
})

describe('telemetryConfig', () => {
  test('targets and webhook together, each bad value one warning, never the webhook path', () => {
    const c = telemetryConfig(
      'pushgateway+http://pg:9091 nonsense',
      'https://hooks.example/services/T/B/SECRET',
      {
        export: 'export',
        webhook: 'alert-webhook',
      },
    )
    expect(c.targets).toHaveLength(1)
    expect(c.webhook?.label).toBe('https://hooks.example/…')
    expect(c.warnings).toEqual([expect.stringMatching(/^export: "nonsense" is not an export target/)])
    expect(hasTelemetry(c)).toBe(true)
    const bad = telemetryConfig('', 'hooks.example/x', { export: 'export', webhook: 'PLUGIN_ALERT_WEBHOOK' })
    expect(bad.warnings).toEqual([
      'PLUGIN_ALERT_WEBHOOK is not an http(s) URL; no alert will be sent: set it to the incoming-webhook URL.',
    ])
    expect(hasTelemetry(bad)).toBe(false)
  })
})
