/**
 * Resources a job used (docs/export.md), from Linux's /proc counters read at the job's start and end, plus the
 * memory peak a sampler saw in between. Counters are machine-wide: a CI runner (or a laptop's `run`) is the
 * job's machine, and per-process counters would miss the containers and daemons a build starts.
 */

/** Machine-wide counters at one instant; a field is undefined when its /proc file was unreadable. */
export interface ProcSnapshot {
  /** Jiffies spent busy and in total, summed over all CPUs (`/proc/stat`'s `cpu` line). */
  cpu?: { busy: number; total: number }
  /** MemTotal − MemAvailable, in KiB (`/proc/meminfo`). */
  memUsedKb?: number
  /** 512-byte sectors read and written by whole disks (`/proc/diskstats`). */
  disk?: { readSectors: number; writtenSectors: number }
  /** Bytes received and sent by every interface but loopback (`/proc/net/dev`). */
  net?: { rxBytes: number; txBytes: number }
}

/** What a row stores (the six columns after row_id). */
export interface ResourceUsage {
  /** Busy share of the machine's CPUs over the job, 0..100. */
  cpuAvgPercent?: number
  memPeakMb?: number
  diskReadMb?: number
  diskWriteMb?: number
  netRxMb?: number
  netTxMb?: number
}

const MIB = 1024 * 1024
const SECTOR = 512

/** `cpu  user nice system idle iowait irq softirq steal guest guest_nice`: guest time is already in user. */
export function parseProcStat(text: string): ProcSnapshot['cpu'] {
  const line = text.split('\n').find((l) => l.startsWith('cpu '))
  if (!line) return undefined
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number)
  if (v.length < 4 || v.some((n) => !Number.isFinite(n))) return undefined
  const total = v.reduce((a, b) => a + b, 0)
  const idle = (v[3] ?? 0) + (v[4] ?? 0)
  return { busy: total - idle, total }
}

export function parseMeminfo(text: string): number | undefined {
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)
    return m ? Number(m[1]) : undefined
  }
  const total = field('MemTotal')
  // Kernels before 3.14 have no MemAvailable; free + buffers + cached is what `free` showed then.
  const available =
    field('MemAvailable') ?? sum([field('MemFree'), field('Buffers'), field('Cached')].filter(isNum))
  if (total === undefined || available === undefined) return undefined
  return Math.max(0, total - available)
}

/**
 * Whole disks only: partitions repeat their disk's sectors, device-mapper and md devices repeat their
 * members', and loop/ram/zram devices are memory or files already counted on a disk.
 */
const WHOLE_DISK = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/

export function parseDiskstats(text: string): ProcSnapshot['disk'] {
  let readSectors = 0
  let writtenSectors = 0
  let seen = false
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10 || !WHOLE_DISK.test(f[2] ?? '')) continue
    const r = Number(f[5])
    const w = Number(f[9])
    if (!Number.isFinite(r) || !Number.isFinite(w)) continue
    readSectors += r
    writtenSectors += w
    seen = true
  }
  return seen ? { readSectors, writtenSectors } : undefined
}

export function parseNetDev(text: string): ProcSnapshot['net'] {
  let rxBytes = 0
  let txBytes = 0
  let seen = false
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim()
    if (!name || name === 'lo' || name.includes('|')) continue
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number)
    if (f.length < 9 || !isNum(f[0]) || !isNum(f[8])) continue
    rxBytes += f[0]
    txBytes += f[8]
    seen = true
  }
  return seen ? { rxBytes, txBytes } : undefined
}

/**
 * Usage between two snapshots. A counter that went backwards (a wrap, a hot-unplugged disk) counts as
 * nothing rather than as a negative figure; a figure with a missing side is left unknown.
 */
export function resourceUsage(
  start: ProcSnapshot,
  end: ProcSnapshot,
  memPeakKb: readonly (number | undefined)[] = [],
): ResourceUsage {
  const usage: ResourceUsage = {}
  if (start.cpu && end.cpu) {
    const total = end.cpu.total - start.cpu.total
    const busy = end.cpu.busy - start.cpu.busy
    if (total > 0) usage.cpuAvgPercent = round1(clamp((busy / total) * 100, 0, 100))
  }
  const peaks = [start.memUsedKb, end.memUsedKb, ...memPeakKb].filter(isNum)
  if (peaks.length) usage.memPeakMb = round1(Math.max(...peaks) / 1024)
  if (start.disk && end.disk) {
    usage.diskReadMb = mb((end.disk.readSectors - start.disk.readSectors) * SECTOR)
    usage.diskWriteMb = mb((end.disk.writtenSectors - start.disk.writtenSectors) * SECTOR)
  }
  if (start.net && end.net) {
    usage.netRxMb = mb(end.net.rxBytes - start.net.rxBytes)
    usage.netTxMb = mb(end.net.txBytes - start.net.txBytes)
  }
  return usage
}

/** A cell value: one decimal at most, empty when unknown. */
export function usageCell(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : String(round1(value))
}

const mb = (bytes: number): number => round1(Math.max(0, bytes) / MIB)
const round1 = (n: number): number => Math.round(n * 10) / 10
const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n))
const sum = (values: number[]): number | undefined =>
  values.length ? values.reduce((a, b) => a + b, 0) : undefined
function isNum(n: number | undefined): n is number {
  return typeof n === 'number' && Number.isFinite(n)
}
