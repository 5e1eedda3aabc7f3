import {
  MAX_BUDGETS_BYTES,
  budgetFor,
  budgetVerdict,
  BudgetsError,
  failsJob,
  NO_BUDGETS,
  parseBudgets,
  type Budget,
  type Budgets,
  type FailOn,
} from '../../src/core/budgets.js'
import type { BudgetStatus } from '../../src/core/schema.js'

const FILE = '.github/build-budgets.yml'
const SPEC_EXAMPLE = `defaults: { target: 10m, max: 15m }
phases:
  lint:       { target: 1m, max: 2m, timeout: 5m }
  unit-tests: { target: 2m, max: 3m, timeout: 10m }
  "e2e-*":    { target: 8m, max: 12m, timeout: 30m }
cache:
  hit-rate-target: 85%     # shown as met / not met
  hit-rate-alert: 70%      # below this: alert
regression:
  window: 20               # compare with the median of the last N successful runs of the same phase and env
  threshold: 50%           # alert when duration > median × 1.5
`

describe('parseBudgets', () => {
  test('parses the SPEC §3 example exactly', () => {
    expect(parseBudgets(SPEC_EXAMPLE, FILE)).toEqual({
      defaults: { target: 600, max: 900 },
      phases: [
        { pattern: 'lint', budget: { target: 60, max: 120, timeout: 300 } },
        { pattern: 'unit-tests', budget: { target: 120, max: 180, timeout: 600 } },
        { pattern: 'e2e-*', budget: { target: 480, max: 720, timeout: 1800 } },
      ],
      cache: { hitRateTarget: 0.85, hitRateAlert: 0.7 },
      regression: { window: 20, threshold: 0.5 },
    })
  })

  test.each([[''], ['# only a comment\n'], ['\n']])('an empty file %j means no budgets', (text) => {
    expect(parseBudgets(text, FILE)).toEqual(NO_BUDGETS)
  })

  test('regression defaults apply when the section is missing', () => {
    expect(parseBudgets('phases:\n  lint: { target: 90 }\n', FILE)).toEqual({
      phases: [{ pattern: 'lint', budget: { target: 90 } }],
      cache: {},
      regression: { window: 20, threshold: 0.5 },
    })
  })

  const malformed: [string, string, number, number, RegExp][] = [
    ['bad YAML: unclosed flow map', 'phases:\n  lint: { target: 1m\n', 3, 1, /./],
    ['bad YAML: tab indentation', 'phases:\n\tlint: { target: 1m }\n', 2, 1, /./],
    ['bad YAML: duplicate key', 'phases:\n  lint: { target: 1m }\n  lint: { target: 2m }\n', 3, 3, /./],
    ['bad duration in a phase', 'phases:\n  lint: { target: 1m }\n  build: { target: 1x }\n', 3, 20, /1x/],
    ['bad duration in defaults', 'defaults:\n  target: 10m\n  max: soon\n', 3, 8, /defaults\.max "soon"/],
    ['negative duration', 'phases:\n  lint:\n    timeout: -5\n', 3, 14, /timeout/],
    [
      'unknown key in a phase',
      'phases:\n  lint: { target: 1m, maximum: 2m }\n',
      2,
      23,
      /unknown key "maximum"/,
    ],
    [
      'unknown top-level key',
      'defaults: { target: 1m }\nphase:\n  lint: { target: 1m }\n',
      2,
      1,
      /unknown key "phase"/,
    ],
    ['unknown cache key', 'cache:\n  hit-rate: 85%\n', 2, 3, /unknown key "hit-rate"/],
    ['bad percentage', 'cache:\n  hit-rate-target: lots\n', 2, 20, /hit-rate-target "lots"/],
    ['percentage over 100', 'cache:\n  hit-rate-alert: 170%\n', 2, 19, /hit-rate-alert/],
    ['bad window', 'regression:\n  window: 2.5\n', 2, 11, /window/],
    ['phase not a mapping', 'phases:\n  lint: 1m\n', 2, 9, /must be a mapping/],
    ['phases not a mapping', 'phases: [lint]\n', 1, 9, /phases must be a mapping/],
    ['root not a mapping', '- lint\n', 1, 1, /mapping/],
    [
      'phase without a value',
      'phases:\n  lint:\n  build: { target: 1m }\n',
      2,
      8,
      /phases\."lint" must be a mapping/,
    ],
    ['empty duration', 'phases:\n  lint:\n    target:\n', 3, 12, /target "null" is not a duration/],
  ]
  test.each(malformed.map(([name, text, line, col, detail]) => [name, line, col, text, detail] as const))(
    '%s → BudgetsError at line %i, col %i',
    (_name, line, col, text, detail) => {
      let error: unknown
      try {
        parseBudgets(text, FILE)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(BudgetsError)
      const e = error as BudgetsError
      expect({ line: e.line, col: e.col }).toEqual({ line, col })
      expect(e.file).toBe(FILE)
      expect(e.message.startsWith(`${FILE}:${line}:${col}: `)).toBe(true)
      expect(e.message).toMatch(detail)
    },
  )
})

describe('parseBudgets: size and cost', () => {
  const entries = (n: number): string =>
    'phases:\n' + Array.from({ length: n }, (_, i) => `  "phase-${i}-*": { target: 1m, max: 2m }\n`).join('')

  test('a file over the limit is one BudgetsError at line 1 that says what to do', () => {
    const text = entries(8000)
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAX_BUDGETS_BYTES)
    expect(() => parseBudgets(text, 'b.yml')).toThrow(BudgetsError)
    expect(() => parseBudgets(text, 'b.yml')).toThrow(/^b\.yml:1:1: \d+ KiB is over the 256 KiB limit.*globs/)
  })

  test('a file just under the limit parses, every entry kept', () => {
    const text = entries(5500)
    expect(Buffer.byteLength(text)).toBeLessThan(MAX_BUDGETS_BYTES)
    expect(parseBudgets(text, 'b.yml').phases).toHaveLength(5500)
  })

  test.each([
    ['phases', 'phases:\n  lint: { target: 1m }\n  e2e: {}\n  lint: { target: 2m }\n', 4, 3],
    ['the root', 'defaults: { target: 1m }\ndefaults: { target: 2m }\n', 2, 1],
    ['a budget', 'phases:\n  lint: { target: 1m, target: 2m }\n', 2, 23],
  ])('a key twice in %s names its second line and column', (_where, text, line, col) => {
    try {
      parseBudgets(text, 'b.yml')
      throw new Error('no error')
    } catch (e) {
      expect(e).toBeInstanceOf(BudgetsError)
      expect(e).toMatchObject({ line, col })
      expect((e as Error).message).toMatch(/appears twice/)
    }
  })
})

