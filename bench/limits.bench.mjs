// A matrix within GitHub's limits: N jobs of one run on a pull request whose comment exists finish at
// once and each records its row and updates the comment, against the local GitHub with GitHub's limits on
// (80 content-creating requests a minute per token, 403 + retry-after 60 beyond) and a round trip per
// request. The product's post path (the action's job timing, record, comment) against the simplest
// alternative, in the same run: a plain read-merge-write of the file with jittered retries and a comment
// upsert per job. Both stop waiting after 30 s (the product's max-wait).
//
//   node bench/limits.bench.mjs                  # 1, 8, 24, 48, 64 jobs, then mode: run with 256 jobs
//   SIZES=8,24 LATENCY_MS=40 node bench/limits.bench.mjs
//   CASES=run256 node bench/limits.bench.mjs     # only mode: run over 256 finished jobs (dist/main bundle)
//   OFFERS=0 ...          # no cache service: the posts do not share commits
//   CACHE_LATENCY_MS=200  # the cache service's round trip (default LATENCY_MS)
//   IDLE_WRITERS=1        # a job of the run in its post steps, first by id, that records nothing
//   ALTERNATIVE=0         # the product's path only
//
// Posts run in this process as concurrent tasks, each with its own client, so the numbers measure the
// protocol (requests, waits, conflicts), not the start of 64 node processes on a small machine.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '..')
const BUILD = join(ROOT, '.bench-build')
const SIZES = (process.env.SIZES ?? '1,8,24,48,64').split(',').map(Number)
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 40)
// The Actions cache service's round trip (its API, the archive up- and downloads); default as GitHub's.
const CACHE_LATENCY_MS = Number(process.env.CACHE_LATENCY_MS ?? LATENCY_MS)
const RACE_WINDOW_MS = Number(process.env.RACE_WINDOW_MS ?? 100)
const MAX_WAIT_MS = 30_000
const TOKEN = 'ghs_bench'
const REGISTRY = 'governance-registry'
const FILE = 'environments/ci/latest/build_timings.csv'
const PR = 7
const CASES = new Set((process.env.CASES ?? 'matrix,faults,run256,beside').split(','))
const RUN_JOBS = Number(process.env.RUN_JOBS ?? 256)
const FAULT_SIZES = (process.env.FAULT_SIZES ?? '6,24').split(',').map(Number)
const FAULT_PER_MINUTE = 10
const BESIDE_JOBS = Number(process.env.BESIDE_JOBS ?? 24)
const IDLE_WRITERS = Number(process.env.IDLE_WRITERS ?? 0)

// The sources and the local GitHub are TypeScript: compile them once into .bench-build (git-ignored).
execFileSync(
  'npx',
  ['tsc', '-p', 'tsconfig.json', '--noEmit', 'false', '--outDir', join(BUILD, 'src'), '--rootDir', 'src'],
  { cwd: ROOT, stdio: 'inherit' },
)
execFileSync(
  'npx',
  [
    'tsc',
    ...['--outDir', BUILD, '--rootDir', '__tests__', '--strict', '--skipLibCheck', '--esModuleInterop'],
    ...['--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--types', 'node'],
    '__tests__/support/github-server.ts',
    '__tests__/support/action-runner.ts',
  ],
  { cwd: ROOT, stdio: 'inherit' },
)
const load = (path) => import(pathToFileURL(join(BUILD, path)).href)
const { FakeGitHub } = await load('support/github-server.js')
const { SimulatedJob } = await load('support/action-runner.js')
const { createClient } = await load('src/github/octokit.js')
const { Deadline } = await load('src/core/deadline.js')
const { GitHubContentsStore } = await load('src/registry/github-contents.js')
const { recordTiming } = await load('src/app/record.js')
const { jobTiming } = await load('src/action/job-timing.js')
const { commentOnPr } = await load('src/action/job-outcome.js')
const { HEADER_LINE } = await load('src/core/schema.js')
const { NO_BUDGETS } = await load('src/core/budgets.js')
const { contentionAmong, landedIn } = await load('src/core/spread.js')
const { cacheOffers } = await load('src/action/offer-cache.js')
const { commentMarker } = await load('src/core/render/comment.js')
const { Octokit } = await import('@octokit/rest')

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const RUN_ID = 5000
// ALTERNATIVE=0: the product's post path only (quicker when trying a change; results always show both).
const PATHS = [
  ['product', productPost],
  ...(process.env.ALTERNATIVE === '0' ? [] : [['plain read-merge-write', plainPost]]),
]
const RUNTIME_TOKEN = 'bench-runtime-token'
// OFFERS=0 turns the Actions cache off for the product: writers then take turns one commit per row.
const OFFERS = process.env.OFFERS !== '0'
// The posts' workspace and runner temp: the offers' folders and @actions/cache's archives go there.
const WORKSPACE = mkdtempSync(join(tmpdir(), 'bt-bench-ws-'))
process.env.GITHUB_WORKSPACE = WORKSPACE
process.env.RUNNER_TEMP = WORKSPACE
// The toolkit logs every cache call to stdout as a runner step would; the bench prints only its tables.
const stdout = process.stdout.write.bind(process.stdout)
console.log = (...parts) => stdout(`${parts.join(' ')}\n`)
process.stdout.write = () => true
// As on a runner, steps run in the workspace (@actions/cache finds the paths it saves from there).
process.chdir(WORKSPACE)
process.on('exit', () => rmSync(WORKSPACE, { recursive: true, force: true }))

