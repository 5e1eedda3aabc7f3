import { summariseCache } from '../../../src/core/cache.js'
import { mermaidBlocks } from '../../../src/core/render/mermaid.js'
import { renderRowCsv, renderSummary } from '../../../src/core/render/summary.js'
import { rankSteps } from '../../../src/core/steps.js'
import type { Row } from '../../../src/core/schema.js'
import { runRows, summaryInput, T0 } from './samples.js'

describe('renderSummary', () => {
  it('renders the sample job (unit tests over max, ten steps) as the snapshot shows', () => {
    expect(renderSummary(summaryInput())).toMatchSnapshot()
  })

  it('shows the verdict, the budget excess, the regression and the cache verdict', () => {
    const text = renderSummary(summaryInput())
    expect(text.split('\n')[0]).toBe('### ⏱️ build-timings: unit-tests — 🔴 over max')
    expect(text).toContain('target 2m · max 3m · timeout 10m → **🔴 over max** (exceeds target by 60%)')
    expect(text).toContain(
      '+61% against the median 2m of 12 earlier successful runs · ⚠️ **regression** (alert above +50%)',
    )
    expect(text).toContain(
      '| **Cache** | 2/3 hit (67%) · target 85% · alert below 70% → 🔴 below alert level |',
    )
  })

  it('ranks the steps with share and cumulative share, longest first', () => {
    const text = renderSummary(summaryInput())
    const ranked = text.split('\n').filter((l) => /^\| \d+ \|/.test(l))
    expect(ranked).toEqual([
      '| 1 | Unit tests (failure) | 1m 24s | 43.8% | 43.8% |',
      '| 2 | Run npm ci | 42s | 21.9% | 65.6% |',
      '| 3 | Build | 23s | 12.0% | 77.6% |',
      '| 4 | Lint: eslint #strict | 18s | 9.4% | 87.0% |',
      '| 5 | Run actions/setup-node@\u2060v4 | 8s | 4.2% | 91.1% |',
      '| 6 | Restore npm cache | 6s | 3.1% | 94.3% |',
      '| 7 | Post Restore npm cache | 6s | 3.1% | 97.4% |',
      '| 8 | Run actions/checkout@\u2060v4 | 3s | 1.6% | 99.0% |',
      '| 9 | Set up job | 2s | 1.0% | 100.0% |',
      '| 10 | Upload coverage (skipped) | 0s | 0.0% | 100.0% |',
    ])
    expect(text).toContain('10 steps, 3m 12s in all; 2 steps still running or not started, not counted.')
  })

  it('draws a gantt in job order with names Mermaid can parse', () => {
    const [gantt] = mermaidBlocks(renderSummary(summaryInput()))
    const tasks = (gantt ?? '').split('\n').filter((l) => /^\s+\d+\./.test(l))
    expect(tasks).toEqual([
      '  1. Set up job :done, s1, 0, 2000',
      '  2. Run actions/checkout@v4 :done, s2, 2000, 5000',
      '  3. Run actions/setup-node@v4 :done, s3, 5000, 13000',
      '  4. Restore npm cache :done, s4, 13000, 19000',
      '  5. Run npm ci :done, s5, 19000, 61000',
      '  6. Lint#58; eslint #35;strict :done, s6, 61000, 79000',
      '  7. Unit tests :crit, s7, 79000, 163000',
      '  8. Build :done, s8, 163000, 186000',
      '  9. Upload coverage :milestone, s9, 186000, 186000',
      '  10. Post Restore npm cache :done, s10, 186000, 192000',
    ])
    expect(gantt).toContain('dateFormat x')
    expect(gantt).toContain('axisFormat %s')
  })

  it('says why steps are missing, and shows a registry problem', () => {
    const input = summaryInput()
    const text = renderSummary({
      ...input,
      steps: null,
      stepsNote: 'the token cannot read job 7: grant "actions: read"',
      result: { ...input.result, problem: 'the token cannot write | to it' },
    })
    expect(text).toContain('Steps unavailable: the token cannot read job 7: grant "actions: read"')
    expect(text).toContain('> [!WARNING]\n> the token cannot write \\| to it')
    expect(mermaidBlocks(text)).toEqual([])
  })

  it('handles a job with no budget, no caches and no earlier runs', () => {
    const input = summaryInput()
    const text = renderSummary({
      result: {
        ...input.result,
        budget: undefined,
        verdict: 'none',
        cache: summariseCache([], {}),
        regression: { median: null, change: null, regressed: false, sample: 0 },
      },
      steps: rankSteps([], T0),
    })
    expect(text).toContain('| **Budget** | ➖ no budget |')
    expect(text).toContain('| **Against the median** | no earlier successful runs to compare with |')
    expect(text).toContain('| **Cache** | ➖ no cache lookups reported |')
    expect(text).not.toContain('#### Caches')
    expect(text).toContain('No completed steps to show.')
  })
})

describe('renderRowCsv', () => {
  it('shows the row with the full header in a csv block', () => {
    expect(
      renderRowCsv([runRows()[1]! as Row], 'the token is read-only (pull request from a fork)'),
    ).toMatchSnapshot()
  })

  it('uses a fence longer than any backtick run in the cells', () => {
    const row = { ...runRows()[1]!, flags: 'echo ```oops```' } as Row
    const text = renderRowCsv([row], 'dry run')
    expect(text).toContain('\n````csv\n')
    expect(text.trimEnd().endsWith('\n````')).toBe(true)
  })
})
