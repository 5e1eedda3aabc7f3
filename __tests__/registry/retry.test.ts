import {
  backoffMs,
  ConflictRetriesExhausted,
  DEFAULT_RETRY,
  type RetryPolicy,
} from '../../src/registry/retry.js'

const policy: RetryPolicy = { maxAttempts: 30, maxTotalMs: 180_000, baseMs: 250, capMs: 6_000 }
const fixed = (r: number) => () => r

describe('backoffMs', () => {
  // ceiling = min(cap, base · 2^attempt); wait = ceiling · (0.25 + 0.75 · random)
  test.each<[number, number, number]>([
    [1, 0, 125],
    [1, 0.5, 313], // 500 · 0.625 = 312.5
    [1, 1, 500],
    [2, 0, 250],
    [2, 1, 1000],
    [3, 1, 2000],
    [4, 1, 4000],
    [5, 1, 6000], // 8000 capped
    [5, 0, 1500],
    [6, 1, 6000],
    [16, 1, 6000],
    [1000, 1, 6000],
    [1000, 0, 1500],
  ])('attempt %d, random %d → %d ms', (attempt, random, ms) => {
    expect(backoffMs(policy, attempt, fixed(random))).toBe(ms)
  })

  test.each([[0], [0.1], [0.5], [0.9], [0.999999]])(
    'bounded by the cap for every attempt (random %d)',
    (random) => {
      for (let attempt = 1; attempt <= 60; attempt++) {
        const ms = backoffMs(DEFAULT_RETRY, attempt, fixed(random))
        expect(ms).toBeGreaterThan(0)
        expect(ms).toBeLessThanOrEqual(DEFAULT_RETRY.capMs)
        expect(Number.isFinite(ms)).toBe(true)
      }
    },
  )

  test.each([[0], [0.5], [1]])('grows with the attempt until the cap (random %d)', (random) => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffMs(policy, a, fixed(random)))
    for (let i = 1; i < waits.length; i++) {
      const [prev, cur] = [waits[i - 1]!, waits[i]!]
      expect(cur).toBeGreaterThanOrEqual(prev)
      if (prev < policy.capMs * (0.25 + 0.75 * random) - 1) expect(cur).toBeGreaterThan(prev)
    }
    expect(waits[0]).toBeLessThan(waits[4]!)
  })

  test('a cap below the base still bounds the wait', () => {
    expect(backoffMs({ ...policy, baseMs: 10_000, capMs: 2_000 }, 1, fixed(1))).toBe(2_000)
  })
})

describe('ConflictRetriesExhausted', () => {
  test('says how many attempts and how long', () => {
    const e = new ConflictRetriesExhausted(7, 12_400)
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('ConflictRetriesExhausted')
    expect(e.message).toBe('the registry branch kept moving: gave up after 7 attempts in 12s')
  })
})
