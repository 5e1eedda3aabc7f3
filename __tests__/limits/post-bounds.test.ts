/**
 * The write economy and `max-wait` (README "Within GitHub's limits"), through the committed post bundle: how many requests one post
 * spends, and that a post ends on time with its row kept when GitHub does not answer.
 * Run `npm run bundle` after changing src/.
 */
import { existsSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { HEADER_LINE } from '../../src/core/schema.js'
import { SimulatedJob, type JobOptions } from '../support/action-runner.js'
import { FakeGitHub, type RequestRecord } from '../support/github-server.js'

const TOKEN = 'ghs_' + 'L1m2T3s4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const jobs: SimulatedJob[] = []

afterEach(() => {
  for (const j of jobs.splice(0)) j.cleanup()
})

function job(opts: JobOptions): SimulatedJob {
  const j = new SimulatedJob(opts)
  jobs.push(j)
  return j
}

const prEvent = {
  name: 'pull_request',
  payload: {
    number: 7,
    pull_request: {
      number: 7,
      head: { sha: 'b'.repeat(40), repo: { full_name: 'acme/widgets', fork: false } },
    },
  },
}

describe('a silent GitHub API (accepts connections, never answers)', () => {
  let silent: net.Server
  let url: string
  const sockets = new Set<net.Socket>()

  beforeAll(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.resume() // read the request, never answer
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
    url = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
  })
  afterAll(async () => {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => silent.close(() => resolve()))
  })

  test('post ends within max-wait with exit 0, one warning, and the row kept in the summary and the spool', async () => {
    const j = job({ apiUrl: url, token: TOKEN, jobId: 555, event: prEvent, with: { 'max-wait': '3s' } })
    await j.run('pre')
    const started = Date.now()
    const post = await j.run('post')
    const seconds = (Date.now() - started) / 1000
    expect(post.code).toBe(0)
    // max-wait plus the start of a process on a busy machine.
    expect(seconds).toBeLessThan(3 + 6)
    expect(seconds).toBeGreaterThanOrEqual(2.5)
    const warnings = post.commands.filter((c) => c.kind === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toMatch(/max-wait \(3s\)/)
    expect(post.summary).toContain(HEADER_LINE)
    expect(post.summary).toContain(post.outputs['row-id'])
    const spool = join(j.dir, 'temp', 'build-timings', 'spool.csv')
    expect(existsSync(spool)).toBe(true)
    expect(readFileSync(spool, 'utf8')).toContain(post.outputs['row-id'])
    // ::add-mask:: is the one line allowed to carry it: the runner consumes it and never shows it.
    expect(post.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(TOKEN)
  }, 60_000)

  test('a bad max-wait is one line in the log, and the default bounds the post', async () => {
    const j = job({ apiUrl: url, token: TOKEN, jobId: 555, with: { 'max-wait': 'soon', 'job-id': '' } })
    await j.run('pre')
    const started = Date.now()
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(/max-wait "soon" is not a duration; using 30s/)
    expect((Date.now() - started) / 1000).toBeLessThan(30 + 6)
  }, 60_000)
})

describe('requests of one uncontended post (local GitHub)', () => {
  let gh: FakeGitHub
  beforeEach(async () => {
    gh = await FakeGitHub.start({ limits: true })
    gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
    gh.addPullRequest({ number: 7, head_sha: 'b'.repeat(40) })
    gh.setJobs(1001, 1, [
      {
        id: 555,
        name: 'build',
        status: 'in_progress',
        conclusion: null,
        started_at: new Date(Date.now() - 60_000).toISOString(),
        completed_at: null,
      },
    ])
  })
  afterEach(async () => {
    await gh.close()
  })

  const postOf = async (opts: Partial<JobOptions>): Promise<RequestRecord[]> => {
    const j = job({ apiUrl: gh.url, token: TOKEN, jobId: 555, ...opts })
    await j.run('pre')
    const before = gh.requests.length
    expect((await j.run('post')).code).toBe(0)
    return gh.requests.slice(before)
  }
  const shape = (rs: RequestRecord[]) => rs.map((r) => `${r.method} ${r.path.split('?')[0]}`)

  test("push: the run's jobs (this job's record and its siblings), one registry query, one PUT", async () => {
    await gh.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
    const requests = await postOf({})
    expect(shape(requests)).toEqual([
      'GET /repos/acme/widgets/actions/runs/1001/attempts/1/jobs',
      // One query: latest/, the history/ listing beside it (rotation) and the branch; the trend and the append share it.
      'POST /graphql',
      `PUT /repos/acme/widgets/contents/${encodeURIComponent(CI_FILE)}`,
    ])
  }, 60_000)

  test('pull request whose comment exists: one registry read feeds the trend, the merge and the comment', async () => {
    await gh.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
    await postOf({ event: prEvent, runId: 1000 })
    const before = gh.comments(7)[0]?.body
    const requests = await postOf({ event: prEvent, job: 'test' })
    expect(shape(requests)).toEqual([
      'GET /repos/acme/widgets/actions/runs/1001/attempts/1/jobs',
      'POST /graphql',
      `PUT /repos/acme/widgets/contents/${encodeURIComponent(CI_FILE)}`,
      // The comments, each with whether this token wrote it (comment ownership without asking who the token is).
      'POST /graphql',
      'PATCH /repos/acme/widgets/issues/comments/1000001',
    ])
    expect(gh.comments(7)).toHaveLength(1)
    expect(gh.comments(7)[0]?.body).not.toBe(before)
    // A post whose row the comment already shows spends no write on it.
    const again = await postOf({ event: prEvent, job: 'test' })
    expect(again.filter((r) => r.method === 'PATCH')).toEqual([])
  }, 60_000)
})
