import { appendRows, parseRegistry, rowKey, rowsAsCsv } from '../../src/core/csv.js'
import { RegistryParseError } from '../../src/core/errors.js'
import { COLUMNS, emptyRow, type Column, type Row } from '../../src/core/schema.js'

const HEADER_29 =
  'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,resources_added,resources_changed,resources_destroyed,log_path,status,source,repository,run_id,run_attempt,job_id,ref,sha,pr_number,runner,budget_target_seconds,budget_max_seconds,budget_status,cache_hits,cache_lookups,queue_seconds,row_id'
const SPEC_HEADER = `${HEADER_29},cpu_avg_percent,mem_peak_mb,disk_read_mb,disk_write_mb,net_rx_mb,net_tx_mb`
const RESOURCE_COLUMNS = [
  'cpu_avg_percent',
  'mem_peak_mb',
  'disk_read_mb',
  'disk_write_mb',
  'net_rx_mb',
  'net_tx_mb',
]
const LEGACY_12 =
  'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,resources_added,resources_changed,resources_destroyed,log_path'
const LEGACY_9 = 'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path'
const LOC = 'file:docs/build-timings.csv'

function row(patch: Partial<Row>): Row {
  return {
    ...emptyRow(),
    start_time_utc: '2026-01-24T10:15:03Z',
    end_time_utc: '2026-01-24T10:16:33Z',
    phase: 'lint',
    env: 'ci',
    build_id: '42',
    duration_seconds: '90',
    exit_code: '0',
    status: 'success',
    source: 'cli',
    budget_status: 'none',
    row_id: 'cli/ci/42/lint/2026-01-24T10:15:03Z',
    ...patch,
  }
}
const line = (r: Row, header: readonly string[] = COLUMNS): string =>
  header.map((c) => r[c as Column]).join(',')

const A = row({})
const B = row({
  start_time_utc: '2026-01-24T11:00:00Z',
  phase: 'build',
  row_id: 'cli/ci/42/build/2026-01-24T11:00:00Z',
})