/** The job's cache service, as the runner hands it to every step. */
function cacheEnvOf(gh) {
  return OFFERS
    ? {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: `${gh.url}/`,
        ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
      }
    : {}
}

function contextOf(i, gh) {
  return {
    repository: 'acme/widgets',
    owner: 'acme',
    repo: 'widgets',
    eventName: 'pull_request',
    workflow: 'CI',
    job: 'test',
    runId: String(RUN_ID),
    runAttempt: '1',
    ref: `refs/pull/${PR}/merge`,
    sha: 'b'.repeat(40),
    prNumber: PR,
    runner: `runner-${i}`,
    actor: 'octocat',
    apiUrl: gh.url,
    serverUrl: 'https://github.com',
    workspace: '/tmp',
    runnerTemp: '/tmp',
    readOnlyReason: null,
  }
}

const jobIdOf = (i) => RUN_ID * 1000 + i
const phaseOf = (i) => `test (${i})`

/** The action's post, as post-job.ts wires it: job timing, record (read, append), comment. */
async function productPost(i, gh, started) {
  const deadline = Deadline.after(MAX_WAIT_MS, Date.now)
  const ctx = contextOf(i, gh)
  const client = createClient({ token: TOKEN, baseUrl: gh.url, deadline })
  const t0 = Date.now()
  if (process.env.BENCH_DEBUG) console.error(`${t0 % 100000} job ${i} starts`)
  const timing = await jobTiming(client, ctx, String(jobIdOf(i)))
  const t1 = Date.now()
  const share = timing.writers
    ? cacheOffers({
        registry: { owner: 'acme', repo: 'widgets', branch: REGISTRY },
        run: ctx,
        writers: timing.writers,
        env: cacheEnvOf(gh),
        log: process.env.BENCH_DEBUG
          ? (l) => console.error(`${Date.now() % 100000} job ${i}: ${l}`)
          : () => undefined,
      })
    : null
  const store = new GitHubContentsStore({
    client,
    owner: 'acme',
    repo: 'widgets',
    branch: REGISTRY,
    pathTemplate: 'environments/{env}/latest/build_timings.csv',
    deadline,
    spread: {
      contention: (text) => (timing.writers ? contentionAmong(timing.writers, landedIn(text, ctx)) : null),
      ...(share ? { share } : {}),
    },
    ...(process.env.BENCH_DEBUG
      ? {
          timing: {
            now: Date.now,
            random: Math.random,
            sleep: (ms) => (console.error(`${Date.now() % 100000} job ${i} waits ${ms} ms`), sleep(ms)),
          },
        }
      : {}),
  })
  const result = await recordTiming({
    event: {
      source: 'github',
      phase: phaseOf(i),
      env: 'ci',
      buildId: String(RUN_ID),
      start: new Date(started - 60_000),
      end: new Date(started),
      exitCode: 0,
      status: 'success',
      flags: '',
      repository: ctx.repository,
      runId: ctx.runId,
      runAttempt: ctx.runAttempt,
      jobId: String(jobIdOf(i)),
      jobKey: 'test',
      ref: ctx.ref,
      sha: ctx.sha,
      prNumber: PR,
      runner: ctx.runner,
      secrets: [TOKEN],
    },
    budgets: NO_BUDGETS,
    store,
    write: true,
  })
  const t2 = Date.now()
  // As post does: a job whose row another job wrote leaves the comment to that job.
  if (!result.problem && !result.outcome?.writtenByAnother) {
    const quiet = () => undefined
    await commentOnPr(ctx, {
      client,
      store,
      env: 'ci',
      budgets: NO_BUDGETS,
      log: { info: quiet, notice: quiet, warning: quiet },
      writers: timing.writers,
      deadline,
    })
  }
  if (process.env.BENCH_DEBUG)
    console.error(
      `job ${i}: jobs ${t1 - t0} ms, record ${t2 - t1} ms, comment ${Date.now() - t2} ms${result.problem ? `, kept: ${result.problem}` : ''}`,
    )
  return { kept: result.problem !== null }
}

