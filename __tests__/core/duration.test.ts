import { parseDuration, parsePercent } from '../../src/core/duration.js'

describe('parseDuration', () => {
  test.each<[unknown, number]>([
    ['90', 90],
    ['90s', 90],
    ['1m30s', 90],
    ['2m', 120],
    ['1h', 3600],
    ['1h30m', 5400],
    ['1h0m5s', 3605],
    ['0', 0],
    ['0s', 0],
    [' 5m ', 300],
    ['10M', 600],
    [90, 90],
    [0, 0],
  ])('%j → %d seconds', (value, seconds) => {
    expect(parseDuration(value)).toBe(seconds)
  })

  test.each<[unknown]>([
    ['abc'],
    ['1x'],
    [''],
    ['   '],
    ['-5'],
    [-5],
    ['5 minutes'],
    ['m'],
    ['s'],
    ['1h30'],
    ['30s1m'],
    ['1d'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [undefined],
    [true],
  ])('rejects %j', (value) => {
    expect(parseDuration(value)).toBeNull()
  })
})

describe('parsePercent', () => {
  test.each<[unknown, number]>([
    ['85%', 0.85],
    ['70 %', 0.7],
    ['85', 0.85],
    ['0.85', 0.85],
    [85, 0.85],
    [0.5, 0.5],
    ['150%', 1.5],
    ['0%', 0],
  ])('%j → %d', (value, rate) => {
    expect(parsePercent(value)).toBeCloseTo(rate, 12)
  })

  test.each<[unknown]>([['abc'], ['-5%'], [''], ['85%%'], [null]])('rejects %j', (value) => {
    expect(parsePercent(value)).toBeNull()
  })
})
