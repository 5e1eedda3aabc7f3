/** The record-one-job use case with the shared in-memory store and clock. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordTiming, type RecordRequest } from '../../src/app/record.js'
import { csvSpool } from '../../src/app/spool.js'
import { parseBudgets } from '../../src/core/budgets.js'
import { COLUMNS_29 } from '../../src/core/schema.js'
import { FakeClock, MemoryStore } from '../support/memory-store.js'

const clock = new FakeClock(new Date('2026-01-24T10:00:00Z'))
const start = clock.now()
clock.advance(90)
const budgets = parseBudgets('phases:\n  deploy: { target: 30, max: 60 }\n', 'budgets.yml')

function request(store: MemoryStore, extra: Partial<RecordRequest> = {}): RecordRequest {
  return {
    event: {
      source: 'cli',
      phase: 'deploy',
      env: 'ci',
      buildId: 'b1',
      start,
      end: clock.now(),
      exitCode: 0,
      status: 'success',
    },
    budgets,
    store,
    ...extra,
  }
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'record-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

test('judges, builds and appends the row once; a second record of the same event is a no-op', async () => {
  const store = new MemoryStore()
  const first = await recordTiming(request(store))
  expect(first).toMatchObject({ verdict: 'over_max', problem: null, kept: null, fails: false })
  expect(first.row.duration_seconds).toBe('90')
  expect(first.outcome?.appended).toHaveLength(1)
  expect(store.appends[0]?.message).toBe('build-timings: deploy ci success 90s [skip ci]')
  const again = await recordTiming(request(store))
  expect(again.outcome?.appended).toEqual([])
})

test('fail-on decides whether the verdict fails the job', async () => {
  const result = await recordTiming(request(new MemoryStore(), { failOn: 'over-max' }))
  expect(result.fails).toBe(true)
})

test('a row the registry refuses is kept in the spool and named in one problem line', async () => {
  const store = new MemoryStore()
  store.failWith = new Error('disk on fire')
  const spool = join(dir, 'spool.csv')
  const result = await recordTiming(request(store, { spool: csvSpool(spool) }))
  expect(result.problem).toBe('could not write to memory:: disk on fire.')
  expect(result.kept).toEqual({ where: spool, error: null })
  expect(readFileSync(spool, 'utf8')).toContain(result.row.row_id)
})

test('write: false reads for the trend and writes nothing', async () => {
  const store = new MemoryStore()
  const result = await recordTiming(request(store, { write: false }))
  expect(result.outcome).toBeNull()
  expect(store.appends).toEqual([])
})

test('a spool carried over from before the resource columns keeps its own header and shape', async () => {
  const spool = join(dir, 'spool.csv')
  const header29 = COLUMNS_29.join(',')
  writeFileSync(spool, `${header29}\n`)
  const store = new MemoryStore()
  store.failWith = new Error('offline')
  const result = await recordTiming(request(store, { spool: csvSpool(spool) }))
  const text = readFileSync(spool, 'utf8')
  expect(text.split('\n')[0]).toBe(header29)
  const rows = parse(text, { columns: true }) as Record<string, string>[]
  expect(rows.map((r) => r.row_id)).toEqual([result.row.row_id])
})

test('a success after a failure of the same sha, phase and env is a flake', async () => {
  const store = new MemoryStore()
  const sha = 'abcdef1234567'
  await recordTiming(
    request(store, {
      event: { ...request(store).event, status: 'failure', exitCode: 1, sha, buildId: 'b0' },
    }),
  )
  const clean = await recordTiming(
    request(store, { event: { ...request(store).event, sha: 'fedcba7654321', buildId: 'b2' } }),
  )
  expect(clean.flaky).toBe(false)
  const rerun = await recordTiming(request(store, { event: { ...request(store).event, sha, buildId: 'b1' } }))
  expect(rerun.flaky).toBe(true)
})
