/** The offers of a matrix's posts with the real @actions/cache against the local cache service. */
import { cacheOffers } from '../../src/action/offer-cache.js'
import { COLUMNS, type Row } from '../../src/core/schema.js'
import { useInProcessCache } from '../support/in-process-cache.js'

const cache = useInProcessCache()
const lines: string[] = []

beforeEach(() => {
  lines.length = 0
})

const RUN = { repository: 'acme/widgets', runId: '77', runAttempt: '1' }
const WRITERS = [1, 2, 3, 4]

function share(self: number, env: NodeJS.ProcessEnv = process.env) {
  return cacheOffers({
    registry: { owner: 'acme', repo: 'widgets', branch: 'governance-registry' },
    run: RUN,
    writers: { self, ids: WRITERS },
    env,
    log: (line) => lines.push(line),
  })
}

/** A row of job `job` of the run, as its post builds it. */
const rowOf = (job: number, env = 'ci'): Row =>
  ({
    ...Object.fromEntries(COLUMNS.map((c) => [c, ''])),
    phase: `test (${job})`,
    env,
    job_id: String(job),
    row_id: `gh/acme/widgets/77/1/${job}/test (${job})`,
  }) as Row
const registryWith = (...jobs: number[]) => `h\n${jobs.map((j) => `x,${rowOf(j).row_id}\n`).join('')}`
const lookups = () =>
  cache.server.cache.requests.filter((r) => r.path.endsWith('/GetCacheEntryDownloadURL')).length

test('the writer whose turn comes finds the offers of the writers behind it that have not landed', async () => {
  await share(2)!.offer('ci', [rowOf(2)])
  await share(3)!.offer('ci', [rowOf(3)])
  // An entry is never a way to write another job's rows: job 4's offer holds a row of job 1 too.
  await share(4)!.offer('ci', [rowOf(4), rowOf(1)])
  expect(cache.server.cache.saved('build-timings-offer-v1-')).toHaveLength(3)

  // Job 3's row landed already (its own post wrote it): its offer is not restored.
  const first = share(1)!
  const rows = await first.gather('ci', registryWith(3))
  expect(rows.map((r) => r.row_id).sort()).toEqual([rowOf(2).row_id, rowOf(4).row_id])
  expect(lines).toContain('offer: 2 row(s) of other jobs of this run come with this one')
  // Another env's offers are other entries.
  expect(await first.gather('staging', registryWith())).toEqual([])
  // The last writer has nobody behind: no lookup at all.
  const before = lookups()
  expect(await share(4)!.gather('ci', registryWith())).toEqual([])
  expect(lookups()).toBe(before)
}, 60_000)

test('no cache service: no share, nothing loaded', () => {
  expect(share(1, { ...process.env, ACTIONS_RUNTIME_TOKEN: '' })).toBeNull()
})
