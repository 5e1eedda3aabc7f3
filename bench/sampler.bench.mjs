// The resource sampler's own cost (docs/export.md: a few KB of memory, ≤ 1 % of one core): the detached
// sampler's CPU (its shell plus the `sleep` children it reaps) and memory over a sampled stretch, and the
// time that starting it adds to `main` and stopping it adds to `post`.
//
//   node bench/sampler.bench.mjs            # 30 s of sampling at the default 1 s interval
//   SECONDS_RUN=60 node bench/sampler.bench.mjs
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOT = resolve(import.meta.dirname, '..')
const RUN_SECONDS = Number(process.env.SECONDS_RUN ?? 30)
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

const build = mkdtempSync(join(tmpdir(), 'bt-sampler-build-'))
execFileSync('npx', ['ncc', 'build', 'src/telemetry/sampler.ts', '-o', build, '--quiet'], { cwd: ROOT })
const { startSampler, stopSampler } = await import(pathToFileURL(join(build, 'index.js')).href)

/** utime + stime + cutime + cstime of a process, in seconds (fields 14–17 of /proc/PID/stat). */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS
}
function memKb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1])
  let pss = NaN
  try {
    pss = Number(/Pss:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1])
  } catch {
    // smaps_rollup needs Linux 4.14+; the RSS is still shown
  }
  return { rss, pss }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
)
const dir = mkdtempSync(join(tmpdir(), 'bt-sampler-'))
try {
  const t0 = process.hrtime.bigint()
  const handle = startSampler(dir)
  const startMs = ms(t0)
  await new Promise((r) => setTimeout(r, 500))
  const cpu0 = cpuSeconds(handle.pid)
  const wall0 = Date.now()
  const mem = []
  for (let s = 0; s < RUN_SECONDS; s++) {
    await new Promise((r) => setTimeout(r, 1000))
    mem.push(memKb(handle.pid))
  }
  const cpuPercent = ((cpuSeconds(handle.pid) - cpu0) / ((Date.now() - wall0) / 1000)) * 100
  const t1 = process.hrtime.bigint()
  const usage = stopSampler(handle)
  const stopMs = ms(t1)

  // Start and stop alone, repeated, for a steadier figure than the one pair above.
  const starts = []
  const stops = []
  for (let i = 0; i < 20; i++) {
    const a = process.hrtime.bigint()
    const h = startSampler(dir)
    starts.push(ms(a))
    await new Promise((r) => setTimeout(r, 50))
    const b = process.hrtime.bigint()
    stopSampler(h)
    stops.push(ms(b))
  }
  console.log(`sampled ${RUN_SECONDS} s at a 1 s interval`)
  console.log(`sampler CPU: ${cpuPercent.toFixed(2)} % of one core (shell + reaped sleep children)`)
  console.log(
    `sampler memory: RSS median ${median(mem.map((m) => m.rss))} KiB, max ${Math.max(...mem.map((m) => m.rss))} KiB; PSS median ${median(mem.map((m) => m.pss))} KiB`,
  )
  console.log(
    `start (added to main): first ${startMs.toFixed(1)} ms, median of 20 ${median(starts).toFixed(1)} ms`,
  )
  console.log(
    `stop (added to post): first ${stopMs.toFixed(1)} ms, median of 20 ${median(stops).toFixed(1)} ms`,
  )
  console.log(`usage seen: ${JSON.stringify(usage)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
  rmSync(build, { recursive: true, force: true })
}
