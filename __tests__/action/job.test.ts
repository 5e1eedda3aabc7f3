/**
 * Whole jobs through the committed bundles against the local GitHub API server over a real bare repo.
 * Run `npm run bundle` after changing src/: these tests exercise dist/, as users do.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { COLUMNS, HEADER_LINE } from '../../src/core/schema.js'
import { FakeGitHub, type StepFixture } from '../support/github-server.js'
import { SimulatedJob, type JobOptions } from '../support/action-runner.js'
import { MACHINE_NODE, NODE24 } from '../support/runtimes.js'

const TOKEN = 'ghs_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'

let server: FakeGitHub
const jobs: SimulatedJob[] = []

beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
})
afterEach(async () => {
  for (const job of jobs.splice(0)) job.cleanup()
  await server.close()
})

function job(opts: Partial<JobOptions> = {}): SimulatedJob {
  const j = new SimulatedJob({ apiUrl: server.url, token: TOKEN, ...opts })
  jobs.push(j)
  return j
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

function rowsOf(text: string | null): Record<string, string>[] {
  return text ? (parse(text, { columns: true }) as Record<string, string>[]) : []
}

const prEvent = (number = 7, headRepo = 'acme/widgets') => ({
  name: 'pull_request',
  payload: {
    number,
    pull_request: {
      number,
      head: { sha: 'b'.repeat(40), repo: { full_name: headRepo, fork: headRepo !== 'acme/widgets' } },
    },
  },
})

/**
 * Everything a stage printed or wrote, to check that the token never leaks. `::add-mask::` is the one line
 * allowed to carry it: the runner consumes that command to mask the value and never shows it.
 */
function leaks(...texts: string[]): boolean {
  return texts.some((t) => t.replace(/^::add-mask::.*$/gm, '').includes(TOKEN))
}

describe('a job on a pull_request event', () => {
  test.each([
    ['success', '0'],
    ['failure', '1'],
    ['cancelled', '130'],
  ])('a %s job leaves one row with exit_code %s and the exact header', async (status, exitCode) => {
    const j = job({ event: prEvent(), jobId: 555 })
    const t0 = Date.now()
    const pre = await j.run('pre')
    expect(pre.code).toBe(0)
    expect((await j.run('main')).code).toBe(0)
    await sleep(2100)
    const t1 = Date.now()
    const post = await j.run('post', status)
    // The wall time between the start of pre and the start of post, as the runner would see it.
    const wall = (t1 - t0) / 1000
    expect(post.code).toBe(0)
    const file = await server.readFile(REGISTRY, CI_FILE)
    expect(file?.split('\n')[0]).toBe(HEADER_LINE)
    const rows = rowsOf(file)
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    expect(Object.keys(row)).toEqual([...COLUMNS])
    expect(row.status).toBe(status)
    expect(row.exit_code).toBe(exitCode)
    expect(row.source).toBe('github')
    expect(row.pr_number).toBe('7')
    expect(row.row_id).toBe('gh/acme/widgets/1001/1/555/build')
    expect(Math.abs(Number(row.duration_seconds) - wall)).toBeLessThanOrEqual(2)
    expect(post.outputs['row-id']).toBe(row.row_id)
    expect(post.outputs.status).toBe(status)
    expect(post.outputs['registry-commit']).toMatch(/^[0-9a-f]{40}$/)
    expect(post.summary).toContain('build')
    const commits = await server.commits(REGISTRY)
    expect(commits[0]?.message).toBe(`build-timings: build ci ${status} ${row.duration_seconds}s [skip ci]`)
    expect(leaks(pre.stdout, post.stdout, post.stderr, post.summary, file ?? '')).toBe(false)
  })

  test("the other tests run the bundles on the machine's own node, not the Node 24 npm puts on PATH", () => {
    // Under `npm test`, node_modules/.bin/node (Node 24) shadows the machine's node on PATH.
    expect(realpathSync(MACHINE_NODE)).not.toBe(realpathSync(NODE24))
    expect(execFileSync(NODE24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./)
  })

  test('the bundles run the same under Node 24', async () => {
    expect(existsSync(NODE24)).toBe(true)
    const j = job({ node: NODE24 })
    expect((await j.run('pre')).code).toBe(0)
    expect((await j.run('main')).code).toBe(0)
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(1)
  })

  test('matrix values are appended to the phase', async () => {
    const j = job({ job: 'test', matrix: { os: 'ubuntu', node: 20 } })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))[0]?.phase).toBe('test (ubuntu, 20)')
  })

  test('without pre (local `uses: ./`) the start comes from the Jobs API and is marked estimated', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000
    const startedAt = new Date(now - 90_000).toISOString().replace(/\.\d+Z$/, 'Z')
    server.setJobs(1001, 1, [
      {
        id: 556,
        run_id: 1001,
        run_attempt: 1,
        name: 'build',
        status: 'in_progress',
        conclusion: null,
        created_at: new Date(now - 100_000).toISOString(),
        started_at: startedAt,
        completed_at: null,
        runner_name: 'GitHub Actions 7',
        steps: [],
      },
    ])
    const j = job({ jobId: 556 })
    await j.run('main')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    const row = rowsOf(await server.readFile(REGISTRY, CI_FILE))[0]!
    expect(row.start_time_utc).toBe(startedAt)
    expect(row.flags).toContain('start=estimated')
    expect(Number(row.duration_seconds)).toBeGreaterThanOrEqual(89)
    expect(row.queue_seconds).toBe('10')
  })
})

