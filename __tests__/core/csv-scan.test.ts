import { parse } from 'csv-parse/sync'
import { CsvScanner } from '../../src/core/csv-scan.js'
import { RegistryParseError } from '../../src/core/errors.js'

/** What the store's csv-parse reader yields: every row as an object, empty lines skipped. */
function reference(bytes: Buffer, env?: string, columns?: string[]): Record<string, string>[] {
  const [header, ...rows] = parse(bytes, { bom: true, skip_empty_lines: true }) as string[][]
  return rows
    .filter((r) => env === undefined || r[header!.indexOf('env')] === env)
    .map((r) =>
      Object.fromEntries(
        header!.flatMap((h, i) => (columns && !columns.includes(h) ? [] : [[h, r[i] as string]])),
      ),
    )
}

function scan(bytes: Buffer, cuts: number[], env?: string, columns?: string[]): Record<string, string>[] {
  const s = new CsvScanner({
    location: 'file:t.csv',
    ...(env ? { env } : {}),
    ...(columns ? { columns } : {}),
  })
  const out: Record<string, string>[] = []
  let at = 0
  for (const cut of [...cuts, bytes.length]) {
    out.push(...s.push(bytes.subarray(at, cut)))
    at = cut
  }
  out.push(...s.end())
  return out
}

const HEADER = 'start_time_utc,phase,env,duration_seconds,flags'
const TEXT = [
  '\ufeff' + HEADER,
  '2026-01-01T00:00:00Z,build,ci,12,',
  '',
  '2026-01-01T00:01:00Z,"lint, strict",ci,3,"say ""hi"""',
  '2026-01-01T00:02:00Z,tést ünïcødé,staging,7,ok',
  '2026-01-01T00:03:00Z,multi,ci,9,"two\nlines"',
  '2026-01-01T00:04:00Z,crlf,ci,1,x',
  '2026-01-01T00:05:00Z,"quoted\r\nnewline",ci,2,',
  '2026-01-01T00:06:00Z,,ci,,',
  '2026-01-01T00:07:00Z,last,production,5,no newline at end',
].join('\n')

describe('CsvScanner reads what csv-parse reads', () => {
  const bytes = Buffer.from(TEXT, 'utf8')

  test('one chunk', () => {
    expect(scan(bytes, [])).toEqual(reference(bytes))
    expect(scan(bytes, []).map((r) => r.phase)).toEqual([
      'build',
      'lint, strict',
      'tést ünïcødé',
      'multi',
      'crlf',
      'quoted\r\nnewline',
      '',
      'last',
    ])
  })

  test('cut at every byte (partial lines, split UTF-8 characters, split CRLF)', () => {
    const expected = reference(bytes)
    for (let cut = 1; cut < bytes.length; cut++) expect(scan(bytes, [cut])).toEqual(expected)
    for (let cut = 1; cut < bytes.length - 7; cut += 5)
      expect(scan(bytes, [cut, cut + 3, cut + 7])).toEqual(expected)
  })

  test('a file of CRLF lines', () => {
    const crlf = Buffer.from(TEXT.replace(/\n/g, '\r\n'), 'utf8')
    for (let cut = 1; cut < crlf.length; cut += 3) expect(scan(crlf, [cut])).toEqual(reference(crlf))
    expect(scan(crlf, [])[4]).toMatchObject({ phase: 'crlf', flags: 'x' })
  })

  test('one env, a few columns', () => {
    expect(scan(bytes, [40], 'ci', ['phase', 'flags'])).toEqual(reference(bytes, 'ci', ['phase', 'flags']))
    expect(scan(bytes, [], 'staging', ['phase'])).toEqual([{ phase: 'tést ünïcødé' }])
  })

  test('bytes that are not UTF-8 become U+FFFD, as in csv-parse', () => {
    const bad = Buffer.concat([
      Buffer.from(`${HEADER}\n2026-01-01T00:00:00Z,a`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',ci,1,\n'),
    ])
    expect(scan(bad, [])).toEqual(reference(bad))
  })

  test.each([
    [
      'a row with a cell too few',
      `${HEADER}\n2026-01-01T00:00:00Z,build,ci,12\n`,
      /Invalid Record Length: expect 5, got 4 on line 2/,
    ],
    [
      'a quoted row with a cell too many',
      `${HEADER}\n2026-01-01T00:00:00Z,"b",ci,12,,x\n`,
      /expect 5, got 6/,
    ],
    ['no header', 'name,value\nx,1\n', /its first line is not a build_timings header/],
    ['an unclosed quote', `${HEADER}\n2026-01-01T00:00:00Z,"build,ci,12,\n`, /file:t.csv is not valid CSV/],
  ])('%s is a RegistryParseError', (_name, text, message) => {
    const run = () => scan(Buffer.from(text), [])
    expect(run).toThrow(RegistryParseError)
    expect(run).toThrow(message)
  })

  test('quoted cells everywhere: doubled quotes, empty quoted cells, a quoted last cell without a newline', () => {
    const text = `${HEADER}\n"2026-01-01T00:00:00Z","a ""b"", c","ci","1",""\n2026-01-01T00:00:01Z,x,ci,2,"end, no newline"`
    const bytes = Buffer.from(text)
    for (let cut = 1; cut < bytes.length; cut++) expect(scan(bytes, [cut])).toEqual(reference(bytes))
    expect(scan(bytes, []).map((r) => r.phase)).toEqual(['a "b", c', 'x'])
  })

  test.each([
    ['a quote inside a plain cell', `${HEADER}\n2026-01-01T00:00:00Z,a"b,ci,1,"x"\n`],
    ['text after a closing quote', `${HEADER}\n2026-01-01T00:00:00Z,"a"b,ci,1,\n`],
  ])('%s: as csv-parse does', (_name, text) => {
    const bytes = Buffer.from(text)
    let expected: unknown
    try {
      expected = reference(bytes)
    } catch {
      expected = RegistryParseError
    }
    if (expected === RegistryParseError) expect(() => scan(bytes, [])).toThrow(RegistryParseError)
    else expect(scan(bytes, [])).toEqual(expected)
  })

  test('an empty file has no rows', () => {
    expect(scan(Buffer.alloc(0), [])).toEqual([])
  })
})
