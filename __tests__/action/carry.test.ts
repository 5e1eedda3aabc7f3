/**
 * A row that post could not write within max-wait is carried through the Actions cache to a later post of
 * the same branch, which writes it with its own row (SPEC §4 `max-wait`). Runs the committed bundles
 * (`npm run bundle` first) against the local GitHub server and its cache service (cache-service.ts).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { HEADER_LINE } from '../../src/core/schema.js'
import { FakeGitHub } from '../support/github-server.js'
import type { CacheEntry } from '../support/cache-service.js'
import { SimulatedJob, type JobOptions } from '../support/action-runner.js'

const TOKEN = 'ghs_' + 'C4rry5C4rry5C4rry5C4rry5C4rry5C4rr'
const RUNTIME_TOKEN = 'runtime-token-for-the-cache-service'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const CARRY = 'build-timings-carry-v1-'

/** A fault path that matches every registry request while the outage is on (the cache service has no faults). */
class Outage extends RegExp {
  on = true
  constructor() {
    super('^/(graphql|repos/)')
  }
  override test(s: string): boolean {
    return this.on && super.test(s)
  }
}

let server: FakeGitHub
const jobs: SimulatedJob[] = []

beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
  server.addToken(RUNTIME_TOKEN, {})
  await server.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
})
afterEach(async () => {
  for (const job of jobs.splice(0)) job.cleanup()
  await server.close()
})

