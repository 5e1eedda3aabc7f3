import { buildRow } from '../../src/core/row.js'
import { HEADER_LINE, type Row } from '../../src/core/schema.js'
import {
  compactTime,
  historyDir,
  newestFirst,
  planAppend,
  segmentName,
  surelyAbsent,
  wantsMore,
} from '../../src/registry/segments.js'

const row = (i: number): Row =>
  buildRow({
    source: 'cli',
    phase: `p${i}`,
    env: 'ci',
    buildId: `b${i}`,
    start: new Date(Date.UTC(2026, 0, 24, 10, 15, i)),
    end: new Date(Date.UTC(2026, 0, 24, 10, 16, i)),
    exitCode: 0,
    status: 'success',
  })
const line = (r: Row): string => `${Object.values(r).join(',')}\n`
const file = (...rows: Row[]): Buffer => Buffer.from(`${HEADER_LINE}\n${rows.map(line).join('')}`)
const plan = (latest: Buffer | null, rows: Row[], rotateBytes = 1 << 20, newest: Buffer | null = null) =>
  planAppend({
    latest,
    newest,
    rows,
    location: 'x',
    rotateBytes,
    now: () => new Date('2026-02-01T00:00:00Z'),
  })

describe('segments', () => {
  test.each([
    ['environments/ci/latest/build_timings.csv', 'environments/ci/history'],
    ['latest/t.csv', 'history'],
    ['timings/ci.csv', 'timings/ci.history'],
  ])('historyDir(%s) = %s', (path, dir) => expect(historyDir(path)).toBe(dir))

  test.each([
    ['2026-01-24T10:15:03Z', '20260124T101503Z'],
    ['2026-01-24T10:15:03.412Z', '20260124T101503Z'],
    ['2026-01-24 10:15:03', null],
    [undefined, null],
  ])('compactTime(%s) = %s', (t, c) => expect(compactTime(t)).toBe(c))

  test('names: -2, -3 when taken; newest first by time, then by suffix', () => {
    const taken = new Set(['20260124T101503Z.csv', '20260124T101503Z-2.csv'])
    expect(segmentName('20260124T101503Z', (n) => taken.has(n))).toBe('20260124T101503Z-3.csv')
    expect(segmentName('20260124T101504Z', (n) => taken.has(n))).toBe('20260124T101504Z.csv')
    expect(
      newestFirst(['20260124T101503Z-2.csv', '20250101T000000Z.csv', '20260124T101503Z.csv', 'notes.txt']),
    ).toEqual(['20260124T101503Z-2.csv', '20260124T101503Z.csv', '20250101T000000Z.csv'])
  })

  test('an append under the bound keeps every old byte and adds the row', () => {
    const latest = Buffer.concat([file(row(1)).subarray(0, -1), Buffer.from([0xff, 0x0a])])
    const p = plan(latest, [row(2)])
    expect(p.rotate).toBeNull()
    expect(p.content?.subarray(0, latest.length).equals(latest)).toBe(true)
    expect(p.content?.subarray(latest.length).toString()).toBe(line(row(2)))
  })

  test('the append that would pass the bound rotates, named by the last row; latest/ restarts with the header', () => {
    const latest = file(row(1), row(3))
    const p = plan(latest, [row(4)], latest.length + 10)
    expect(p.rotate).toEqual({ ts: '20260124T101503Z' })
    expect(p.content?.toString()).toBe(`${HEADER_LINE}\n${line(row(4))}`)
  })

  test('a legacy file without a newline at its end rotates whole; latest/ restarts in the current shape, same eol', () => {
    const legacy =
      'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path\r\n'
    const latest = Buffer.from(`${legacy}2025-01-01T00:00:00Z,2025-01-01T00:01:00Z,d,ci,p,60,0,,`)
    const p = plan(latest, [row(1)], latest.length)
    expect(p.rotate).toEqual({ ts: '20250101T000000Z' })
    expect(p.content?.toString()).toBe(`${HEADER_LINE}\r\n${line(row(1)).replace('\n', '\r\n')}`)
  })

  test('rows in the newest segment are duplicates: a retry across a rotation writes nothing', () => {
    const p = plan(file(row(5)), [row(2), row(5)], 1 << 20, file(row(1), row(2)))
    expect(p.content).toBeNull()
    expect(p.result.duplicates).toEqual([row(2), row(5)])
  })

  test('the parse is skipped only when no id occurs and the text ends outside quotes', () => {
    expect(surelyAbsent(file(row(1)).toString(), [row(2)])).toBe(true)
    expect(surelyAbsent(file(row(1)).toString(), [row(1)])).toBe(false)
    expect(surelyAbsent(`${HEADER_LINE}\n"open,\n`, [row(2)])).toBe(false)
    expect(surelyAbsent('start_time_utc,phase,env,build_id\n', [row(2)])).toBe(false)
  })

  test('a read wants more until it holds its rows, or reaches back past its window', () => {
    expect(wantsMore(undefined, [], null)).toBe(true)
    expect(wantsMore({ rows: 1 }, [{}], null)).toBe(false)
    expect(wantsMore({ all: true }, [{}], '20200101T000000Z')).toBe(true)
    expect(wantsMore({ since: '2026-01-24T10:00:00.000Z' }, [], '20260124T110000Z')).toBe(true)
    expect(wantsMore({ since: '2026-01-24T10:00:00.000Z' }, [], '20260124T090000Z')).toBe(false)
  })

  test('many rows at once are cut into segments of the bound; the old latest/ still moves whole', () => {
    const latest = file(row(0), row(1))
    const rows = Array.from({ length: 12 }, (_, i) => row(10 + i))
    const p = plan(latest, rows, latest.length + 10)
    expect(p.rotate).toEqual({ ts: '20260124T101501Z' })
    expect(p.segments.length).toBeGreaterThanOrEqual(3)
    for (const s of [...p.segments.map((x) => x.content), p.content as Buffer]) {
      expect(s.length).toBeLessThanOrEqual(latest.length + 10)
      expect(s.toString().startsWith(`${HEADER_LINE}\n`)).toBe(true)
    }
    const body = (b: Buffer) => b.toString().slice(HEADER_LINE.length + 1)
    expect([...p.segments.map((x) => body(x.content)), body(p.content as Buffer)].join('')).toBe(
      rows.map(line).join(''),
    )
    // Each segment is named by its own last row.
    const lastOf = (b: Buffer) => body(b).trimEnd().split('\n').at(-1)?.slice(0, 20)
    expect(p.segments.map((x) => x.ts)).toEqual(p.segments.map((x) => compactTime(lastOf(x.content))))
  })

  test('a first write of many rows starts with segments too', () => {
    const rows = Array.from({ length: 8 }, (_, i) => row(i))
    const p = plan(null, rows, 900)
    expect(p.rotate).toBeNull()
    expect(p.segments.length).toBeGreaterThanOrEqual(1)
    expect((p.content as Buffer).length).toBeLessThanOrEqual(900)
  })
})
