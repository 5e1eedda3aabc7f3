import {
  aggregate,
  renderCsv,
  renderReport,
  renderJson,
  renderMarkdown,
  renderTable,
  ReportAggregator,
  rowDuration,
  rowStatus,
} from '../../src/core/report.js'

const row = (
  phase: string,
  env: string,
  start: string,
  duration: number,
  status = 'success',
  budget = 'none',
) => ({
  phase,
  env,
  start_time_utc: start,
  duration_seconds: String(duration),
  status,
  budget_status: budget,
})

// numpy.percentile(x, p, method='linear'), computed by hand for x = 10, 20, ..., 100.
const TENS = [50, 10, 100, 30, 20, 90, 40, 80, 70, 60]

describe('aggregate', () => {
  test('percentiles, max, success rate, last and trend of one group', () => {
    const rows = TENS.map((d, i) =>
      row(
        'deploy',
        'production',
        `2026-01-${String(i + 10)}T00:00:00Z`,
        d,
        i === 3 ? 'failure' : 'success',
        i % 2 ? 'ok' : 'over_max',
      ),
    )
    const [g] = aggregate(rows).groups
    expect(g).toMatchObject({
      phase: 'deploy',
      env: 'production',
      runs: 10,
      successes: 9,
      failures: 1,
      timed: 10,
    })
    expect(g?.p50).toBeCloseTo(55)
    expect(g?.p90).toBeCloseTo(91)
    expect(g?.p95).toBeCloseTo(95.5)
    expect(g?.max).toBe(100)
    expect(g?.successRate).toBeCloseTo(0.9)
    expect(g?.last).toEqual({ start: '2026-01-19T00:00:00Z', duration: 60, status: 'success' })
    expect(g?.trend).toBeCloseTo(60 / 55 - 1)
    expect(g?.budget).toEqual({ ok: 5, over_target: 0, over_max: 5, timeout: 0, none: 0 })
  })

  test('groups by phase and env, filters by env, phase and since', () => {
    const rows = [
      row('lint', 'ci', '2026-01-01T00:00:00Z', 5),
      row('lint', 'ci', '2026-02-01T00:00:00Z', 7),
      row('lint', 'staging', '2026-02-01T00:00:00Z', 9),
      row('test', 'ci', '2026-02-02T00:00:00Z', 11),
    ]
    expect(aggregate(rows).groups.map((g) => `${g.env}/${g.phase}/${g.runs}`)).toEqual([
      'ci/lint/2',
      'ci/test/1',
      'staging/lint/1',
    ])
    const since = aggregate(rows, { since: new Date('2026-01-15T00:00:00Z'), env: 'ci', phase: 'lint' })
    expect(since.groups).toHaveLength(1)
    expect(since.groups[0]?.runs).toBe(1)
    expect(since).toMatchObject({
      rowsRead: 4,
      rowsMatched: 1,
      filter: { env: 'ci', phase: 'lint', since: '2026-01-15T00:00:00Z' },
    })
  })

  test('legacy rows: status from the exit code, duration from the times', () => {
    expect(rowStatus({ exit_code: '0' })).toBe('success')
    expect(rowStatus({ exit_code: '2' })).toBe('failure')
    expect(rowStatus({})).toBe('unknown')
    expect(
      rowDuration({ start_time_utc: '2026-01-01T00:00:00Z', end_time_utc: '2026-01-01T00:01:30Z' }),
    ).toBe(90)
    expect(rowDuration({ duration_seconds: 'x' })).toBeNull()
  })

  test('rows are taken one at a time and not kept', () => {
    const agg = new ReportAggregator()
    for (let i = 0; i < 5000; i++) agg.add(row('p', 'e', '2026-01-01T00:00:00Z', i % 100))
    const r = agg.result()
    expect(r.groups[0]?.timed).toBe(5000)
    expect(r.groups[0]?.max).toBe(99)
  })
})

describe('renderers', () => {
  const report = aggregate([
    row('build', 'ci', '2026-01-01T00:00:00Z', 60, 'success', 'ok'),
    row('build', 'ci', '2026-01-02T00:00:00Z', 120, 'failure', 'over_target'),
  ])

  test('json keeps numbers as numbers', () => {
    const json = JSON.parse(renderJson(report))
    expect(json.groups[0]).toMatchObject({
      phase: 'build',
      env: 'ci',
      runs: 2,
      success_rate: 0.5,
      p50: 90,
      max: 120,
      trend: 0.3333,
    })
    expect(typeof json.groups[0].p95).toBe('number')
  })

  test('table, markdown and csv', () => {
    expect(renderTable(report)).toMatch(/^phase\s+env\s+runs\s+success\s+p50/)
    expect(renderTable(report)).toContain('1 ok, 1 over_target')
    const md = renderMarkdown(report).split('\n')
    expect(md[0]).toBe('| phase | env | runs | success | p50 | p90 | p95 | max | last | trend | budget |')
    expect(md[2]).toContain('| build | ci | 2 | 50% | 1m 30s |')
    expect(renderCsv(report).split('\n')[1]).toBe(
      'build,ci,2,1,0.5,90,114,117,120,2026-01-02T00:00:00Z,120,failure,0.3333,1,1,0,0,0',
    )
    expect(renderTable(aggregate([]))).toBe('No rows in the registry yet.\n')
  })

  test.each(['table', 'markdown', 'csv'] as const)(
    '%s never prints a terminal escape, a control or a secret stored in a phase',
    (format) => {
      const hostile = aggregate([
        row('\x1b]0;pwned\x07\x1b[2Jdeploy\x9b1m --password hunter2', 'ci', '2026-01-01T00:00:00Z', 1),
      ])
      const out = renderReport(hostile, format)
      // eslint-disable-next-line no-control-regex -- none may reach the terminal
      expect(out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/)
      expect(out).toContain('deploy')
      expect(out).not.toContain('hunter2')
    },
  )

  test('csv neutralises formula-looking phase names', () => {
    expect(renderCsv(aggregate([row('=cmd()', 'ci', '2026-01-01T00:00:00Z', 1)]))).toContain("'=cmd()")
  })
})