/** The simplest alternative: read, merge, PUT with the sha, jittered retries; then upsert the comment. */
async function plainPost(i, gh, started) {
  const until = Date.now() + MAX_WAIT_MS
  const octokit = new Octokit({ auth: TOKEN, baseUrl: gh.url, log: { warn() {}, error() {} } })
  const owner = 'acme'
  const repo = 'widgets'
  const line = `${new Date(started - 60_000).toISOString()},${new Date(started).toISOString()},${phaseOf(i)},ci,${RUN_ID},60,0,,,,,,success,github,acme/widgets,${RUN_ID},1,${jobIdOf(i)},refs/pull/${PR}/merge,${'b'.repeat(40)},${PR},runner-${i},,,none,,,,gh/acme/widgets/${RUN_ID}/1/${jobIdOf(i)}/test-${i}\n`
  // Honour retry-after as GitHub asks, within the same patience as the product.
  const call = async (fn) => {
    for (;;) {
      try {
        return await fn()
      } catch (e) {
        const after = Number(e.response?.headers?.['retry-after'] ?? 0)
        if (e.status === 403 && after && Date.now() + after * 1000 < until) await sleep(after * 1000)
        else throw e
      }
    }
  }
  await call(() => octokit.rest.actions.getJobForWorkflowRun({ owner, repo, job_id: jobIdOf(i) }))
  let landed = false
  for (let attempt = 1; Date.now() < until && !landed; attempt++) {
    try {
      const got = await call(() => octokit.rest.repos.getContent({ owner, repo, path: FILE, ref: REGISTRY }))
      const text = Buffer.from(got.data.content, 'base64').toString('utf8')
      await call(() =>
        octokit.rest.repos.createOrUpdateFileContents({
          owner,
          repo,
          path: FILE,
          branch: REGISTRY,
          message: `row ${i}`,
          sha: got.data.sha,
          content: Buffer.from(text + line).toString('base64'),
        }),
      )
      landed = true
    } catch (e) {
      if (e.status !== 409 && e.status !== 422 && !(e.status >= 500)) break
      await sleep(Math.random() * 250 * Math.min(2 ** attempt, 16))
    }
  }
  if (!landed) return { kept: false }
  try {
    const got = await call(() => octokit.rest.repos.getContent({ owner, repo, path: FILE, ref: REGISTRY }))
    const rows = Buffer.from(got.data.content, 'base64').toString('utf8').split('\n')
    const body = `${commentMarker('CI')}\n${rows
      .filter((r) => r.includes(`,${RUN_ID},ci,`) || r.includes(`,ci,${RUN_ID},`))
      .map((r) => r.split(',')[2])
      .join('\n')}`
    const comments = await call(() =>
      octokit.rest.issues.listComments({ owner, repo, issue_number: PR, per_page: 100 }),
    )
    const mine = comments.data.find((c) => c.body?.startsWith(commentMarker('CI')))
    if (mine) await call(() => octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body }))
    else await call(() => octokit.rest.issues.createComment({ owner, repo, issue_number: PR, body }))
  } catch {
    // the row landed; the comment is what suffers
  }
  return { kept: false }
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function scenario(name, post, n, trouble = {}) {
  const gh = await FakeGitHub.start({
    limits: trouble.perMinute ? { perMinute: trouble.perMinute } : true,
    latencyMs: LATENCY_MS,
    cacheLatencyMs: CACHE_LATENCY_MS,
    raceWindowMs: RACE_WINDOW_MS,
  })
  try {
    gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
    gh.addToken(RUNTIME_TOKEN, {})
    // @actions/cache reads the runner's variables from the process.
    for (const k of ['ACTIONS_CACHE_SERVICE_V2', 'ACTIONS_RESULTS_URL', 'ACTIONS_RUNTIME_TOKEN'])
      delete process.env[k]
    Object.assign(process.env, cacheEnvOf(gh))
    gh.addPullRequest({ number: PR, head_sha: 'b'.repeat(40) })
    await gh.commitFile(REGISTRY, FILE, `${HEADER_LINE}\n`)
    const commitsBefore = (await gh.commits(REGISTRY)).length
    gh.addComment(PR, `${commentMarker('CI')}\nan earlier run`, 'github-actions[bot]')
    const now = Date.now()
    gh.setJobs(RUN_ID, 1, [
      // IDLE_WRITERS: jobs of the run in their post steps that record nothing (a checkout's cleanup), first by id.
      ...Array.from({ length: IDLE_WRITERS }, (_, i) => ({
        id: RUN_ID * 1000 - 1 - i,
        name: `lint (${i})`,
        status: 'in_progress',
        conclusion: null,
        started_at: new Date(now - 60_000).toISOString(),
        completed_at: null,
      })),
      ...Array.from({ length: n }, (_, i) => ({
        id: jobIdOf(i),
        name: phaseOf(i),
        status: 'in_progress',
        conclusion: null,
        started_at: new Date(now - 60_000).toISOString(),
        completed_at: null,
      })),
    ])
    if (trouble.faultRate) gh.injectFault({ status: 502, times: Infinity, rate: trouble.faultRate })
    const before = gh.requests.length
    // Jobs "finishing at once": their posts start within 300 ms of each other.
    const results = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        await sleep(Math.random() * 300)
        const started = Date.now()
        let kept = false
        let failed = false
        try {
          kept = (await post(i, gh, started)).kept
        } catch {
          failed = true
        }
        return { ms: Date.now() - started, kept, failed }
      }),
    )
    const requests = gh.requests.slice(before)
    const commits = (await gh.commits(REGISTRY)).length - commitsBefore
    const cacheRequests = gh.cache.requests.length
    const text = (await gh.readFile(REGISTRY, FILE)) ?? ''
    const landed = Array.from({ length: n }, (_, i) => text.includes(`,${phaseOf(i)},`)).filter(
      Boolean,
    ).length
    const kept = results.filter((r) => r.kept).length
    const puts = requests.filter((r) => r.method === 'PUT').length
    // GitHub counts GraphQL mutations only as content-creating; the identity query is none.
    const writes = requests.filter(
      (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.path.startsWith('/graphql'),
    ).length
    const comment = gh.comments(PR)[0]?.body ?? ''
    const shown = Array.from({ length: n }, (_, i) => comment.includes(phaseOf(i))).filter(Boolean).length
    const times = results.map((r) => r.ms).sort((a, b) => a - b)
    const copies = Array.from({ length: n }, (_, i) => text.split(`,${phaseOf(i)},`).length - 1)
    return {
      duplicates: copies.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
      failed: results.filter((r) => r.failed).length,
      max: times[times.length - 1] / 1000,
      name,
      n,
      landed,
      kept,
      lost: n - landed - kept,
      attemptsPerRow: landed ? puts / landed : NaN,
      commits,
      cachePerJob: cacheRequests / n,
      writesPerJob: writes / n,
      requestsPerJob: requests.length / n,
      refusals: gh.limitRefusals,
      p50: percentile(times, 50) / 1000,
      p95: percentile(times, 95) / 1000,
      shown,
    }
  } finally {
    await gh.close()
  }
}

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–')
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
if (CASES.has('matrix')) {
  console.log(
    `local GitHub: limits on (80/min), ${LATENCY_MS} ms per request (cache service ${CACHE_LATENCY_MS} ms${OFFERS ? '' : ', off'}), a PUT holds the branch ${RACE_WINDOW_MS} ms`,
  )
  console.log(
    '| jobs | post path | rows landed | kept | lost | commits | write attempts/row | content-creating/job | requests/job | cache service/job | 403 secondary | p50 s | p95 s | comment shows |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const n of SIZES) {
    for (const [name, post] of PATHS) {
      const r = await scenario(name, post, n)
      console.log(
        `| ${r.n} | ${r.name} | ${r.landed} | ${r.kept} | ${r.lost} | ${r.commits} | ${f(r.attemptsPerRow, 2)} | ${f(r.writesPerJob, 2)} | ${f(r.requestsPerJob)} | ${f(r.cachePerJob)} | ${r.refusals} | ${f(r.p50)} | ${f(r.p95)} | ${r.shown}/${r.n} |`,
      )
    }
  }
}

