import { parseBudgets } from '../../../src/core/budgets.js'
import { cacheState, coldWarm } from '../../../src/core/insights/cache.js'
import { compare, compareSamples } from '../../../src/core/insights/compare.js'
import { findFlakes, flakeTargetMet } from '../../../src/core/insights/flakes.js'
import { erfc, mannWhitneyU } from '../../../src/core/insights/mann-whitney.js'
import { chooser, parseComparison, parseRowSet, SelectorError } from '../../../src/core/insights/select.js'
import { NOW, plantedRegistry, rng } from './registry.js'

describe('Mann-Whitney U (two-sided), against scipy.stats.mannwhitneyu 1.17', () => {
  test.each([
    // [a, b, U, p, method]
    [[12, 15, 11, 19, 14, 17], [21, 18, 25, 16, 23, 22, 20], 3, 0.008158508158508158, 'exact'],
    [[1, 2, 3], [4, 5, 6], 0, 0.1, 'exact'],
    [
      [1, 2, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11],
      [3, 4, 5, 5, 6, 7, 7, 8, 9, 12, 13, 13, 14, 15, 15, 16],
      59.5,
      0.017409235379041824,
      'normal',
    ],
    [
      Array.from({ length: 40 }, (_, i) => i + 1),
      Array.from({ length: 40 }, (_, i) => i + 21),
      200,
      7.95695256282532e-9,
      'normal',
    ],
  ])('U and p of case %#', (a, b, u, p, method) => {
    const r = mannWhitneyU(a as number[], b as number[])
    expect(r.u).toBe(u)
    expect(r.method).toBe(method)
    expect(r.p).toBeGreaterThan((p as number) * 0.999)
    expect(r.p).toBeLessThan((p as number) * 1.001)
  })

  test('identical samples are p = 1; an empty side is no evidence', () => {
    expect(mannWhitneyU([5, 5, 5], [5, 5, 5]).p).toBe(1)
    expect(mannWhitneyU([], [1, 2]).p).toBe(1)
  })

  test('erfc matches known values', () => {
    expect(erfc(0)).toBeCloseTo(1, 6)
    expect(erfc(1)).toBeCloseTo(0.157299207, 6)
    expect(erfc(-1)).toBeCloseTo(1.842700793, 6)
  })
})