describe('many writers, one branch', () => {
  test('24 matrix jobs finishing together: 24 rows, 24 row_ids, one PR comment listing all 24; a new push updates it', async () => {
    server.raceWindowMs = 5
    server.addPullRequest({ number: 7, head_sha: 'b'.repeat(40) })
    const matrixRun = (runId: number, shards: number): SimulatedJob[] =>
      Array.from({ length: shards }, (_, i) =>
        job({
          job: 'test',
          runId,
          jobId: runId * 100 + i,
          matrix: { shard: i },
          event: prEvent(7),
          // 24 processes on a small shared machine: patience for the CPU, not for GitHub.
          with: { 'max-wait': '3m' },
        }),
      )
    const first = matrixRun(11, 24)
    for (const j of first) expect((await j.run('pre')).code).toBe(0)
    const posts = await Promise.all(first.map((j) => j.run('post')))
    for (const p of posts) expect(p.code).toBe(0)
    for (const p of posts) expect(p.commands.filter((c) => c.kind === 'warning')).toEqual([])
    const rows = rowsOf(await server.readFile(REGISTRY, CI_FILE))
    expect(rows).toHaveLength(24)
    expect(new Set(rows.map((r) => r.row_id)).size).toBe(24)

    const comments = server.comments(7)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body.startsWith('<!-- build-timings:CI -->')).toBe(true)
    for (let i = 0; i < 24; i++) expect(comments[0]?.body).toContain(`test (${i})`)

    const second = matrixRun(12, 2)
    for (const j of second) await j.run('pre')
    for (const p of await Promise.all(second.map((j) => j.run('post')))) expect(p.code).toBe(0)
    const after = server.comments(7)
    expect(after.map((c) => c.id)).toEqual([comments[0]?.id])
    expect(after[0]?.body).not.toContain('test (23)')
    expect(after[0]?.body).toContain('test (1)')
  }, 300_000)

  test('running post twice with the same state leaves one row', async () => {
    const j = job({ jobId: 42 })
    await j.run('pre')
    expect((await j.run('post')).code).toBe(0)
    const again = await j.run('post')
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already in')
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(1)
  })
})

