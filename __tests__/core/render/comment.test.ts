import { NO_BUDGETS } from '../../../src/core/budgets.js'
import { COMMENT_LIMIT, commentMarker, phaseLines, renderComment } from '../../../src/core/render/comment.js'
import { mermaidBlocks } from '../../../src/core/render/mermaid.js'
import { BUDGETS, pastRows, row, RUN_ID, runRows } from './samples.js'

const sample = (): string =>
  renderComment({
    workflow: 'CI',
    rows: runRows(),
    history: [...pastRows(), ...runRows()],
    budgets: BUDGETS,
    runUrl: 'https://github.com/acme/widgets/actions/runs/2001',
  })
const tableRows = (text: string): string[] =>
  text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| phase'))

describe('commentMarker', () => {
  it.each([
    ['CI', '<!-- build-timings:CI -->'],
    ['Build & test', '<!-- build-timings:Build & test -->'],
    ['weird -- name -->', '<!-- build-timings:weird - name -› -->'],
    ['two\nlines', '<!-- build-timings:two lines -->'],
  ])('%j → %s', (workflow, marker) => {
    expect(commentMarker(workflow)).toBe(marker)
  })
})

describe('renderComment', () => {
  it('renders the sample run as the snapshot shows', () => {
    expect(sample()).toMatchSnapshot()
  })

  it('starts with the marker, then a headline of slowest phase, breaches and cache hit rate', () => {
    const lines = sample().split('\n')
    expect(lines[0]).toBe('<!-- build-timings:CI -->')
    expect(lines[4]).toBe(
      '**Slowest:** e2e-chrome (10m 55s) · **Budget breaches:** 2 of 6 (1 over max, 1 over target) · **Cache hit rate:** 78% (7/9) · **Slower than usual:** 2',
    )
  })

  it('lists every phase once, ordered by name, with verdict, cache hits and change against the median', () => {
    expect(tableRows(sample())).toEqual([
      '| build: docs #\u20601 | ✅ success | 1m 1s | 10m | 15m | ✅ ok | — | +1% vs 1m 1s |',
      '| e2e-chrome | ✅ success | 10m 55s | 8m | 12m | 🟡 over target | 1/2 | +61% vs 6m 48s ⚠️ |',
      '| e2e-firefox | ❌ failure | 7m 43s | 8m | 12m | ✅ ok | — | +1% vs 7m 39s |',
      '| lint | ✅ success | 43s | 1m | 2m | ✅ ok | 3/3 | +2% vs 42s |',
      '| typecheck \\| strict | ✅ success | 28s | 10m | 15m | ✅ ok | 1/1 | — |',
      '| unit-tests | ✅ success | 3m 12s | 2m | 3m | 🔴 over max | 2/3 | +61% vs 2m ⚠️ |',
    ])
  })

  it('charts the trend only for phases that breach or regress, with target and max lines', () => {
    const charts = mermaidBlocks(sample())
    expect(charts).toHaveLength(2)
    expect(charts[0]).toContain('title "e2e-chrome: last 9 runs"')
    expect(charts[0]).toContain('line [402, 415, 398, 420, 410, 405, 399, 412, 655]')
    expect(charts[0]).toContain('line [480, 480, 480, 480, 480, 480, 480, 480, 480]')
    expect(charts[0]).toContain('line [720, 720, 720, 720, 720, 720, 720, 720, 720]')
    expect(charts[1]).toContain('title "unit-tests: last 13 runs"')
  })

  it('is the same whatever order the rows arrive in', () => {
    const rows = runRows()
    const history = [...pastRows(), ...rows]
    const a = renderComment({ workflow: 'CI', rows, history, budgets: BUDGETS })
    const b = renderComment({ workflow: 'CI', rows: [...rows].reverse(), history, budgets: BUDGETS })
    expect(b).toBe(a)
  })

  it('compares with earlier runs only: not this run, not later runs, not failed runs', () => {
    const start = '2026-02-01T00:00:00Z'
    const rows = [row({ phase: 'p', runId: 5, start, duration: 100 })]
    const history = [
      row({ phase: 'p', runId: 1, start: '2026-01-01T00:00:00Z', duration: 50 }),
      row({ phase: 'p', runId: 2, start: '2026-01-02T00:00:00Z', duration: 999, status: 'failure' }),
      row({ phase: 'p', runId: 9, start: '2026-03-01T00:00:00Z', duration: 1 }),
      ...rows,
    ]
    const [line] = phaseLines({ rows, history, budgets: NO_BUDGETS })
    expect(line!.regression).toEqual({ median: 50, change: 1, regressed: true, sample: 1 })
    expect(line!.trend).toEqual([50, 999, 100])
    expect(line!.verdict).toBe('none')
  })

  it('judges legacy rows without a verdict against the budgets', () => {
    const legacy = {
      ...row({ phase: 'lint', runId: RUN_ID, start: '2026-01-24T10:00:00Z', duration: 130 }),
      budget_status: '',
      budget_target_seconds: '',
      budget_max_seconds: '',
    }
    const [line] = phaseLines({ rows: [legacy], history: [legacy], budgets: BUDGETS })
    expect([line!.verdict, line!.target, line!.max]).toEqual(['over_max', 60, 120])
  })

  it('stays under 65,000 characters: charts go first, then rows, each with a note', () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      row({
        phase: `shard ${String(i).padStart(3, '0')} ${'x'.repeat(120)}`,
        runId: RUN_ID,
        start: '2026-01-24T10:00:00Z',
        duration: 900 + i,
        budget: [600, 800, 'over_max'],
      }),
    )
    const text = renderComment({ workflow: 'CI', rows: many, history: many, budgets: BUDGETS })
    expect(Buffer.byteLength(text)).toBeLessThan(COMMENT_LIMIT)
    expect(Buffer.byteLength(text)).toBeGreaterThan(COMMENT_LIMIT - 1_000)
    expect(mermaidBlocks(text)).toEqual([])
    const shown = tableRows(text).length
    expect(shown).toBeLessThan(400)
    expect(text).toContain(
      `… ${400 - shown} more phases not shown: a comment holds at most 65,000 characters.`,
    )
    expect(text).toContain('… 400 trend charts left out to keep this comment short enough.')
    expect(text.startsWith('<!-- build-timings:CI -->\n')).toBe(true)
    expect(text).toContain('**Budget breaches:** 400 of 400 (400 over max)')
  })

  it('drops only as many charts as it must when the rows fit', () => {
    const rows = Array.from({ length: 90 }, (_, i) =>
      row({
        phase: `e2e-${String(i).padStart(2, '0')}`,
        runId: RUN_ID,
        start: '2026-01-24T10:00:00Z',
        duration: 900,
        budget: [480, 720, 'over_max'],
      }),
    )
    const history = [
      ...rows.flatMap((r) =>
        Array.from({ length: 19 }, (_, k) => ({
          ...r,
          run_id: String(k),
          row_id: `old/${k}/${r.phase}`,
          start_time_utc: `2025-12-${String(k + 1).padStart(2, '0')}T00:00:00Z`,
          duration_seconds: String(400 + k),
        })),
      ),
      ...rows,
    ]
    const full = renderComment({ workflow: 'CI', rows, history, budgets: BUDGETS, limit: 10_000_000 })
    const text = renderComment({ workflow: 'CI', rows, history, budgets: BUDGETS })
    expect(Buffer.byteLength(full)).toBeGreaterThan(COMMENT_LIMIT)
    expect(Buffer.byteLength(text)).toBeLessThan(COMMENT_LIMIT)
    expect(tableRows(text)).toHaveLength(90)
    const charts = mermaidBlocks(text).length
    expect(charts).toBeGreaterThan(0)
    expect(charts).toBeLessThan(90)
    expect(text).toContain(`… ${90 - charts} trend charts left out`)
  })
})
