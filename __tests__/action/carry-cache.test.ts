/** The action's carrier with the real @actions/cache against the local cache service. */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cacheCarrier, type CacheCarrierOptions } from '../../src/action/carry-cache.js'
import { COLUMNS, type Row } from '../../src/core/schema.js'
import { useInProcessCache } from '../support/in-process-cache.js'

const cache = useInProcessCache()
const lines: string[] = []

beforeEach(() => {
  lines.length = 0
})

function carrier(job: string, extra: Partial<CacheCarrierOptions> = {}) {
  const c = cacheCarrier({
    registry: { owner: 'acme', repo: 'widgets', branch: 'governance-registry' },
    runId: '9001',
    runAttempt: '1',
    job,
    env: process.env,
    log: (line) => lines.push(line),
    ...extra,
  })
  if (!c) throw new Error('no carrier')
  return c
}

const row = (id: string): Row =>
  ({ ...Object.fromEntries(COLUMNS.map((c) => [c, ''])), phase: 'build', env: 'ci', row_id: id }) as Row
const idsOf = (rows: readonly Row[]) => rows.map((r) => r.row_id)

test('rows kept by one post are taken by the next; once settled, nothing is carried', async () => {
  expect(await carrier('a').keep('ci', [row('r1')])).toMatchObject({ error: null })
  const b = carrier('b')
  expect(idsOf(await b.take('ci'))).toEqual(['r1'])
  await b.settle('ci')
  expect(await carrier('c').take('ci')).toEqual([])
  // Another env's rows are another carry.
  expect(await carrier('d').take('staging')).toEqual([])
  expect(cache.server.cache.saved().map((e) => e.key.replace(/^.*-/, ''))).toEqual(['rows', 'done'])
}, 60_000)

test('rows kept by another post after a take are merged into a keep and never hidden by a settle', async () => {
  await carrier('a').keep('ci', [row('r1')])
  const b = carrier('b')
  expect(idsOf(await b.take('ci'))).toEqual(['r1'])
  // Meanwhile c, which took nothing, fails too: it keeps its row and a's.
  const c = carrier('c')
  await c.keep('ci', [row('r2')])
  // b wrote r1: the newest entry is c's, so b leaves it for the next post.
  await b.settle('ci')
  expect(lines).toContain('carry: another post kept rows meanwhile; the next post writes them')
  expect(idsOf(await carrier('d').take('ci')).sort()).toEqual(['r1', 'r2'])
}, 60_000)

test('no cache service in the environment: no carrier, nothing loaded', () => {
  expect(
    cacheCarrier({
      registry: { owner: 'a', repo: 'b', branch: 'c' },
      runId: '1',
      runAttempt: '1',
      job: 'j',
      env: {},
      log: () => undefined,
    }),
  ).toBeNull()
})

test('a cache service that refuses the token: nothing taken, nothing kept, one line, never a throw', async () => {
  process.env.ACTIONS_RUNTIME_TOKEN = 'unknown'
  const c = carrier('a', { env: process.env })
  expect(await c.take('ci')).toEqual([])
  expect(await c.keep('ci', [row('r1')])).toMatchObject({ where: null })
  // @actions/cache reports a failed lookup itself (demoted to a plain line); the failed keep is ours.
  expect(lines).toEqual([expect.stringMatching(/^carry: the row could not be kept in the Actions cache \(/)])
  expect(cache.server.cache.saved()).toEqual([])
  expect(existsSync(join(cache.workspace, '.build-timings-carry'))).toBe(false)
}, 60_000)