describe('appendRows', () => {
  test('an empty file gets exactly the SPEC header line, then the row', () => {
    const result = appendRows('', [A], LOC)
    expect(result.text).toBe(`${SPEC_HEADER}\n${line(A)}\n`)
    expect(result.text.split('\n')[0]).toBe(SPEC_HEADER)
    expect(result.header).toEqual(SPEC_HEADER.split(','))
    expect(result.droppedColumns).toEqual([])
    expect(result.appended).toEqual([A])
  })

  test('an empty file with no rows gets only the header', () => {
    expect(appendRows('', [], LOC).text).toBe(`${SPEC_HEADER}\n`)
  })

  test.each([
    ['full schema', `${SPEC_HEADER}\n${line(A)}\n`],
    ['full schema without trailing newline', `${SPEC_HEADER}\n${line(A)}`],
    ['header only', `${SPEC_HEADER}\n`],
    ['CRLF', `${SPEC_HEADER}\r\n${line(A)}\r\n`],
    ['legacy 12', `${LEGACY_12}\n${line(A, LEGACY_12.split(','))}\n`],
    ['legacy 9', `${LEGACY_9}\n${line(A, LEGACY_9.split(','))}\n`],
    ['BOM', `\uFEFF${SPEC_HEADER}\n${line(A)}\n`],
    ['quoted cells', `${SPEC_HEADER}\n${line(row({ flags: '"a, ""b"""', row_id: 'x' }))}\n`],
  ])('existing bytes are a strict prefix of the result (%s)', (_name, existing) => {
    const result = appendRows(existing, [B], LOC)
    expect(result.appended).toEqual([B])
    expect(result.text.startsWith(existing)).toBe(true)
    expect(result.text.length).toBeGreaterThan(existing.length)
    // and the result still parses, with the old rows first and unchanged
    const before = parseRegistry(existing, LOC).rows
    const after = parseRegistry(result.text, LOC).rows
    expect(after.slice(0, before.length)).toEqual(before)
    expect(after).toHaveLength(before.length + 1)
  })

  test.each([
    [
      '12-column',
      LEGACY_12,
      [
        'status',
        'source',
        'repository',
        'run_id',
        'run_attempt',
        'job_id',
        'ref',
        'sha',
        'pr_number',
        'runner',
        'budget_target_seconds',
        'budget_max_seconds',
        'budget_status',
        'cache_hits',
        'cache_lookups',
        'queue_seconds',
        'row_id',
        ...RESOURCE_COLUMNS,
      ],
    ],
    [
      '9-column',
      LEGACY_9,
      [
        'resources_added',
        'resources_changed',
        'resources_destroyed',
        'status',
        'source',
        'repository',
        'run_id',
        'run_attempt',
        'job_id',
        'ref',
        'sha',
        'pr_number',
        'runner',
        'budget_target_seconds',
        'budget_max_seconds',
        'budget_status',
        'cache_hits',
        'cache_lookups',
        'queue_seconds',
        'row_id',
        ...RESOURCE_COLUMNS,
      ],
    ],
  ])('a legacy %s file gains rows in its own shape, naming the dropped columns', (_name, header, dropped) => {
    const existing = `${header}\n2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,old,ci,1,60,0,,${header === LEGACY_12 ? ',,,' : ''}logs/old.log\n`
    const r = row({ flags: 'fast', log_path: 'logs/lint.log', resources_added: '1' })
    const result = appendRows(existing, [r], LOC)
    expect(result.header).toEqual(header.split(','))
    expect(result.droppedColumns).toEqual(dropped)
    const expectedLine =
      header === LEGACY_12
        ? '2026-01-24T10:15:03Z,2026-01-24T10:16:33Z,lint,ci,42,90,0,fast,1,,,logs/lint.log'
        : '2026-01-24T10:15:03Z,2026-01-24T10:16:33Z,lint,ci,42,90,0,fast,logs/lint.log'
    expect(result.text).toBe(`${existing}${expectedLine}\n`)
  })

  test('a 29-column file (before resources) gains rows in its own shape, dropping only the resource columns', () => {
    const r29 = HEADER_29.split(',')
    const existing = `${HEADER_29}\n${line(B, r29)}\n`
    const r = row({ cpu_avg_percent: '42.5', mem_peak_mb: '1024', net_rx_mb: '3.1' })
    const result = appendRows(existing, [r], LOC)
    expect(result.header).toEqual(r29)
    expect(result.droppedColumns).toEqual(RESOURCE_COLUMNS)
    expect(result.text).toBe(`${existing}${line(r, r29)}\n`)
    expect(parseRegistry(result.text, LOC).rows.map((x) => x.row_id)).toEqual([B.row_id, r.row_id])
  })

  test('a new file carries the resource columns after row_id', () => {
    const r = row({ cpu_avg_percent: '42.5', mem_peak_mb: '1024', disk_write_mb: '0' })
    const [head, first] = appendRows('', [r], LOC).text.split('\n')
    expect(head?.split(',').slice(-7)).toEqual(['row_id', ...RESOURCE_COLUMNS])
    expect(first?.endsWith(`${r.row_id},42.5,1024,,0,,`)).toBe(true)
  })

  test.each([
    ['full schema', SPEC_HEADER, COLUMNS as readonly string[]],
    ['29 columns', HEADER_29, HEADER_29.split(',')],
    ['legacy 12', LEGACY_12, LEGACY_12.split(',')],
    ['legacy 9', LEGACY_9, LEGACY_9.split(',')],
  ])('appending a row already present is a no-op (%s)', (_name, header, cols) => {
    const existing = `${header}\n${line(A, cols)}\n`
    const result = appendRows(existing, [A], LOC)
    expect(result.text).toBe(existing)
    expect(result.appended).toEqual([])
    expect(result.duplicates).toEqual([A])
  })

  test('duplicate row_id is a no-op even when other cells differ', () => {
    const existing = `${SPEC_HEADER}\n${line(A)}\n`
    const again = row({
      end_time_utc: '2026-01-24T10:20:00Z',
      duration_seconds: '297',
      status: 'failure',
      exit_code: '1',
    })
    const result = appendRows(existing, [again], LOC)
    expect(result.text).toBe(existing)
    expect(result.duplicates).toEqual([again])
  })

  test('with a row_id column, same natural key but a different row_id is appended', () => {
    const existing = `${SPEC_HEADER}\n${line(A)}\n`
    const other = row({ row_id: 'gh/acme/widgets/1/1/2/lint' })
    expect(appendRows(existing, [other], LOC).appended).toEqual([other])
  })

  test('a row repeated within one call is appended once', () => {
    const result = appendRows('', [A, B, A], LOC)
    expect(result.appended).toEqual([A, B])
    expect(result.duplicates).toEqual([A])
    expect(result.text).toBe(`${SPEC_HEADER}\n${line(A)}\n${line(B)}\n`)
  })

  test.each<[string, Partial<Row>, boolean]>([
    ['same key', { row_id: 'other', end_time_utc: 'x', duration_seconds: '1', flags: 'f' }, false],
    ['other start', { start_time_utc: '2026-01-24T10:15:04Z' }, true],
    ['other phase', { phase: 'lint2' }, true],
    ['other env', { env: 'staging' }, true],
    ['other build_id', { build_id: '43' }, true],
  ])(
    'legacy files dedupe on (start_time_utc, phase, env, build_id): %s → appended=%s',
    (_name, patch, appended) => {
      for (const header of [LEGACY_12, LEGACY_9]) {
        const existing = `${header}\n${line(A, header.split(','))}\n`
        const result = appendRows(existing, [row(patch)], LOC)
        expect(result.appended).toHaveLength(appended ? 1 : 0)
        expect(result.text === existing).toBe(!appended)
      }
    },
  )

  test('CRLF files get CRLF rows', () => {
    const existing = `${SPEC_HEADER}\r\n${line(A)}\r\n`
    const result = appendRows(existing, [B], LOC)
    expect(result.text).toBe(`${existing}${line(B)}\r\n`)
  })

  test('a CRLF file without trailing newline gets a CRLF before the new row', () => {
    const existing = `${LEGACY_9}\r\n${line(A, LEGACY_9.split(','))}`
    const result = appendRows(existing, [B], LOC)
    expect(result.text).toBe(`${existing}\r\n${line(B, LEGACY_9.split(','))}\r\n`)
  })

  test('a file without trailing newline gets one before the new row', () => {
    const existing = `${SPEC_HEADER}\n${line(A)}`
    const result = appendRows(existing, [B], LOC)
    expect(result.text).toBe(`${existing}\n${line(B)}\n`)
  })

  test('a file without trailing newline and nothing new is left byte for byte', () => {
    const existing = `${SPEC_HEADER}\n${line(A)}`
    expect(appendRows(existing, [A], LOC).text).toBe(existing)
  })

  test.each([
    ['unclosed quote', `${SPEC_HEADER}\n"2026-01-24T10:15:03Z,unterminated\n`],
    ['wrong column count', `${SPEC_HEADER}\na,b,c\n`],
    ['not a registry header', 'name,value\nx,1\n'],
  ])('an unparsable file (%s) throws RegistryParseError naming the file', (_name, existing) => {
    const call = (): unknown =>
      appendRows(
        existing,
        [A],
        'github:acme/widgets@governance-registry:environments/ci/latest/build_timings.csv',
      )
    expect(call).toThrow(RegistryParseError)
    expect(call).toThrow('github:acme/widgets@governance-registry:environments/ci/latest/build_timings.csv')
  })

  test.each([
    ['comma', 'a,b'],
    ['quote', 'say "hi"'],
    ['newline', 'line1\nline2'],
    ['CRLF inside', 'line1\r\nline2'],
    ['all at once', '"x", y\n"z"'],
    ['leading and trailing space', '  padded  '],
    ['only a quote', '"'],
  ])('a quoted cell with %s round-trips through parseRegistry', (_name, value) => {
    const r = row({ flags: value, log_path: value, row_id: `id-${value}` })
    for (const existing of ['', `${SPEC_HEADER}\r\n`]) {
      const text = appendRows(existing, [r], LOC).text
      const parsed = parseRegistry(text, LOC)
      expect(parsed.rows).toHaveLength(1)
      expect(parsed.rows[0]).toEqual(r)
      // appending it again is recognised as a duplicate
      expect(appendRows(text, [r], LOC).text).toBe(text)
    }
  })
})

