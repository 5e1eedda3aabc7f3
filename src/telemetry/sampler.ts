import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { resourceUsage, type ProcSnapshot, type ResourceUsage } from '../core/resources.js'
import { readMemUsedKb, readSnapshot } from './proc.js'

/** $0 of the sampler, so that `stopSampler` signals only a process it started (a pid can be reused). */
export const SAMPLER_TAG = 'build-timings-sampler'

/**
 * The detached sampler is a POSIX shell loop, not a Node process: it only has to watch the memory peak
 * (CPU, disk and network are counters, read at the start and the end), and dash doing that costs about
 * 1 MB of memory and one `sleep` fork a second, where a Node process would hold 40 MB for the whole job.
 * It also needs no bundle of its own: `pre` stays the smallest bundle and `main` carries this string.
 * It stops by itself after `$2` rounds or when its directory disappears (the runner's temp cleaned).
 */
const SCRIPT = `f=$1; n=$2; s=$3; m=$4; d=\${f%/*}; p=0; i=0
while [ "$i" -lt "$n" ] && [ -d "$d" ]; do
  t=; a=
  while read -r k v _; do
    case $k in MemTotal:) t=$v ;; MemAvailable:) a=$v; break ;; esac
  done < "$m"
  if [ -n "$t" ] && [ -n "$a" ] && [ $((t - a)) -gt "$p" ]; then p=$((t - a)); echo "$p" > "$f"; fi
  sleep "$s"
  i=$((i + 1))
done`

/** What main hands to post (as one state value): enough to stop the sampler and finish the figures. */
export interface SamplerHandle {
  pid?: number
  peakFile: string
  start: ProcSnapshot
  /** Where /proc was read (the host's /proc mounted in a container: `HOST_PROC`, as gopsutil has it). */
  procRoot?: string
}

export interface SamplerOptions {
  intervalSeconds?: number
  /** The sampler's own deadline: a GitHub job lasts 6 hours at most, a self-hosted one 5 days. */
  maxSeconds?: number
  procRoot?: string
  shell?: string
}

/** Takes the start counters and starts the detached memory sampler; never throws (fail open). */
export function startSampler(dir: string, opts: SamplerOptions = {}): SamplerHandle {
  const procRoot = opts.procRoot ?? '/proc'
  const interval = opts.intervalSeconds ?? 1
  const peakFile = join(dir, `${SAMPLER_TAG}-${randomUUID()}.peak`)
  const handle: SamplerHandle = { peakFile, start: readSnapshot(procRoot), procRoot }
  try {
    mkdirSync(dir, { recursive: true })
    const rounds = Math.ceil((opts.maxSeconds ?? 5 * 24 * 3600) / interval)
    const child = spawn(
      opts.shell ?? '/bin/sh',
      ['-c', SCRIPT, SAMPLER_TAG, peakFile, String(rounds), String(interval), join(procRoot, 'meminfo')],
      { detached: true, stdio: 'ignore' },
    )
    child.on('error', () => undefined)
    child.unref()
    handle.pid = child.pid
  } catch {
    // No sampler: the start and end counters still give CPU, disk, network and a memory figure.
  }
  return handle
}

/** Stops the sampler (if it is still the one we started) and returns the job's usage; never throws. */
export function stopSampler(handle: SamplerHandle): ResourceUsage {
  const end = readSnapshot(handle.procRoot ?? '/proc')
  if (handle.pid && isOurSampler(handle.pid, handle.peakFile)) {
    try {
      // The shell and its `sleep` share the group that `detached` gave them.
      process.kill(-handle.pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
  let peak: number | undefined
  try {
    const n = Number(readFileSync(handle.peakFile, 'utf8').trim())
    if (Number.isFinite(n) && n > 0) peak = n
  } catch {
    // Never written (the peak never rose above 0) or the sampler did not start.
  }
  rmSync(handle.peakFile, { force: true })
  return resourceUsage(handle.start, end, [peak])
}

function isOurSampler(pid: number, peakFile: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return cmdline.includes(SAMPLER_TAG) && cmdline.includes(peakFile)
  } catch {
    return false
  }
}

/** The same figures for a process that stays alive through the job (the CLI's `run`): a timer, no child. */
export class InProcessSampler {
  private readonly start: ProcSnapshot
  private peak: number | undefined
  private readonly timer: NodeJS.Timeout

  constructor(
    intervalMs = 1000,
    private readonly procRoot = '/proc',
  ) {
    this.start = readSnapshot(procRoot)
    this.timer = setInterval(() => {
      const used = readMemUsedKb(procRoot)
      if (used !== undefined && (this.peak === undefined || used > this.peak)) this.peak = used
    }, intervalMs)
    this.timer.unref()
  }

  stop(): ResourceUsage {
    clearInterval(this.timer)
    return resourceUsage(this.start, readSnapshot(this.procRoot), [this.peak])
  }
}

export function parseSamplerHandle(text: string): SamplerHandle | null {
  try {
    const v = JSON.parse(text) as SamplerHandle
    return typeof v?.peakFile === 'string' && typeof v.start === 'object' ? v : null
  } catch {
    return null
  }
}

/** The action's main: starts the sampler; the returned text is the state value post hands back to `finishSampling`. */
export function startSampling(tempDir: string, procRoot?: string): string {
  return JSON.stringify(startSampler(tempDir, { procRoot: procRoot || undefined }))
}

/** post: the job's usage, or undefined when main did not sample (an older main, `pre`-only, not Linux). */
export function finishSampling(state: string): ResourceUsage | undefined {
  const handle = state ? parseSamplerHandle(state) : null
  return handle ? stopSampler(handle) : undefined
}
