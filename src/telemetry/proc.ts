import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  parseDiskstats,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  type ProcSnapshot,
} from '../core/resources.js'

/** The machine's counters now; every file that cannot be read (not Linux, a locked-down container) is left out. */
export function readSnapshot(root = '/proc'): ProcSnapshot {
  const read = (name: string): string | undefined => {
    try {
      return readFileSync(join(root, name), 'utf8')
    } catch {
      return undefined
    }
  }
  const stat = read('stat')
  const meminfo = read('meminfo')
  const diskstats = read('diskstats')
  const netdev = read('net/dev')
  return {
    cpu: stat === undefined ? undefined : parseProcStat(stat),
    memUsedKb: meminfo === undefined ? undefined : parseMeminfo(meminfo),
    disk: diskstats === undefined ? undefined : parseDiskstats(diskstats),
    net: netdev === undefined ? undefined : parseNetDev(netdev),
  }
}

export function readMemUsedKb(root = '/proc'): number | undefined {
  try {
    return parseMeminfo(readFileSync(join(root, 'meminfo'), 'utf8'))
  } catch {
    return undefined
  }
}
