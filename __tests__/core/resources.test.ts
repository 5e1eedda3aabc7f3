import {
  parseDiskstats,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  resourceUsage,
  usageCell,
} from '../../src/core/resources.js'

const STAT = `cpu  100 5 50 800 20 1 4 0 7 0
cpu0 50 2 25 400 10 0 2 0 0 0
intr 123`
const MEMINFO = `MemTotal:       24684096 kB
MemFree:        20943644 kB
MemAvailable:   23035080 kB
Buffers:          100000 kB
`
const DISKSTATS = `   7       0 loop0 9 0 999 0 0 0 999 0 0 0 0 0 0 0 0 0 0
 253       0 vda 100 0 2048 10 50 0 4096 20 0 30 30 0 0 0 0 0 0
 253       1 vda1 90 0 2000 9 40 0 4000 18 0 28 28 0 0 0 0 0 0
 259       0 nvme0n1 1 0 1024 1 1 0 2048 1 0 1 1 0 0 0 0 0 0
 259       1 nvme0n1p1 1 0 1024 1 1 0 2048 1 0 1 1 0 0 0 0 0 0
 254       0 dm-0 5 0 500 0 5 0 500 0 0 0 0 0 0 0 0 0 0
 251       0 zram0 5 0 500 0 5 0 500 0 0 0 0 0 0 0 0 0 0`
const NETDEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 3753746    4454    0    0    0     0          0         0  3753746    4454    0    0    0     0       0          0
  eth0: 1000    15259    0    0    0     0          0         0  200   12267    0    0    0     0       0          0
  eth1:   24       0    0    0    0     0          0         0        6       0    0    0    0     0       0          0`

describe('/proc parsing', () => {
  test('cpu: busy is everything but idle and iowait; guest is already in user', () => {
    expect(parseProcStat(STAT)).toEqual({ busy: 160, total: 980 })
  })
  test('meminfo: used = MemTotal − MemAvailable, else free + buffers + cached', () => {
    expect(parseMeminfo(MEMINFO)).toBe(24684096 - 23035080)
    expect(parseMeminfo('MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\n')).toBe(600)
    expect(parseMeminfo('nothing here')).toBeUndefined()
  })
  test('diskstats: whole disks only (no partitions, dm, loop, zram)', () => {
    expect(parseDiskstats(DISKSTATS)).toEqual({ readSectors: 2048 + 1024, writtenSectors: 4096 + 2048 })
    expect(parseDiskstats('   7 0 loop0 1 0 1 0 1 0 1 0 0 0 0')).toBeUndefined()
  })
  test('net/dev: every interface but loopback', () => {
    expect(parseNetDev(NETDEV)).toEqual({ rxBytes: 1024, txBytes: 206 })
    expect(parseProcStat('')).toBeUndefined()
  })
})

describe('resourceUsage', () => {
  const start = {
    cpu: { busy: 100, total: 1000 },
    memUsedKb: 1024 * 100,
    disk: { readSectors: 0, writtenSectors: 1000 },
    net: { rxBytes: 0, txBytes: 5 * 1024 * 1024 },
  }
  test.each([
    [
      'figures over the job, the peak from the sampler',
      {
        cpu: { busy: 400, total: 2000 },
        memUsedKb: 1024 * 150,
        disk: { readSectors: 2048 * 10, writtenSectors: 1000 },
        net: { rxBytes: 3 * 1024 * 1024, txBytes: 5.5 * 1024 * 1024 },
      },
      [1024 * 300],
      { cpuAvgPercent: 30, memPeakMb: 300, diskReadMb: 10, diskWriteMb: 0, netRxMb: 3, netTxMb: 0.5 },
    ],
    [
      'counters that went backwards count as nothing',
      {
        cpu: { busy: 100, total: 1000 },
        memUsedKb: 1024 * 50,
        disk: { readSectors: 0, writtenSectors: 0 },
        net: { rxBytes: 0, txBytes: 0 },
      },
      [undefined],
      { memPeakMb: 100, diskReadMb: 0, diskWriteMb: 0, netRxMb: 0, netTxMb: 0 },
    ],
    ['an unreadable end leaves only what the start knows', {}, [], { memPeakMb: 100 }],
  ])('%s', (_name, end, peaks, expected) => {
    expect(resourceUsage(start, end, peaks)).toEqual(expected)
  })

  test('cells: one decimal, empty when unknown', () => {
    expect([usageCell(12.345), usageCell(0), usageCell(undefined), usageCell(NaN)]).toEqual([
      '12.3',
      '0',
      '',
      '',
    ])
  })
})