// 20 % of all requests answered 502 and a secondary limit of 10 content-creating requests a minute: every
// post must end within max-wait plus a few seconds with each row landed or kept, and none twice.
if (CASES.has('faults')) {
  console.log(
    `\n20 % 502s, limits on at ${FAULT_PER_MINUTE} writes a minute (retry-after 60), ${LATENCY_MS} ms per request, max-wait ${MAX_WAIT_MS / 1000} s`,
  )
  console.log(
    '| jobs | post path | rows landed | kept | lost | duplicates | threw | content-creating/job | requests/job | 403 secondary | p50 s | max s | comment shows |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|')
  for (const n of FAULT_SIZES) {
    for (const [name, post] of PATHS) {
      const r = await scenario(name, post, n, { perMinute: FAULT_PER_MINUTE, faultRate: 0.2 })
      console.log(
        `| ${r.n} | ${r.name} | ${r.landed} | ${r.kept} | ${r.lost} | ${r.duplicates} | ${r.failed} | ${f(r.writesPerJob, 2)} | ${f(r.requestsPerJob)} | ${r.refusals} | ${f(r.p50)} | ${f(r.max)} | ${r.shown}/${r.n} |`,
      )
    }
  }
}

/**
 * `mode: run` at scale: the dist/main bundle, run as the runner runs it, records a run of RUN_JOBS finished
 * jobs (attempt 2; attempt 1 holds other job ids that must not be recorded) on a pull request whose
 * comment exists, with GitHub's limits on. One commit, one comment write, every row of attempt 2.
 */
