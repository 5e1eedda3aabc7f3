import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InProcessSampler, SAMPLER_TAG, startSampler, stopSampler } from '../../src/telemetry/sampler.js'

const linux = existsSync('/proc/meminfo')
const maybe = linux ? test : test.skip
if (!linux) console.log('sampler tests skipped: no /proc on this machine')

const alive = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(SAMPLER_TAG)
  } catch {
    return false
  }
}
const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (cond()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return cond()
}

describe('detached sampler over the real /proc', () => {
  let dir: string
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bt-sampler-'))))
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  maybe('runs detached, records a memory peak, and post stops it and gets every figure', async () => {
    const handle = startSampler(dir, { intervalSeconds: 0.2 })
    expect(handle.pid).toBeGreaterThan(0)
    expect(await waitFor(() => existsSync(handle.peakFile), 3000)).toBe(true)
    const usage = stopSampler(JSON.parse(JSON.stringify(handle)))
    expect(await waitFor(() => !alive(handle.pid as number), 3000)).toBe(true)
    expect(usage.memPeakMb).toBeGreaterThan(0)
    expect(usage.cpuAvgPercent).toBeGreaterThanOrEqual(0)
    expect(usage.cpuAvgPercent).toBeLessThanOrEqual(100)
    expect(usage.netRxMb).toBeGreaterThanOrEqual(0)
    expect(existsSync(handle.peakFile)).toBe(false)
  })

  maybe('stops by itself when its directory disappears', async () => {
    const handle = startSampler(dir, { intervalSeconds: 0.1 })
    expect(await waitFor(() => alive(handle.pid as number), 3000)).toBe(true)
    rmSync(dir, { recursive: true, force: true })
    expect(await waitFor(() => !alive(handle.pid as number), 3000)).toBe(true)
  })

  maybe('never signals a process that is not the sampler it started (a reused pid)', async () => {
    const other = spawn('sleep', ['5'], { detached: true, stdio: 'ignore' })
    const pid = other.pid as number
    const usage = stopSampler({ pid, peakFile: join(dir, 'none.peak'), start: {} })
    expect(Object.keys(usage)).toEqual(['memPeakMb'])
    await new Promise((r) => setTimeout(r, 200))
    expect(other.exitCode).toBeNull()
    expect(other.signalCode).toBeNull()
    process.kill(-pid, 'SIGKILL')
  })

  maybe('in-process sampler (CLI run)', async () => {
    const s = new InProcessSampler(20)
    await new Promise((r) => setTimeout(r, 100))
    const usage = s.stop()
    expect(usage.memPeakMb).toBeGreaterThan(0)
  })
})
