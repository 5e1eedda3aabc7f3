// `build-timings report` over a generated registry of ROWS rows (default 1,000,000), through the committed
// bundle as users run it, side by side with DuckDB (@duckdb/node-api, bench/duckdb-report.mjs) answering the
// same per-phase percentiles over the same file. Runs alternate (report, DuckDB, report, DuckDB…) so that
// both see the same load on a shared machine. Measures wall time and each process's peak RSS (getrusage
// maxrss, read at exit through a preloaded hook), checks that both agree on every group's p50/p90/p95/max,
// and writes the figures to bench/results/report-vs-duckdb.json.
//
//   node bench/report.bench.mjs            # 1,000,000 rows, 3 runs each
//   ROWS=100000 RUNS=1 node bench/report.bench.mjs
import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { once } from 'node:events'
import { generate, peakRssMb } from './lib.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const BUNDLE = join(ROOT, 'dist/cli/index.js')
const DUCKDB = join(ROOT, 'bench/duckdb-report.mjs')
// Peak RSS as lib.mjs's hook reports it, plus the CPU time used (DuckDB works on both cores, the report on one).
const HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\nBENCH_MAXRSS_KB='+u.maxRSS+'\\nBENCH_CPU_US='+(u.userCPUTime+u.systemCPUTime)+'\\n')})`
const cpuSeconds = (stderr) => Number(/BENCH_CPU_US=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1e6
const ROWS = Number(process.env.ROWS ?? 1_000_000)
const RUNS = Number(process.env.RUNS ?? 3)

async function measure(args) {
  const started = process.hrtime.bigint()
  const child = spawn(process.execPath, ['--import', HOOK, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const [code] = await once(child, 'close')
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (code !== 0) throw new Error(`${args[0]} exited ${code}: ${stderr}`)
  return { seconds, cpu: cpuSeconds(stderr), rssMb: peakRssMb(stderr), groups: JSON.parse(stdout).groups }
}

const same = (a, b) => Math.abs(a - b) < 1e-6
function agree(report, duck) {
  const key = (g) => `${g.env}/${g.phase}`
  const byKey = new Map(duck.map((g) => [key(g), g]))
  const off = report.filter((g) => {
    const d = byKey.get(key(g))
    return (
      !d ||
      g.runs !== d.runs ||
      !same(g.p50, d.p50) ||
      !same(g.p90, d.p90) ||
      !same(g.p95, d.p95) ||
      !same(g.max, d.max)
    )
  })
  return off.length === 0 && report.length === duck.length
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
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`
  console.log(`machine: ${machine}`)
  const runs = []
  for (let run = 1; run <= RUNS; run++) {
    const load = loadavg()[0]
    const report = await measure([BUNDLE, 'report', '--registry', `file:${registry}`, '--format', 'json'])
    const duck = await measure([DUCKDB, registry])
    const ratio = report.seconds / duck.seconds
    const agreed = agree(report.groups, duck.groups)
    runs.push({
      run,
      load_average: Number(load.toFixed(2)),
      report: {
        seconds: Number(report.seconds.toFixed(2)),
        cpu_seconds: Number(report.cpu.toFixed(2)),
        peak_rss_mb: Math.round(report.rssMb),
      },
      duckdb: {
        seconds: Number(duck.seconds.toFixed(2)),
        cpu_seconds: Number(duck.cpu.toFixed(2)),
        peak_rss_mb: Math.round(duck.rssMb),
      },
      ratio: Number(ratio.toFixed(2)),
      groups: report.groups.length,
      same_percentiles: agreed,
    })
    console.log(
      `run ${run} (load ${load.toFixed(1)}): report ${report.seconds.toFixed(2)}s (cpu ${report.cpu.toFixed(2)}s) ${report.rssMb.toFixed(0)} MiB | DuckDB ${duck.seconds.toFixed(2)}s (cpu ${duck.cpu.toFixed(2)}s) ${duck.rssMb.toFixed(0)} MiB | ratio ${ratio.toFixed(2)} | ${report.groups.length} groups, percentiles ${agreed ? 'agree' : 'DIFFER'}`,
    )
  }
  const out = join(ROOT, 'bench/results/report-vs-duckdb.json')
  await writeFile(
    out,
    `${JSON.stringify({ recorded: new Date().toISOString(), rows: ROWS, mib: Math.round(size / 2 ** 20), machine, runs }, null, 2)}\n`,
  )
  console.log(`wrote ${out}`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