describe('on a generated registry with planted facts', () => {
  const planted = plantedRegistry()

  test('finds exactly the planted flakes, and the rate per phase', () => {
    const groups = findFlakes(planted.rows)
    const found = groups.flatMap((g) => g.flaky.map((f) => `${g.phase} ${f.sha}`))
    expect(found.sort()).toEqual([...planted.flakes].sort())
    const lint = groups.find((g) => g.phase === 'lint' && g.env === 'ci')
    expect(lint?.shas).toBe(planted.shas.lint)
    expect(lint?.rate).toBeCloseTo(6 / 206, 12)
    const twice = lint?.flaky.find((f) => f.failures === 2)
    expect((twice?.passedAt ?? '') > (twice?.failedAt ?? '')).toBe(true)
    expect(groups.filter((g) => g.phase !== 'lint').every((g) => g.flaky.length === 0)).toBe(true)
  })

  test('the flake-rate-target from the budgets file is met or not', () => {
    const budgets = parseBudgets('flake-rate-target: 0.1%\n', 'b.yml')
    expect(budgets.flakeRateTarget).toBeCloseTo(0.001, 12)
    expect(flakeTargetMet(6 / 206, budgets.flakeRateTarget)).toBe(false)
    expect(flakeTargetMet(0, budgets.flakeRateTarget)).toBe(true)
    expect(flakeTargetMet(0.001, budgets.flakeRateTarget)).toBe(true)
    expect(flakeTargetMet(0.5, undefined)).toBeNull()
    expect(() => parseBudgets('flake-rate-target: often\n', 'b.yml')).toThrow(
      /b.yml:1:20: flake-rate-target "often"/,
    )
  })

  test('cold and warm medians, IQR and the time the caches save', () => {
    const build = coldWarm(planted.rows).find((g) => g.phase === 'build')
    expect(build?.warm).toEqual({ n: 41, median: 60, q1: 50, q3: 70, iqr: 20 })
    expect(build?.cold).toEqual({ n: 21, median: 180, q1: 175, q3: 185, iqr: 10 })
    expect(build?.unknown).toBe(5)
    expect(build?.savedPerRun).toBe(120)
    expect(build?.savedTotal).toBe(120 * 41)
    expect(build?.hitRate).toBeGreaterThan(0.5)
    expect(build?.hitRate).toBeLessThan(1)
  })

  test.each([
    [{ cache_hits: '3', cache_lookups: '3' }, 'warm'],
    [{ cache_hits: '2', cache_lookups: '3' }, 'cold'],
    [{ cache_hits: '0', cache_lookups: '1' }, 'cold'],
    [{ cache_hits: '0', cache_lookups: '0' }, null],
    [{ cache_hits: '', cache_lookups: '' }, null],
    [{}, null],
  ])('cache state of %j is %s', (row, state) => {
    expect(cacheState(row)).toBe(state)
  })

  test('calls the planted 20 % speed-up significant and the unchanged phase not', () => {
    const [a, b] = parseComparison('period:14d..7d,period:7d..', NOW)
    const groups = compare(planted.rows, chooser(a, b))
    const test_ = groups.find((g) => g.phase === 'test')
    expect(test_?.verdict).toBe('faster')
    expect(test_?.p).toBeLessThan(0.001)
    expect(test_?.change).toBeGreaterThan(-0.3)
    expect(test_?.change).toBeLessThan(-0.1)
    expect(test_?.a.n).toBe(30)
    const deploy = groups.find((g) => g.phase === 'deploy')
    expect(deploy?.verdict).toBe('no detectable change')
    expect(deploy?.p).toBeGreaterThan(0.05)
    // Phases run in neither period are left out; those in one only are said to be.
    expect(groups.find((g) => g.phase === 'build')?.verdict ?? 'not run in both').toBe('not run in both')
  })

  test('the unchanged comparison stays unchanged over many seeds (false alarms near 5 %, not more)', () => {
    let alarms = 0
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed)
      const draw = (): number[] => Array.from({ length: 20 }, () => Math.round(100 * (0.8 + 0.4 * rand())))
      if (compareSamples('p', 'ci', draw(), draw()).verdict !== 'no detectable change') alarms++
    }
    expect(alarms).toBeLessThanOrEqual(20)
    let hits = 0
    for (let seed = 1; seed <= 50; seed++) {
      const rand = rng(seed)
      const a = Array.from({ length: 20 }, () => Math.round(100 * (0.8 + 0.4 * rand())))
      const b = Array.from({ length: 20 }, () => Math.round(80 * (0.8 + 0.4 * rand())))
      if (compareSamples('p', 'ci', a, b).verdict === 'faster') hits++
    }
    expect(hits).toBeGreaterThanOrEqual(45)
  })
})

describe('sets to compare', () => {
  test.each([
    ['period:14d..7d', { kind: 'period', from: NOW.getTime() - 14 * 864e5, to: NOW.getTime() - 7 * 864e5 }],
    [
      '2026-01-01..2026-02-01',
      { kind: 'period', from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-02-01T00:00:00Z') },
    ],
    ['ref:refs/heads/main', { kind: 'ref', ref: 'main' }],
    ['feature/x', { kind: 'ref', ref: 'feature/x' }],
    ['flags:cache=on', { kind: 'flags', flag: 'cache=on' }],
  ])('%s', (text, expected) => {
    expect(parseRowSet(text, NOW)).toMatchObject(expected)
  })

  test.each(['period:7d..14d', 'period:soon..', 'ref:', 'a,b,c', 'main'])(
    '%s is refused with the fix',
    (text) => {
      expect(() =>
        text.includes(',') || text === 'main' ? parseComparison(text, NOW) : parseRowSet(text, NOW),
      ).toThrow(SelectorError)
    },
  )

  test('flags match whole words; a row in both sets counts in A', () => {
    const [a, b] = parseComparison('flags:cache=on,flags:cache=off', NOW)
    const choose = chooser(a, b)
    expect(choose({ flags: 'fast cache=on' })).toBe('a')
    expect(choose({ flags: 'cache=off;x' })).toBe('b')
    expect(choose({ flags: 'cache=onion' })).toBeNull()
    const [r1, r2] = parseComparison('ref:main,period:30d..', NOW)
    expect(chooser(r1, r2)({ ref: 'refs/heads/main', start_time_utc: '2026-02-27T00:00:00Z' })).toBe('a')
  })
})