describe('parseRegistry', () => {
  test.each([[''], ['   '], ['\n\n']])('an empty file %j has no header and no rows', (text) => {
    expect(parseRegistry(text, LOC)).toEqual({ header: null, rows: [] })
  })

  test('rows are keyed by the file’s own header', () => {
    const parsed = parseRegistry(
      `${LEGACY_9}\n2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,p,ci,1,60,0,f,l.log\n`,
      LOC,
    )
    expect(parsed.header).toEqual(LEGACY_9.split(','))
    expect(parsed.rows).toEqual([
      {
        start_time_utc: '2026-01-01T00:00:00Z',
        end_time_utc: '2026-01-01T00:01:00Z',
        phase: 'p',
        env: 'ci',
        build_id: '1',
        duration_seconds: '60',
        exit_code: '0',
        flags: 'f',
        log_path: 'l.log',
      },
    ])
  })
})

describe('parseRegistry with a phase', () => {
  test('builds only the rows of that phase, in file order, with the full header', () => {
    const text =
      'start_time_utc,phase,env\n2026-01-01T00:00:00Z,lint,ci\n2026-01-01T00:01:00Z,build,ci\n2026-01-01T00:02:00Z,lint,ci\n'
    const parsed = parseRegistry(text, 'f.csv', 'lint')
    expect(parsed.header).toEqual(['start_time_utc', 'phase', 'env'])
    expect(parsed.rows).toEqual([
      { start_time_utc: '2026-01-01T00:00:00Z', phase: 'lint', env: 'ci' },
      { start_time_utc: '2026-01-01T00:02:00Z', phase: 'lint', env: 'ci' },
    ])
    expect(parseRegistry(text, 'f.csv', 'deploy').rows).toEqual([])
  })
})

describe('rowKey', () => {
  test.each<[Record<string, string>, readonly string[], string]>([
    [{ row_id: 'r1', start_time_utc: 's', phase: 'p', env: 'e', build_id: 'b' }, COLUMNS, 'id:r1'],
    [{ row_id: '', start_time_utc: 's', phase: 'p', env: 'e', build_id: 'b' }, COLUMNS, 'nk:s|p|e|b'],
    [
      { row_id: 'r1', start_time_utc: 's', phase: 'p', env: 'e', build_id: 'b' },
      LEGACY_12.split(','),
      'nk:s|p|e|b',
    ],
  ])('%j → %s', (r, header, key) => {
    expect(rowKey(r, header)).toBe(key)
  })
})

describe('rowsAsCsv', () => {
  test('has the full header and quotes as needed', () => {
    expect(rowsAsCsv([row({ flags: 'a,b' })])).toBe(`${SPEC_HEADER}\n${line(row({ flags: '"a,b"' }))}\n`)
  })
})