describe('registry files people already have', () => {
  test('a legacy 9-column file keeps its bytes as a prefix and gains one 9-column row', async () => {
    const legacy =
      'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path\n' +
      '2026-01-24T10:15:03Z,2026-01-24T10:20:03Z,deploy-persistent,ci,persistent,300,0,,logs/deploy.log\n'
    await server.commitFile(REGISTRY, CI_FILE, legacy)
    const j = job()
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    const file = (await server.readFile(REGISTRY, CI_FILE)) as string
    expect(file.startsWith(legacy)).toBe(true)
    const added = file.slice(legacy.length).trimEnd().split('\n')
    expect(added).toHaveLength(1)
    expect(parse(added[0] as string)[0]).toHaveLength(9)
    expect(post.commands.some((c) => c.kind === 'notice' && /status/.test(c.message))).toBe(true)
  })

  test('a registry over 1 MiB (no content in the JSON answer) is read raw and moved whole to history/', async () => {
    const line = (i: number): string =>
      `2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,old-${i},ci,${i},60,0,,,,,,success,cli,,,,,,,,,,,none,,,,cli/ci/${i}/old-${i}/2026-01-01T00:00:00Z${','.repeat(COLUMNS.length - 29)}\n`
    let big = `${HEADER_LINE}\n`
    for (let i = 0; big.length < 1_200_000; i++) big += line(i)
    await server.commitFile(REGISTRY, CI_FILE, big)
    const j = job()
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    // The bounded registry (README "The registry"): the append that finds latest/ past the bound rotates it, bytes unchanged.
    expect(await server.readFile(REGISTRY, 'environments/ci/history/20260101T000000Z.csv')).toBe(big)
    const file = (await server.readFile(REGISTRY, CI_FILE)) as string
    expect(file.startsWith(`${HEADER_LINE}\n`)).toBe(true)
    expect(rowsOf(file)).toHaveLength(1)
  })

  test('a registry file that is not CSV is never rewritten; the row is kept and shown', async () => {
    const broken = 'start_time_utc,phase\n"unclosed,quote\n'
    await server.commitFile(REGISTRY, CI_FILE, broken)
    const j = job()
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(await server.readFile(REGISTRY, CI_FILE)).toBe(broken)
    const warnings = post.commands.filter((c) => c.kind === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toContain(CI_FILE)
    expect(post.summary).toContain(HEADER_LINE)
    expect(existsSync(`${j.dir}/temp/build-timings/spool.csv`)).toBe(true)
  })
})

describe('trouble ends with exit 0 and one clear line', () => {
  test('a fork PR (read-only token): no write attempted, a notice, the row in the summary', async () => {
    const readOnly = 'ghs_' + 'R0r1R2r3R4r5R6r7R8r9R0r1R2r3R4r5R6r7'
    server.addToken(readOnly, { contents: 'read', pullRequests: 'read', actions: 'read' })
    const j = job({ token: readOnly, event: prEvent(9, 'stranger/widgets') })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(server.writes()).toEqual([])
    expect(
      post.commands
        .filter((c) => c.kind === 'notice')
        .map((c) => c.message)
        .join(),
    ).toMatch(/fork/)
    expect(post.commands.filter((c) => c.kind === 'warning')).toEqual([])
    expect(post.summary).toContain(HEADER_LINE)
    expect(leaks(post.stdout, post.summary)).toBe(false)
  })

  test('a missing registry branch is created as an orphan holding only the registry file', async () => {
    expect(await server.branchExists(REGISTRY)).toBe(false)
    const j = job()
    await j.run('pre')
    expect((await j.run('post')).code).toBe(0)
    const commits = await server.commits(REGISTRY)
    expect(commits).toHaveLength(1)
    expect(commits[0]?.parents).toEqual([])
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(1)
  })

  test('a 5xx burst is retried and the row still lands', async () => {
    await server.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
    server.injectFault({ method: 'PUT', status: 502, times: 2 })
    const j = job()
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(1)
  })

  test('a secondary rate limit is waited out', async () => {
    await server.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
    server.injectFault({
      method: 'PUT',
      status: 403,
      headers: { 'retry-after': '1' },
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
    })
    const j = job()
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(1)
  })

  test('an API that keeps failing: one warning, the row kept and shown, exit 0', async () => {
    server.injectFault({ status: 503, times: 1000 })
    const j = job()
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    const warnings = post.commands.filter((c) => c.kind === 'warning')
    expect(warnings).toHaveLength(1)
    expect(post.summary).toContain(HEADER_LINE)
  }, 120_000)

  test('a malformed budgets file: a warning naming file, line and column, and the row without budgets', async () => {
    const j = job({ files: { '.github/build-budgets.yml': 'phases:\n  build: { target: 1m, max: soon }\n' } })
    await j.run('pre')
    const main = await j.run('main')
    // One warning per job (README "The GitHub Action"), from post; main only logs it.
    expect(main.commands.filter((c) => c.kind === 'warning')).toEqual([])
    expect(main.stdout).toMatch(/\.github\/build-budgets\.yml:2:\d+/)
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(post.commands.find((c) => c.kind === 'warning')?.message).toMatch(
      /\.github\/build-budgets\.yml:2:\d+/,
    )
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))[0]?.budget_status).toBe('none')
  })

  test('environment ../../etc is refused by name and nothing is written', async () => {
    const j = job({ with: { environment: '../../etc' } })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    const warnings = post.commands.filter((c) => c.kind === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toMatch(/environment "\.\.\/\.\.\/etc"/)
    expect(server.writes()).toEqual([])
  })
})

describe('caches', () => {
  test('declared caches are looked up without download and merged with cache-hits', async () => {
    const runtimeToken = 'runtime-token-for-the-cache-service'
    server.addToken(runtimeToken, {})
    server.addCacheEntry('npm-linux-abc')
    server.addCacheEntry('gradle-linux-old')
    const j = job({
      with: {
        'cache-hits': 'docker=true',
        'cache-probes': [
          'npm: { key: npm-linux-abc, path: ~/.npm, restore-keys: npm-linux- }',
          'gradle: { key: gradle-linux-new, path: ~/.gradle/caches, restore-keys: gradle-linux- }',
          'pip: { key: pip-linux-1, path: ~/.cache/pip }',
        ].join('\n'),
      },
      files: { '.github/build-budgets.yml': 'cache: { hit-rate-target: 85%, hit-rate-alert: 70% }\n' },
      extraEnv: {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: `${server.url}/`,
        ACTIONS_RUNTIME_TOKEN: runtimeToken,
      },
    })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    const row = rowsOf(await server.readFile(REGISTRY, CI_FILE))[0]!
    expect([row.cache_hits, row.cache_lookups]).toEqual(['3', '4'])
    expect(post.summary).toMatch(/npm[^\n]*exact/i)
    expect(post.summary).toMatch(/gradle[^\n]*(partial|restore)/i)
    expect(post.summary).toMatch(/pip[^\n]*miss/i)
    expect(post.summary).toMatch(/75 ?%/)
  })

  test('without the cache service the probes are skipped, and the row still lands', async () => {
    const j = job({ with: { 'cache-probes': 'npm: { key: npm-1, path: ~/.npm }' } })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('cache-probes skipped')
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))[0]?.cache_lookups).toBe('')
  })
})

