import { median, percentile, regression } from '../../src/core/stats.js'

describe('percentile (R-7)', () => {
  // Hand-computed: h = (n − 1)·p, x[floor h] + (h − floor h)·(x[ceil h] − x[floor h]).
  test.each<[number[], number, number | null]>([
    [[], 0.5, null],
    [[7], 0, 7],
    [[7], 0.5, 7],
    [[7], 1, 7],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 1, 4],
    [[1, 2, 3, 4], 0.5, 2.5], // h = 1.5
    [[1, 2, 3, 4], 0.9, 3.7], // h = 2.7
    [[1, 2, 3, 4], 0.95, 3.85], // h = 2.85
    [[1, 2, 3, 4], 0.25, 1.75], // h = 0.75
    [[10, 20, 30, 40, 50], 0.5, 30], // h = 2
    [[10, 20, 30, 40, 50], 0.9, 46], // h = 3.6
    [[10, 20, 30, 40, 50], 0.95, 48], // h = 3.8
    [[15, 20, 35, 40, 50], 0.4, 29], // h = 1.6: 20 + 0.6·15 (numpy: 29.0)
    [[60, 90, 120, 600], 0.9, 456], // h = 2.7: 120 + 0.7·480
    [[1, 3, 3, 6, 7, 8, 9], 0.5, 6],
    [[3, 3], 0.7, 3],
  ])('%j at %d → %d', (sorted, p, expected) => {
    const got = percentile(sorted, p)
    if (expected === null) expect(got).toBeNull()
    else expect(got).toBeCloseTo(expected, 9)
  })
})

describe('median', () => {
  test.each<[number[], number | null]>([
    [[], null],
    [[5], 5],
    [[9, 1], 5],
    [[3, 1, 2], 2],
    [[40, 10, 30, 20], 25],
    [[100, 1, 50, 2, 3], 3],
  ])('%j → %d', (values, expected) => {
    expect(median(values)).toBe(expected)
  })

  test('does not reorder its input', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })
})

const ok = (...durations: number[]) => durations.map((duration) => ({ duration, success: true }))

describe('regression', () => {
  test.each<
    [
      string,
      number,
      { duration: number; success: boolean }[],
      { window: number; threshold: number },
      number | null,
      number | null,
      boolean,
      number,
    ]
  >([
    ['no history', 100, [], { window: 20, threshold: 0.5 }, null, null, false, 0],
    [
      'exactly median × 1.5 is not a regression',
      150,
      ok(100, 100, 100),
      { window: 20, threshold: 0.5 },
      100,
      0.5,
      false,
      3,
    ],
    ['just over median × 1.5 is', 151, ok(100, 100, 100), { window: 20, threshold: 0.5 }, 100, 0.51, true, 3],
    ['faster than usual', 50, ok(90, 100, 110), { window: 20, threshold: 0.5 }, 100, -0.5, false, 3],
    [
      'failed runs are ignored',
      150,
      [
        ...ok(100, 100),
        { duration: 10, success: false },
        { duration: 10, success: false },
        { duration: 10, success: false },
      ],
      { window: 20, threshold: 0.5 },
      100,
      0.5,
      false,
      2,
    ],
    [
      'only the last N successful runs count',
      150,
      ok(10, 10, 10, 100, 100),
      { window: 2, threshold: 0.5 },
      100,
      0.5,
      false,
      2,
    ],
    [
      'window counts successful runs, not all runs',
      200,
      [...ok(100, 100), { duration: 1, success: false }, ...ok(100)],
      { window: 3, threshold: 0.5 },
      100,
      1,
      true,
      3,
    ],
    [
      'a longer window reaches the old fast runs',
      150,
      ok(10, 10, 10, 100, 100),
      { window: 5, threshold: 0.5 },
      10,
      14,
      true,
      5,
    ],
    [
      'even sample uses the mean of the middle two',
      130,
      ok(80, 120, 100, 90),
      { window: 20, threshold: 0.5 },
      95,
      130 / 95 - 1,
      false,
      4,
    ],
    [
      'threshold 10 %: exactly median × 1.1 is not a regression',
      11,
      ok(10, 10, 10),
      { window: 20, threshold: 0.1 },
      10,
      0.1,
      false,
      3,
    ],
    [
      'threshold 20 %: exactly median × 1.2 is not a regression',
      36,
      ok(30),
      { window: 20, threshold: 0.2 },
      30,
      0.2,
      false,
      1,
    ],
    [
      'threshold 10 %: just above is',
      11.01,
      ok(10, 10, 10),
      { window: 20, threshold: 0.1 },
      10,
      0.101,
      true,
      3,
    ],
    ['zero median gives no change', 10, ok(0, 0, 0), { window: 20, threshold: 0.5 }, 0, null, false, 3],
  ])('%s', (_name, duration, history, opts, med, change, regressed, sample) => {
    const r = regression(duration, history, opts)
    expect(r.median).toBe(med)
    if (change === null) expect(r.change).toBeNull()
    else expect(r.change).toBeCloseTo(change, 9)
    expect(r.regressed).toBe(regressed)
    expect(r.sample).toBe(sample)
  })
})
