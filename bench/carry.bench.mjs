// What carrying kept rows through the Actions cache (src/action/carry-cache.ts) adds to a post that has
// nothing to carry: the committed post bundle, run as the runner runs it, against the local GitHub and its
// cache service, with and without a cache service in the job's environment, interleaved.
//
//   npm run bundle && node bench/carry.bench.mjs        # RUNS=10 by default
import { execFileSync } from 'node:child_process'
import { cpus, loadavg, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'

const ROOT = resolve(import.meta.dirname, '..')
const BUILD = join(ROOT, '.bench-build')
const RUNS = Number(process.env.RUNS ?? 10)
const TOKEN = 'ghs_bench'
const RUNTIME_TOKEN = 'runtime-bench'

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

const gh = await FakeGitHub.start()
gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
gh.addToken(RUNTIME_TOKEN, {})
const cacheEnv = {
  ACTIONS_CACHE_SERVICE_V2: 'true',
  ACTIONS_RESULTS_URL: `${gh.url}/`,
  ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
}

const times = { without: [], with: [] }
const cacheRequests = []
let runId = 7000
// A first post creates the registry branch; it is not measured.
const warmUp = new SimulatedJob({ apiUrl: gh.url, token: TOKEN, runId: ++runId })
await warmUp.run('pre')
await warmUp.run('post')
warmUp.cleanup()
for (let i = 0; i < RUNS; i++) {
  for (const kind of i % 2 ? ['with', 'without'] : ['without', 'with']) {
    const job = new SimulatedJob({
      apiUrl: gh.url,
      token: TOKEN,
      runId: ++runId,
      extraEnv: kind === 'with' ? cacheEnv : {},
    })
    await job.run('pre')
    const before = gh.cache.requests.length
    const t0 = performance.now()
    const post = await job.run('post')
    times[kind].push(performance.now() - t0)
    if (post.code !== 0) throw new Error(`post failed: ${post.stderr}`)
    if (kind === 'with') cacheRequests.push(gh.cache.requests.length - before)
    job.cleanup()
  }
}
await gh.close()

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const min = (xs) => Math.min(...xs)
const row = (name, xs) =>
  `| ${name} | ${Math.round(min(xs))} | ${Math.round(median(xs))} | ${Math.round(Math.max(...xs))} |`
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0].toFixed(2)}, node ${process.version}`,
)
console.log(`runs: ${RUNS} each, interleaved; a post with nothing to carry, registry healthy`)
console.log('| post | min ms | median ms | max ms |\n|---|---|---|---|')
console.log(row('no cache service (carrier skipped)', times.without))
console.log(row('cache service, nothing to carry', times.with))
console.log(`added (median): ${Math.round(median(times.with) - median(times.without))} ms`)
console.log(`cache-service requests per post: ${[...new Set(cacheRequests)].join(', ')}`)
