import { parseBudgets } from '../../../src/core/budgets.js'
import { DashboardAccumulator } from '../../../src/core/insights/dashboard.js'
import { inlineScript, renderDashboard, scriptJson } from '../../../src/core/render/dashboard.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const day = (daysAgo: number, hour = 0): string =>
  new Date(NOW.getTime() - daysAgo * 86_400_000 + hour * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
const row = (phase: string, start: string, duration: number, status = 'success', extra = {}) => ({
  phase,
  env: 'ci',
  start_time_utc: start,
  duration_seconds: String(duration),
  status,
  ...extra,
})

describe('dashboard figures', () => {
  const budgets = parseBudgets('phases:\n  build: { target: 2m, max: 5m }\nflake-rate-target: 1%\n', 'b.yml')
  const acc = new DashboardAccumulator(NOW, budgets)
  const rows = [
    row('build', day(40), 100, 'failure'), // outside both windows
    row('build', day(20), 100, 'failure'), // 30 days only
    row('build', day(20, 1), 120),
    row('build', day(3), 60),
    row('build', day(3, 2), 80, 'success', { queue_seconds: '10' }),
    row('build', day(2), 70, 'failure', { queue_seconds: '30' }),
    row('test', day(1), 600, 'success', { cache_hits: '2', cache_lookups: '2', queue_seconds: '20' }),
    row('test', day(1, 1), 900, 'success', { cache_hits: '1', cache_lookups: '2' }),
  ]
  for (const r of rows) acc.add(r)
  const data = acc.result()

  test('success rate over 7 and 30 days, per phase and overall', () => {
    const build = data.phases.find((p) => p.phase === 'build')!
    expect(build.success7).toEqual({ runs: 3, successes: 2, rate: 2 / 3 })
    expect(build.success30).toEqual({ runs: 5, successes: 3, rate: 3 / 5 })
    expect(data.success7).toEqual({ runs: 5, successes: 4, rate: 4 / 5 })
    expect(data.success30).toEqual({ runs: 7, successes: 5, rate: 5 / 7 })
  })

  test('daily medians of successful runs, with the budget lines', () => {
    const build = data.phases.find((p) => p.phase === 'build')!
    expect(build.trend).toEqual([
      { day: day(20).slice(0, 10), p50: 120, runs: 1 },
      { day: day(3).slice(0, 10), p50: 70, runs: 2 },
    ])
    expect([build.target, build.max]).toEqual([120, 300])
    expect(data.phases.find((p) => p.phase === 'test')!.target).toBeNull()
  })

  test('Pareto: phases by total time (failures count: they cost time too), with cumulative share', () => {
    expect(data.pareto).toEqual([
      { phase: 'test', env: 'ci', totalSeconds: 1500, cumulative: 1500 / 2030 },
      { phase: 'build', env: 'ci', totalSeconds: 530, cumulative: 1 },
    ])
  })

  test('queue time per day; cache and flakes ride along', () => {
    expect(data.queue.map((q) => [q.day.length, q.p50])).toEqual([
      [10, 10],
      [10, 30],
      [10, 20],
    ])
    expect(data.cache.map((c) => [c.phase, c.warm.n, c.cold.n])).toEqual([['test', 1, 1]])
    expect(data.flakeRateTarget).toBe(0.01)
    expect(data.rows).toBe(8)
    expect([data.from, data.to]).toEqual([day(40), day(1, 1)])
  })
})

describe('dashboard page', () => {
  test('data and library cannot close their <script> early', () => {
    expect(scriptJson({ p: '</script><script>alert(1)</script>&\u2028' })).toBe(
      '{"p":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u0026\\u2028"}',
    )
    expect(inlineScript('a="</SCRIPT>"; b="<!--"')).toBe('a="<\\/SCRIPT>"; b="<\\!--"')
    const page = renderDashboard(
      new DashboardAccumulator(NOW, parseBudgets('', 'b.yml')).result(),
      'window.Chart = function () {}',
      'Timings <of> "us"',
    )
    expect(page).toContain('<title>Timings &lt;of&gt; &quot;us&quot;</title>')
    expect(page.match(/<script/g)).toHaveLength(3)
  })
})
