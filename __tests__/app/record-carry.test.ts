/** Rows a record could not write are carried to the next record, which writes them with its own row. */
import { recordTiming, type RecordRequest } from '../../src/app/record.js'
import type { Carrier } from '../../src/app/carry.js'
import { parseBudgets } from '../../src/core/budgets.js'
import type { Row } from '../../src/core/schema.js'
import { FakeClock, MemoryStore } from '../support/memory-store.js'

const budgets = parseBudgets('phases: {}\n', 'budgets.yml')

/** The Actions cache as the carrier sees it: immutable entries, and a take that sees only the newest. */
class MemoryCarrier implements Carrier {
  readonly entries: { env: string; rows: readonly Row[] }[] = []
  takes = 0
  take(env: string): Promise<Row[]> {
    this.takes++
    return Promise.resolve([...(this.entries.filter((e) => e.env === env).at(-1)?.rows ?? [])])
  }
  keep(env: string, rows: readonly Row[]) {
    this.entries.push({ env, rows: [...rows] })
    return Promise.resolve({ where: 'memory', error: null })
  }
  settle(env: string): Promise<void> {
    this.entries.push({ env, rows: [] })
    return Promise.resolve()
  }
}

const clock = new FakeClock(new Date('2026-01-24T10:00:00Z'))

function request(store: MemoryStore, carrier: Carrier, buildId: string, extra: Partial<RecordRequest> = {}) {
  const start = clock.now()
  clock.advance(60)
  return recordTiming({
    event: {
      source: 'cli',
      phase: 'build',
      env: 'ci',
      buildId,
      start,
      end: clock.now(),
      exitCode: 0,
      status: 'success',
    },
    budgets,
    store,
    carrier,
    ...extra,
  })
}

test('a row the registry refused is written by the next record, in the same append, then no longer carried', async () => {
  const store = new MemoryStore()
  const carrier = new MemoryCarrier()
  store.failWith = new Error('503 Service Unavailable')
  const first = await request(store, carrier, 'b1')
  expect(first.problem).toMatch(/503/)
  expect(first.carriedTo).toEqual({ where: 'memory', error: null })
  expect(carrier.entries.map((e) => e.rows.map((r) => r.row_id))).toEqual([[first.row.row_id]])

  store.failWith = null
  const second = await request(store, carrier, 'b2')
  expect(second.problem).toBeNull()
  expect(second.carried.map((r) => r.row_id)).toEqual([first.row.row_id])
  expect(store.appends).toHaveLength(1)
  expect(store.appends[0]?.rows.map((r) => r.row_id)).toEqual([second.row.row_id, first.row.row_id])
  expect(store.appends[0]?.message).toBe('build-timings: 2 rows ci [skip ci]')
  expect(carrier.entries.at(-1)?.rows).toEqual([])

  const third = await request(store, carrier, 'b3')
  expect(third.carried).toEqual([])
  expect(store.appends[1]?.rows.map((r) => r.row_id)).toEqual([third.row.row_id])
  expect(carrier.entries).toHaveLength(2)
})

test('a record that fails again keeps its row and every carried row in one newer entry', async () => {
  const store = new MemoryStore()
  const carrier = new MemoryCarrier()
  store.failWith = new Error('timeout')
  const first = await request(store, carrier, 'b1')
  const second = await request(store, carrier, 'b2')
  expect(second.carried.map((r) => r.row_id)).toEqual([first.row.row_id])
  expect(carrier.entries.at(-1)?.rows.map((r) => r.row_id)).toEqual([second.row.row_id, first.row.row_id])
  store.failWith = null
  await request(store, carrier, 'b3')
  expect(store.text('ci').trim().split('\n')).toHaveLength(4)
})

test('carried rows already in the registry are dropped by row_id, and the own row is carried once', async () => {
  const store = new MemoryStore()
  const carrier = new MemoryCarrier()
  store.failWith = new Error('timeout')
  const first = await request(store, carrier, 'b1')
  store.failWith = null
  await store.append('ci', [first.row], 'pushed by hand')
  const again = await request(store, carrier, 'b2')
  expect(again.outcome?.appended.map((r) => r.row_id)).toEqual([again.row.row_id])
  expect(again.outcome?.duplicates.map((r) => r.row_id)).toEqual([first.row.row_id])
  // A carried copy of the job's own row (a re-run post) is not appended twice.
  carrier.entries.push({ env: 'ci', rows: [again.row] })
  const rerun = await recordTiming({
    event: {
      source: 'cli',
      phase: 'build',
      env: 'ci',
      buildId: 'b2',
      start: new Date(Date.parse(again.row.start_time_utc)),
      end: new Date(Date.parse(again.row.end_time_utc)),
      exitCode: 0,
      status: 'success',
    },
    budgets,
    store,
    carrier,
  })
  expect(rerun.carried).toEqual([])
  expect(store.text('ci').trim().split('\n')).toHaveLength(3)
})

test('a record that writes nothing (dry run, no store) never asks the carrier', async () => {
  const carrier = new MemoryCarrier()
  carrier.entries.push({ env: 'ci', rows: [] })
  await request(new MemoryStore(), carrier, 'b1', { write: false })
  await request(new MemoryStore(), carrier, 'b2', { store: null })
  expect(carrier.takes).toBe(0)
  expect(carrier.entries).toHaveLength(1)
})