describe('budgetFor', () => {
  const budgets: Budgets = {
    defaults: { target: 600, max: 900 },
    phases: [
      { pattern: '*', budget: { target: 1 } },
      { pattern: 'e2e-*', budget: { target: 480, max: 720, timeout: 1800 } },
      { pattern: 'e2e-api-*', budget: { target: 300 } },
      { pattern: 'e2e-api-smoke', budget: { max: 100 } },
      { pattern: 'lint', budget: { target: 60, max: 120, timeout: 300 } },
      { pattern: 'test (*)', budget: { timeout: 50 } },
    ],
    cache: {},
    regression: { window: 20, threshold: 0.5 },
  }

  test.each<[string, Budget]>([
    ['lint', { target: 60, max: 120, timeout: 300 }],
    ['e2e-api-smoke', { target: 600, max: 100 }],
    ['e2e-api-orders', { target: 300, max: 900 }],
    ['e2e-web', { target: 480, max: 720, timeout: 1800 }],
    ['build', { target: 1, max: 900 }],
    ['CI / build', { target: 1, max: 900 }],
    ['test (ubuntu, 20)', { target: 600, max: 900, timeout: 50 }],
  ])('%s → %j', (phase, expected) => {
    expect(budgetFor(budgets, phase)).toEqual(expected)
  })

  test('an exact name beats a more specific-looking glob listed first', () => {
    const b: Budgets = {
      phases: [
        { pattern: 'e2e-api-*', budget: { target: 1 } },
        { pattern: 'e2e-api-x', budget: { target: 2 } },
      ],
      cache: {},
      regression: { window: 20, threshold: 0.5 },
    }
    expect(budgetFor(b, 'e2e-api-x')).toEqual({ target: 2 })
  })

  test.each([
    [['*', 'e2e-*', 'e2e-api-*'], 'e2e-api-*'],
    [['e2e-api-*', 'e2e-*', '*'], 'e2e-api-*'],
    [['e2e-*', '*'], 'e2e-*'],
  ])('most specific glob wins regardless of order %j', (patterns, winner) => {
    const b: Budgets = {
      phases: patterns.map((pattern, i) => ({ pattern, budget: { target: i + 1 } })),
      cache: {},
      regression: { window: 20, threshold: 0.5 },
    }
    expect(budgetFor(b, 'e2e-api-orders')).toEqual({ target: patterns.indexOf(winner) + 1 })
  })

  test('no match and no defaults → undefined; defaults only → a copy of the defaults', () => {
    expect(budgetFor(NO_BUDGETS, 'lint')).toBeUndefined()
    const b: Budgets = {
      defaults: { target: 10 },
      phases: [{ pattern: 'x', budget: { max: 1 } }],
      cache: {},
      regression: { window: 20, threshold: 0.5 },
    }
    const got = budgetFor(b, 'lint')
    expect(got).toEqual({ target: 10 })
    got!.target = 99
    expect(b.defaults).toEqual({ target: 10 })
  })

  test('from the SPEC example: defaults merge field by field', () => {
    const b = parseBudgets(SPEC_EXAMPLE, FILE)
    expect(budgetFor(b, 'lint')).toEqual({ target: 60, max: 120, timeout: 300 })
    expect(budgetFor(b, 'e2e-checkout')).toEqual({ target: 480, max: 720, timeout: 1800 })
    expect(budgetFor(b, 'package')).toEqual({ target: 600, max: 900 })
  })
})