describe('inputs that only shape the report', () => {
  test('a bad fail-on is one warning in main, and the row is still recorded', async () => {
    const j = job({ with: { 'fail-on': 'sometimes' } })
    await j.run('pre')
    const main = await j.run('main')
    expect(main.commands.filter((c) => c.kind === 'warning').map((c) => c.message)).toEqual([
      expect.stringMatching(/fail-on "sometimes" is not one of never, over-max, timeout/),
    ])
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(post.commands.filter((c) => c.kind === 'warning')).toEqual([])
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(1)
  })
})

describe('budgets and reports', () => {
  const budgets = 'phases:\n  build: { target: 1s, max: 2s, timeout: 1h }\n'

  test('a job over its max shows the verdict in the row, the PR comment and the job summary', async () => {
    server.addPullRequest({ number: 8, head_sha: 'b'.repeat(40) })
    const j = job({ files: { '.github/build-budgets.yml': budgets }, event: prEvent(8) })
    await j.run('pre')
    await sleep(3100)
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))[0]?.budget_status).toBe('over_max')
    expect(server.comments(8)[0]?.body).toMatch(/over max/i)
    expect(post.summary).toMatch(/over max/i)
  })

  test('the summary ranks ten steps by their Jobs API durations, skipping the unfinished one', async () => {
    const t0 = Date.UTC(2026, 10, 22, 12, 0, 0)
    const at = (s: number): string => new Date(t0 + s * 1000).toISOString().replace('.000Z', 'Z')
    const spans = [3, 40, 7, 120, 1, 15, 60, 2, 9]
    let clock = 0
    const steps: StepFixture[] = spans.map((d, i) => {
      const step: StepFixture = {
        name: `step ${i + 1}`,
        status: 'completed',
        conclusion: 'success',
        number: i + 1,
        started_at: at(clock),
        completed_at: at(clock + d),
      }
      clock += d
      return step
    })
    steps.push({
      name: 'Post build-timings',
      status: 'in_progress',
      conclusion: null,
      number: 10,
      started_at: at(clock),
      completed_at: null,
    })
    server.setJobs(1001, 1, [
      {
        id: 777,
        run_id: 1001,
        run_attempt: 1,
        name: 'build',
        status: 'in_progress',
        conclusion: null,
        created_at: at(-5),
        started_at: at(0),
        completed_at: null,
        steps,
      },
    ])
    const j = job({ jobId: 777 })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    const ranked = [...post.summary.matchAll(/\|\s*\d+\s*\|\s*(step \d+)\s*\|/g)].map((m) => m[1])
    // spans 3, 40, 7, 120, 1, 15, 60, 2, 9 seconds for steps 1..9, longest first
    expect(ranked).toEqual([
      'step 4',
      'step 7',
      'step 2',
      'step 6',
      'step 9',
      'step 3',
      'step 1',
      'step 8',
      'step 5',
    ])
    expect(post.summary).not.toMatch(/\|\s*\d+\s*\|\s*Post build-timings/)
    expect(post.summary).toContain('gantt')
  })

  test('a job over its max fails only with fail-on: over-max', async () => {
    for (const failOn of ['never', 'over-max']) {
      const j = job({
        files: { '.github/build-budgets.yml': budgets },
        with: { 'fail-on': failOn },
        jobId: failOn === 'never' ? 1 : 2,
      })
      await j.run('pre')
      await sleep(3100)
      const post = await j.run('post')
      expect(post.outputs['budget-status']).toBe('over_max')
      expect(post.code).toBe(failOn === 'over-max' ? 1 : 0)
    }
    const rows = rowsOf(await server.readFile(REGISTRY, CI_FILE))
    expect(rows.map((r) => [r.budget_status, r.budget_target_seconds, r.budget_max_seconds])).toEqual([
      ['over_max', '1', '2'],
      ['over_max', '1', '2'],
    ])
  })
})
