/** The offers of a matrix's posts with the real @actions/cache against the local cache service. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cacheOffers } from '../../src/action/offer-cache.js'
import { COLUMNS, type Row } from '../../src/core/schema.js'
import { FakeGitHub } from '../support/github-server.js'

const RUNTIME_TOKEN = 'runtime-token-for-the-cache-service'
let server: FakeGitHub
let home: string
const VARS = [
  'HOME',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
]
const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]))
const lines: string[] = []

beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(RUNTIME_TOKEN, {})
  home = mkdtempSync(join(tmpdir(), 'bt-offer-home-'))
  Object.assign(process.env, {
    HOME: home,
    GITHUB_WORKSPACE: home,
    RUNNER_TEMP: home,
    ACTIONS_CACHE_SERVICE_V2: 'true',
    ACTIONS_RESULTS_URL: `${server.url}/`,
    ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
  })
  lines.length = 0
  process.chdir(home)
})
const cwd = process.cwd()
afterEach(async () => {
  process.chdir(cwd)
  // process.env is kept (not replaced): os.homedir() reads the real environment.
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  rmSync(home, { recursive: true, force: true })
  await server.close()
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
const lookups = () => server.cache.requests.filter((r) => r.path.endsWith('/GetCacheEntryDownloadURL')).length

test('the writer whose turn comes finds the offers of the writers behind it that have not landed', async () => {
  await share(2)!.offer('ci', [rowOf(2)])
  await share(3)!.offer('ci', [rowOf(3)])
  // An entry is never a way to write another job's rows: job 4's offer holds a row of job 1 too.
  await share(4)!.offer('ci', [rowOf(4), rowOf(1)])
  expect(server.cache.saved('build-timings-offer-v1-')).toHaveLength(3)

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