async function runMode(n) {
  const gh = await FakeGitHub.start({ limits: true, latencyMs: LATENCY_MS, raceWindowMs: RACE_WINDOW_MS })
  let job
  try {
    gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
    gh.addPullRequest({ number: PR, head_sha: 'b'.repeat(40) })
    await gh.commitFile(REGISTRY, FILE, `${HEADER_LINE}\n`)
    gh.addComment(PR, `${commentMarker('CI')}\nan earlier run`, 'github-actions[bot]')
    const now = Date.now()
    const at = (s) => new Date(now + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const finished = (attempt, i) => ({
      id: attempt * 100_000 + i,
      name: `test (${i})`,
      status: 'completed',
      conclusion: i % 17 === 0 ? 'failure' : 'success',
      created_at: at(-900),
      started_at: at(-895 + (i % 30)),
      completed_at: at(-300 + (i % 60)),
      runner_name: `runner-${i}`,
      steps: [],
    })
    gh.setJobs(
      RUN_ID,
      1,
      Array.from({ length: n }, (_, i) => finished(1, i)),
    )
    const selfId = 2 * 100_000 + n
    gh.setJobs(RUN_ID, 2, [
      ...Array.from({ length: n }, (_, i) => finished(2, i)),
      {
        id: selfId,
        name: 'timings',
        status: 'in_progress',
        conclusion: null,
        created_at: at(-10),
        started_at: at(-5),
        completed_at: null,
        runner_name: 'runner-timings',
        steps: [],
      },
    ])
    const commitsBefore = (await gh.commits(REGISTRY)).length
    const before = gh.requests.length
    job = new SimulatedJob({
      apiUrl: gh.url,
      token: TOKEN,
      runId: RUN_ID,
      runAttempt: 2,
      job: 'timings',
      jobId: selfId,
      with: { mode: 'run' },
      event: {
        name: 'pull_request',
        payload: {
          number: PR,
          pull_request: { number: PR, head: { sha: 'b'.repeat(40), repo: { full_name: 'acme/widgets' } } },
        },
      },
    })
    const t0 = Date.now()
    const main = await job.run('main')
    const wall = (Date.now() - t0) / 1000
    const requests = gh.requests.slice(before)
    const creating = requests.filter(
      (r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.path.startsWith('/graphql'),
    )
    const text = (await gh.readFile(REGISTRY, FILE)) ?? ''
    const rows = text.split('\n').slice(1).filter(Boolean)
    const ofAttempt2 = Array.from({ length: n }, (_, i) => text.includes(`,${2 * 100_000 + i},`)).filter(
      Boolean,
    ).length
    const ofAttempt1 = Array.from({ length: n }, (_, i) => text.includes(`,${100_000 + i},`)).filter(
      Boolean,
    ).length
    const commentWrites = requests.filter(
      (r) => (r.method === 'PATCH' || r.method === 'POST') && /\/issues\/(\d+\/)?comments/.test(r.path),
    ).length
    const comment = gh.comments(PR)[0]?.body ?? ''
    const jobPages = requests.filter((r) => /\/actions\/runs\/\d+\/(attempts\/\d+\/)?jobs/.test(r.path))
    const byRoute = {}
    for (const r of requests) {
      const route = `${r.method} ${r.path.replace(/\?.*$/, '')}`
      byRoute[route] = (byRoute[route] ?? 0) + 1
    }
    return {
      n,
      exit: main.code,
      warnings: main.commands.filter((c) => c.kind === 'warning').map((c) => c.message),
      requests: requests.length,
      creating: creating.length,
      refusals: gh.limitRefusals,
      commits: (await gh.commits(REGISTRY)).length - commitsBefore,
      rows: rows.length,
      ofAttempt2,
      ofAttempt1,
      jobPages: jobPages.map((r) => r.path),
      commentWrites,
      commentShows: Array.from({ length: n }, (_, i) => comment.includes(`test (${i})`)).filter(Boolean)
        .length,
      commentBytes: comment.length,
      byRoute,
      wall,
    }
  } finally {
    job?.cleanup()
    await gh.close()
  }
}

/**
 * `mode: run` beside per-job posts of the same run (same row_ids): N jobs post their rows, and the run's
 * `mode: run` job (dist/main bundle) records the run either after them (`needs:` the matrix) or while they
 * post. The registry must end with exactly N rows of the run, each once.
 */
async function beside(n, order) {
  const gh = await FakeGitHub.start({ limits: true, latencyMs: LATENCY_MS, raceWindowMs: RACE_WINDOW_MS })
  let job
  try {
    gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
    gh.addPullRequest({ number: PR, head_sha: 'b'.repeat(40) })
    await gh.commitFile(REGISTRY, FILE, `${HEADER_LINE}\n`)
    gh.addComment(PR, `${commentMarker('CI')}\nan earlier run`, 'github-actions[bot]')
    const now = Date.now()
    const matrix = (status) =>
      Array.from({ length: n }, (_, i) => ({
        id: jobIdOf(i),
        name: phaseOf(i),
        status,
        conclusion: status === 'completed' ? 'success' : null,
        started_at: new Date(now - 60_000).toISOString(),
        completed_at: status === 'completed' ? new Date(now).toISOString() : null,
        runner_name: `runner-${i}`,
        steps: [],
      }))
    const selfId = jobIdOf(n)
    const recorder = {
      id: selfId,
      name: 'timings',
      status: 'in_progress',
      conclusion: null,
      started_at: new Date(now).toISOString(),
      completed_at: null,
      runner_name: 'runner-timings',
      steps: [],
    }
    job = new SimulatedJob({
      apiUrl: gh.url,
      token: TOKEN,
      runId: RUN_ID,
      runAttempt: 1,
      job: 'timings',
      jobId: selfId,
      with: { mode: 'run' },
      event: {
        name: 'pull_request',
        payload: {
          number: PR,
          pull_request: { number: PR, head: { sha: 'b'.repeat(40), repo: { full_name: 'acme/widgets' } } },
        },
      },
    })
    const posts = async () =>
      Promise.all(
        Array.from({ length: n }, async (_, i) => {
          await sleep(Math.random() * 300)
          try {
            return (await productPost(i, gh, Date.now())).kept
          } catch {
            return false
          }
        }),
      )
    let kept
    let main
    if (order === 'after') {
      gh.setJobs(RUN_ID, 1, matrix('in_progress'))
      kept = (await posts()).filter(Boolean).length
      gh.setJobs(RUN_ID, 1, [...matrix('completed'), recorder])
      main = await job.run('main')
    } else {
      // The jobs are listed finished (the run-mode job sees them all) while their posts still write.
      gh.setJobs(RUN_ID, 1, [...matrix('completed'), recorder])
      ;[kept, main] = await Promise.all([posts().then((k) => k.filter(Boolean).length), job.run('main')])
    }
    const text = (await gh.readFile(REGISTRY, FILE)) ?? ''
    const rows = text
      .split('\n')
      .slice(1)
      .filter((r) => r.includes(`/${RUN_ID}/1/`))
    const ids = new Set(rows.map((r) => r.match(/gh\/acme\/widgets\/\d+\/1\/\d+\/[^,]*/)?.[0]))
    return { n, order, exit: main.code, rows: rows.length, distinct: ids.size, kept }
  } finally {
    job?.cleanup()
    await gh.close()
  }
}

if (CASES.has('beside')) {
  console.log(
    `\nmode: run beside ${BESIDE_JOBS} per-job posts of the same run, limits on (80/min), ${LATENCY_MS} ms per request, dist/main bundle for mode: run`,
  )
  console.log('| jobs | mode: run records | exit | rows of the run | distinct row_ids | per-job posts kept |')
  console.log('|---|---|---|---|---|---|')
  for (const order of ['after', 'alongside']) {
    const r = await beside(BESIDE_JOBS, order)
    console.log(
      `| ${r.n} | ${r.order === 'after' ? 'after the posts' : 'while they post'} | ${r.exit} | ${r.rows} | ${r.distinct} | ${r.kept} |`,
    )
  }
}

if (CASES.has('run256')) {
  console.log(
    `\nmode: run, ${RUN_JOBS} finished jobs (attempt 2 of the run), PR whose comment exists, limits on (80/min), ${LATENCY_MS} ms per request, dist/main bundle`,
  )
  const r = await runMode(RUN_JOBS)
  console.log(
    '| jobs | exit | requests | content-creating | 403 secondary | commits | rows landed | of attempt 2 | of attempt 1 | comment writes | comment shows | wall s (process) |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|')
  console.log(
    `| ${r.n} | ${r.exit} | ${r.requests} | ${r.creating} | ${r.refusals} | ${r.commits} | ${r.rows} | ${r.ofAttempt2} | ${r.ofAttempt1} | ${r.commentWrites} | ${r.commentShows}/${r.n} | ${f(r.wall, 2)} |`,
  )
  console.log(`Jobs API pages: ${r.jobPages.join(' ')}`)
  console.log(
    `requests: ${Object.entries(r.byRoute)
      .map(([k, v]) => `${v}× ${k}`)
      .join(', ')}`,
  )
  console.log(`comment: ${r.commentBytes} characters`)
  if (r.warnings.length) console.log(`warnings: ${r.warnings.join(' | ')}`)
}
