import { parseCacheHits, summariseCache, type CacheEntry, type CacheSummary } from '../../src/core/cache.js'

describe('parseCacheHits', () => {
  test.each<[string, CacheEntry[], string[]]>([
    ['node=true', [{ name: 'node', result: 'exact' }], []],
    ['node=false', [{ name: 'node', result: 'partial' }], []],
    ['node=', [{ name: 'node', result: 'miss' }], []],
    ['node=miss', [{ name: 'node', result: 'miss' }], []],
    ['node = TRUE ', [{ name: 'node', result: 'exact' }], []],
    [
      'npm=true\ngradle=false\npip=\n',
      [
        { name: 'npm', result: 'exact' },
        { name: 'gradle', result: 'partial' },
        { name: 'pip', result: 'miss' },
      ],
      [],
    ],
    [
      'npm=true\r\n\r\n# a comment\r\ngradle=',
      [
        { name: 'npm', result: 'exact' },
        { name: 'gradle', result: 'miss' },
      ],
      [],
    ],
    [
      'npm=true,gradle=false,pip=',
      [
        { name: 'npm', result: 'exact' },
        { name: 'gradle', result: 'partial' },
        { name: 'pip', result: 'miss' },
      ],
      [],
    ],
    ['', [], []],
    ['   \n\n', [], []],
    ['just-a-name', [], ['just-a-name']],
    ['=true', [], ['=true']],
    ['npm=yes', [], ['npm=yes']],
    ['npm=true\nbroken\nyarn=maybe', [{ name: 'npm', result: 'exact' }], ['broken', 'yarn=maybe']],
  ])('%j', (text, entries, invalid) => {
    expect(parseCacheHits(text)).toEqual({ entries, invalid })
  })
})

const e = (spec: string): CacheEntry[] =>
  [...spec].map((c, i) => ({ name: `c${i}`, result: c === 'E' ? 'exact' : c === 'P' ? 'partial' : 'miss' }))

describe('summariseCache', () => {
  const targets = { hitRateTarget: 0.85, hitRateAlert: 0.7 }
  test.each<
    [
      string,
      { hitRateTarget?: number; hitRateAlert?: number },
      number,
      number,
      number | null,
      CacheSummary['verdict'],
    ]
  >([
    ['', targets, 0, 0, null, 'none'],
    ['EEEE', {}, 4, 4, 1, 'none'],
    ['MMMM', {}, 0, 4, 0, 'none'],
    ['EEEE', targets, 4, 4, 1, 'met'],
    ['EPEP', targets, 4, 4, 1, 'met'],
    ['EEEEEEEEEEEEEEEEEMMM', targets, 17, 20, 0.85, 'met'],
    ['EEEEEEEEEEEEEEEEMMMM', targets, 16, 20, 0.8, 'not_met'],
    ['EEEEEEEMMM', targets, 7, 10, 0.7, 'not_met'],
    ['EEEEEEMMMM', targets, 6, 10, 0.6, 'alert'],
    ['MMMM', targets, 0, 4, 0, 'alert'],
    ['EEMM', { hitRateTarget: 0.5 }, 2, 4, 0.5, 'met'],
    ['EMMM', { hitRateTarget: 0.5 }, 1, 4, 0.25, 'not_met'],
    ['EMMM', { hitRateAlert: 0.5 }, 1, 4, 0.25, 'alert'],
    ['EEMM', { hitRateAlert: 0.5 }, 2, 4, 0.5, 'met'],
  ])('%s with %j → %d/%d', (spec, t, hits, lookups, rate, verdict) => {
    const summary = summariseCache(e(spec), t)
    expect(summary.hits).toBe(hits)
    expect(summary.lookups).toBe(lookups)
    if (rate === null) expect(summary.rate).toBeNull()
    else expect(summary.rate).toBeCloseTo(rate, 12)
    expect(summary.verdict).toBe(verdict)
    expect(summary.entries).toEqual(e(spec))
  })

  test('from the input text to the verdict', () => {
    const { entries } = parseCacheHits('npm=true\ngradle=false\npip=\n')
    expect(summariseCache(entries, { hitRateTarget: 0.85, hitRateAlert: 0.5 })).toEqual({
      entries,
      hits: 2,
      lookups: 3,
      rate: 2 / 3,
      verdict: 'not_met',
    })
  })
})
