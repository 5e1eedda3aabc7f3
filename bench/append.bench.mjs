// The write path as registries grow: `build-timings record` appending one row to a file: registry of
// 10,000 / 100,000 / 300,000 rows, through the committed bundle. Every append reads and parses the whole
// file (to find the row_id and to judge the trend), so its cost grows with the file: this measures how much.
// The action's post does the same over the contents API, plus the network.
//
//   node bench/append.bench.mjs
//   SIZES=10000,50000 node bench/append.bench.mjs
import { spawn } from 'node:child_process'
import { copyFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { once } from 'node:events'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { generate, HOOK, peakRssMb } from './lib.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const BUNDLE = join(ROOT, 'dist/cli/index.js')
const SIZES = (process.env.SIZES ?? '10000,100000,300000').split(',').map(Number)

async function record(registry, i) {
  const started = process.hrtime.bigint()
  const args = ['--import', HOOK, BUNDLE, 'record', '--registry', `file:${registry}`, '--env', 'ci']
  args.push('--phase', `bench-${i}`, '--build-id', `b${i}`, '--exit-code', '0')
  args.push('--start', '2026-11-22T10:00:00Z', '--end', '2026-11-22T10:05:00Z')
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: ROOT })
  let stderr = ''
  child.stderr.on('data', (c) => (stderr += c))
  const [code] = await once(child, 'close')
  if (code !== 0) throw new Error(`record exited ${code}: ${stderr}`)
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rssMb: peakRssMb(stderr) }
}

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}`,
)
const dir = await mkdtemp(join(tmpdir(), 'bt-append-'))
try {
  const empty = join(dir, 'empty.csv')
  const base = await record(empty, 0)
  console.log(
    `empty registry: ${base.seconds.toFixed(2)}s, peak RSS ${base.rssMb.toFixed(0)} MiB (process start + one write)`,
  )
  for (const rows of SIZES) {
    const seed = join(dir, `seed-${rows}.csv`)
    await generate(seed, rows)
    const mib = statSync(seed).size / 2 ** 20
    const times = []
    let rss = 0
    for (let run = 1; run <= 3; run++) {
      const registry = join(dir, `run-${rows}-${run}.csv`)
      copyFileSync(seed, registry)
      const r = await record(registry, run)
      times.push(r.seconds)
      rss = Math.max(rss, r.rssMb)
    }
    console.log(
      `${rows.toLocaleString('en-US')} rows (${mib.toFixed(0)} MiB): ${times.map((t) => t.toFixed(2)).join(' / ')} s, peak RSS ${rss.toFixed(0)} MiB`,
    )
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