function job(runId: number, opts: Partial<JobOptions> = {}): SimulatedJob {
  const j = new SimulatedJob({
    apiUrl: server.url,
    token: TOKEN,
    runId,
    ...opts,
    with: { 'max-wait': '3s', ...opts.with },
    extraEnv: {
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${server.url}/`,
      ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
      ...opts.extraEnv,
    },
  })
  jobs.push(j)
  return j
}

async function post(j: SimulatedJob) {
  await j.run('pre')
  return j.run('post')
}

function rowsOf(text: string | null): Record<string, string>[] {
  return text ? (parse(text, { columns: true }) as Record<string, string>[]) : []
}

/** The rows an entry's archive holds (tar, zstd or gzip, as @actions/cache wrote it). */
function heldBy(entry: CacheEntry | undefined): Record<string, string>[] {
  if (!entry?.archive) return []
  const dir = mkdtempSync(join(tmpdir(), 'bt-carry-'))
  try {
    const file = join(dir, 'archive')
    writeFileSync(file, entry.archive)
    const zstd = entry.archive.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))
    const text = execFileSync('tar', [zstd ? '--use-compress-program=zstd -d' : '-z', '-P', '-xOf', file], {
      encoding: 'utf8',
    })
    return rowsOf(text)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const registryRows = async () => rowsOf(await server.readFile(REGISTRY, CI_FILE))
const ids = (rows: Record<string, string>[]) => rows.map((r) => r.row_id).sort()

test('a row kept in an outage is written once by the next post, which then leaves nothing to carry', async () => {
  // (a) the registry is down: exit 0, one warning, the row in the summary and in a cache entry.
  const outage = new Outage()
  server.injectFault({ path: outage, status: 503, times: Infinity })
  const first = await post(job(2001))
  expect(first.code).toBe(0)
  expect(first.commands.filter((c) => c.kind === 'warning')).toHaveLength(1)
  expect(first.commands.filter((c) => c.kind === 'error')).toEqual([])
  const kept = first.outputs['row-id']!
  expect(first.summary).toContain(HEADER_LINE)
  expect(first.summary).toContain(kept)
  const entries = server.cache.saved(CARRY)
  expect(entries).toHaveLength(1)
  expect(entries[0]?.key).toMatch(/-rows$/)
  expect(ids(heldBy(entries[0]))).toEqual([kept])

  // (b) another run on the same ref, the registry healthy: both rows in one commit, each once.
  outage.on = false
  const commitsBefore = (await server.commits(REGISTRY)).length
  const keptWith = server.cache.requests.length
  const second = await post(job(2002))
  expect(second.code).toBe(0)
  expect(second.commands.filter((c) => c.kind === 'warning')).toEqual([])
  const own = second.outputs['row-id']!
  expect(ids(await registryRows())).toEqual([kept, own].sort())
  expect((await server.commits(REGISTRY)).length).toBe(commitsBefore + 1)
  expect(server.cache.saved(CARRY).at(-1)?.key).toMatch(/-done$/)
  // Take: a lookup, then the entry (its URL and the archive); settle: a lookup, then the -done entry.
  expect(server.cache.requests.slice(keptWith).map((r) => r.path.replace(/^.*\//, ''))).toEqual([
    'GetCacheEntryDownloadURL',
    'GetCacheEntryDownloadURL',
    'archive',
    'GetCacheEntryDownloadURL',
    'CreateCacheEntry',
    'archive',
    'FinalizeCacheEntryUpload',
  ])

  // (c) a third post carries nothing: one lookup of the cache service, only its own row.
  const cacheRequests = server.cache.requests.length
  const third = await post(job(2003))
  expect(third.code).toBe(0)
  const rows = await registryRows()
  expect(rows).toHaveLength(3)
  expect(ids(rows)).toEqual([kept, own, third.outputs['row-id']!].sort())
  expect(server.cache.requests.slice(cacheRequests).map((r) => r.path)).toEqual([
    '/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL',
  ])
  expect(server.cache.saved(CARRY)).toHaveLength(2)
}, 120_000)

test('carried rows already in the registry are not written again', async () => {
  const outage = new Outage()
  server.injectFault({ path: outage, status: 503, times: Infinity })
  const first = await post(job(3001))
  expect(first.code).toBe(0)
  const kept = heldBy(server.cache.saved(CARRY)[0])
  expect(kept).toHaveLength(1)
  outage.on = false
  // Someone pushed the kept row by hand meanwhile (build-timings push).
  const header = HEADER_LINE.split(',')
  await server.commitFile(
    REGISTRY,
    CI_FILE,
    `${HEADER_LINE}\n${stringify([header.map((c) => kept[0]![c] ?? '')])}`,
  )

  const second = await post(job(3002))
  expect(second.code).toBe(0)
  const rows = await registryRows()
  expect(ids(rows)).toEqual([kept[0]!.row_id!, second.outputs['row-id']!].sort())
}, 120_000)

test('without a cache service nothing is carried and the cache service is never asked', async () => {
  const outage = new Outage()
  server.injectFault({ path: outage, status: 503, times: Infinity })
  const first = await post(job(4001, { extraEnv: { ACTIONS_RUNTIME_TOKEN: '', ACTIONS_RESULTS_URL: '' } }))
  expect(first.code).toBe(0)
  expect(first.commands.filter((c) => c.kind === 'warning')).toHaveLength(1)
  expect(first.summary).toContain(first.outputs['row-id']!)
  expect(server.cache.requests).toEqual([])
}, 120_000)

test('a cache service that refuses the job: still one warning, the cache trouble as plain lines', async () => {
  server.injectFault({ path: new Outage(), status: 503, times: Infinity })
  const first = await post(job(5001, { extraEnv: { ACTIONS_RUNTIME_TOKEN: 'not-a-runtime-token' } }))
  expect(first.code).toBe(0)
  expect(first.commands.filter((c) => c.kind === 'warning' || c.kind === 'error')).toEqual([
    { kind: 'warning', message: expect.stringMatching(/^build-timings: could not write/) as string },
  ])
  expect(first.stdout).toMatch(/^build-timings: cache: Failed to restore: .*401/m)
  expect(first.stdout).toMatch(/^build-timings: carry: the row could not be kept in the Actions cache/m)
  expect(first.summary).toContain(first.outputs['row-id']!)
  expect(server.cache.saved()).toEqual([])
}, 120_000)

test('posts that keep rows at the same moment: the next post still carries every one of them', async () => {
  // A matrix whose posts all meet max-wait together: each saves an entry, and a restore gives only the
  // newest. Each keep looks again after its save and folds its rows into a newer entry that lacks them.
  const outage = new Outage()
  server.injectFault({ path: outage, status: 503, times: Infinity })
  const matrix = [1, 2, 3, 4].map((n) => job(2101, { job: `shard-${n}`, jobId: 700 + n }))
  const kept = await Promise.all(matrix.map((j) => post(j)))
  expect(kept.map((p) => p.code)).toEqual([0, 0, 0, 0])
  outage.on = false
  const next = await post(job(2102))
  expect(next.code).toBe(0)
  const expected = [...kept.map((p) => p.outputs['row-id']!), next.outputs['row-id']!].sort()
  expect(ids(await registryRows())).toEqual(expected)
}, 180_000)