describe('budgetVerdict', () => {
  const full: Budget = { target: 60, max: 120, timeout: 300 }
  test.each<[number, Budget | undefined, BudgetStatus]>([
    [0, full, 'ok'],
    [59, full, 'ok'],
    [60, full, 'ok'],
    [61, full, 'over_target'],
    [120, full, 'over_target'],
    [121, full, 'over_max'],
    [299, full, 'over_max'],
    [300, full, 'timeout'],
    [301, full, 'timeout'],
    [1000, { target: 60 }, 'over_target'],
    [60, { target: 60 }, 'ok'],
    [121, { max: 120 }, 'over_max'],
    [120, { max: 120 }, 'ok'],
    [10, { timeout: 10 }, 'timeout'],
    [9, { timeout: 10 }, 'ok'],
    [50, undefined, 'none'],
    [50, {}, 'none'],
  ])('%d s against %j → %s', (seconds, budget, verdict) => {
    expect(budgetVerdict(seconds, budget)).toBe(verdict)
  })
})

describe('failsJob', () => {
  test.each<[BudgetStatus, FailOn, boolean]>([
    ['ok', 'never', false],
    ['over_target', 'never', false],
    ['over_max', 'never', false],
    ['timeout', 'never', false],
    ['none', 'never', false],
    ['ok', 'over-max', false],
    ['over_target', 'over-max', false],
    ['over_max', 'over-max', true],
    ['timeout', 'over-max', true],
    ['none', 'over-max', false],
    ['ok', 'timeout', false],
    ['over_target', 'timeout', false],
    ['over_max', 'timeout', false],
    ['timeout', 'timeout', true],
    ['none', 'timeout', false],
  ])('%s with fail-on %s → %s', (verdict, failOn, fails) => {
    expect(failsJob(verdict, failOn)).toBe(fails)
  })
})
