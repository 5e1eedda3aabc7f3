/**
 * The posts of a matrix share commits through the Actions cache (README "Within GitHub's limits"): a post
 * that waits for its turn offers its row, and the post whose turn comes writes the offered rows of the
 * posts behind it with its own. Runs the committed bundles (`npm run bundle` first), one process per job
 * with its own workspace, against the local GitHub server and its cache service.
 */
import { parse } from 'csv-parse/sync'
import { HEADER_LINE } from '../../src/core/schema.js'
import { FakeGitHub } from '../support/github-server.js'
import { SimulatedJob } from '../support/action-runner.js'

const TOKEN = 'ghs_' + 'Sh4reSh4reSh4reSh4reSh4reSh4reSh4re'
const RUNTIME_TOKEN = 'runtime-token-for-the-cache-service'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const OFFER = 'build-timings-offer-v1-'
const RUN = 4242
const PR = 7

let server: FakeGitHub
const jobs: SimulatedJob[] = []

beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
  server.addToken(RUNTIME_TOKEN, {})
  server.addPullRequest({ number: PR, head_sha: 'b'.repeat(40) })
  await server.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
})
afterEach(async () => {
  for (const job of jobs.splice(0)) job.cleanup()
  await server.close()
})

const ids = [101, 102, 103, 104]

/** The run's jobs as the Jobs API lists them: every one in its post steps, so each is a writer. */
function listJobs(): void {
  const now = Date.now()
  const at = (seconds: number): string => new Date(now + seconds * 1000).toISOString()
  server.setJobs(
    RUN,
    1,
    ids.map((id) => ({
      id,
      run_id: RUN,
      run_attempt: 1,
      name: `test (${id})`,
      status: 'in_progress',
      conclusion: null,
      created_at: new Date(now - 70_000).toISOString(),
      started_at: new Date(now - 60_000).toISOString(),
      completed_at: null,
      runner_name: `runner-${id}`,
      steps: [
        {
          name: 'Run tests',
          status: 'completed',
          conclusion: 'success',
          number: 1,
          started_at: at(-60),
          completed_at: at(-5),
        },
        {
          name: 'Post Record build timings',
          status: 'in_progress',
          conclusion: null,
          number: 2,
          started_at: at(-5),
          completed_at: null,
        },
      ],
    })),
  )
}

function job(id: number, cache = true): SimulatedJob {
  const j = new SimulatedJob({
    apiUrl: server.url,
    token: TOKEN,
    runId: RUN,
    job: 'test',
    jobId: id,
    matrix: { shard: id },
    event: { name: 'pull_request', payload: { number: PR, pull_request: { number: PR } } },
    // Four node processes on a small shared machine: patience for the CPU, not for GitHub.
    with: { 'max-wait': '2m' },
    extraEnv: cache
      ? {
          ACTIONS_CACHE_SERVICE_V2: 'true',
          ACTIONS_RESULTS_URL: `${server.url}/`,
          ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
        }
      : {},
  })
  jobs.push(j)
  return j
}

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const rowsOf = (text: string | null): Record<string, string>[] =>
  text ? (parse(text, { columns: true }) as Record<string, string>[]) : []

test('posts waiting behind a writer offer their rows; the next writer commits them with its own', async () => {
  listJobs()
  const all = ids.map((id) => job(id))
  for (const j of all) expect((await j.run('pre')).code).toBe(0)
  const commitsBefore = (await server.commits(REGISTRY)).length
  const putsBefore = server.requests.filter((r) => r.method === 'PUT').length

  // 102, 103 and 104 finish first; 101 (first by job id, so first in turn) is still busy. Each of the
  // three waits for its turn and offers its row meanwhile.
  const behind = all.slice(1).map((j) => j.run('post'))
  await until('three offers', () => server.cache.saved(OFFER).length === 3)
  expect(server.requests.filter((r) => r.method === 'PUT').length).toBe(putsBefore)

  // 101 writes its row in its turn; then 102's turn comes, and it writes its own row with 103's and 104's.
  const first = await all[0]!.run('post')
  const posts = [first, ...(await Promise.all(behind))]
  for (const p of posts) expect(p.code).toBe(0)
  for (const p of posts) expect(p.commands.filter((c) => c.kind === 'warning')).toEqual([])

  const rows = rowsOf(await server.readFile(REGISTRY, CI_FILE))
  expect(rows.map((r) => r.job_id).sort()).toEqual(ids.map(String))
  expect(new Set(rows.map((r) => r.row_id)).size).toBe(4)
  // Fewer commits than rows: at least one post wrote another post's row.
  const commits = (await server.commits(REGISTRY)).length - commitsBefore
  expect(commits).toBeLessThan(4)
  expect(server.requests.filter((r) => r.method === 'PUT').length - putsBefore).toBe(commits)
  const [, second, third, fourth] = posts
  const byAnother = [second, third, fourth].filter((p) =>
    /written to .* by another job of this run/.test(p!.stdout),
  )
  // Each commit saved is a post that saw its row written by another (one racing the gather to its own
  // write would find its row there instead: no commit either way).
  expect(byAnother.length).toBeGreaterThanOrEqual(1)
  expect(byAnother.length).toBeLessThanOrEqual(4 - commits)
  expect(
    posts.some((p) => /row\(s\) offered by other jobs of this run written with this one/.test(p.stdout)),
  ).toBe(true)
  // A post whose row another wrote leaves the comment to that one; the comment still shows every job.
  const comments = server.comments(PR)
  expect(comments).toHaveLength(1)
  for (const id of ids) expect(comments[0]?.body).toContain(`test (${id})`)
}, 180_000)

test('without a cache service every post writes its own row in its turn, as before', async () => {
  listJobs()
  const all = ids.map((id) => job(id, false))
  for (const j of all) expect((await j.run('pre')).code).toBe(0)
  const commitsBefore = (await server.commits(REGISTRY)).length
  const posts = await Promise.all(all.map((j) => j.run('post')))
  for (const p of posts) expect(p.code).toBe(0)
  expect(server.cache.requests).toEqual([])
  expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(4)
  expect((await server.commits(REGISTRY)).length - commitsBefore).toBe(4)
  for (const p of posts) expect(p.stdout).not.toMatch(/by another job of this run/)
}, 180_000)
