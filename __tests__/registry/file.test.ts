import { chmod, mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildRow } from '../../src/core/row.js'
import { RegistryParseError } from '../../src/core/errors.js'
import { HEADER_LINE, type Row } from '../../src/core/schema.js'
import { FileStore, RegistryFileError } from '../../src/registry/file.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bt-file-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const row = (phase: string, env: string, second: number): Row =>
  buildRow({
    source: 'cli',
    phase,
    env,
    buildId: 'local',
    start: new Date(Date.UTC(2026, 0, 24, 10, 0, second)),
    end: new Date(Date.UTC(2026, 0, 24, 10, 1, second)),
    exitCode: 0,
    status: 'success',
  })

describe('FileStore', () => {
  test('creates the file with the full header, holds every env, reads one env', async () => {
    const store = new FileStore(join(dir, 'sub', 'timings.csv'))
    const a = await store.append('ci', [row('lint', 'ci', 1)], 'm')
    await store.append('staging', [row('lint', 'staging', 2)], 'm')
    expect(a).toMatchObject({ location: `file:${join(dir, 'sub', 'timings.csv')}`, commit: null })
    expect(a.appended).toHaveLength(1)
    const text = await readFile(join(dir, 'sub', 'timings.csv'), 'utf8')
    expect(text.split('\n')[0]).toBe(HEADER_LINE)
    expect(text.trimEnd().split('\n')).toHaveLength(3)
    const ci = await store.read('ci')
    expect(ci.rows.map((r) => r.env)).toEqual(['ci'])
    expect(ci.header?.[0]).toBe('start_time_utc')
    const all: string[] = []
    for await (const r of store.scan()) all.push(r.env ?? '')
    expect(all).toEqual(['ci', 'staging'])
  })

  test('a read for one phase returns only that phase of that env', async () => {
    const store = new FileStore(join(dir, 't.csv'))
    await store.append('ci', [row('lint', 'ci', 1), row('build', 'ci', 2), row('lint', 'ci', 3)], 'm')
    await store.append('staging', [row('lint', 'staging', 4)], 'm')
    const lint = await store.read('ci', { phase: 'lint' })
    expect(lint.rows.map((r) => [r.phase, r.env, r.start_time_utc])).toEqual([
      ['lint', 'ci', '2026-01-24T10:00:01Z'],
      ['lint', 'ci', '2026-01-24T10:00:03Z'],
    ])
    expect((await store.read('ci')).rows).toHaveLength(3)
  })

  test('appending the same row twice is a no-op; no temp or lock file is left', async () => {
    const store = new FileStore(join(dir, 't.csv'))
    const r = row('build', 'ci', 3)
    await store.append('ci', [r], 'm')
    const again = await store.append('ci', [r], 'm')
    expect(again.appended).toHaveLength(0)
    expect(again.duplicates).toHaveLength(1)
    expect(await readdir(dir)).toEqual(['t.csv'])
  })

  test('concurrent writers with their own store objects never lose a row', async () => {
    const path = join(dir, 'race.csv')
    const rows = Array.from({ length: 24 }, (_, i) => row(`p${i}`, 'ci', i))
    await Promise.all(rows.map((r) => new FileStore(path).append('ci', [r], 'm')))
    const read = await new FileStore(path).read('ci')
    expect(read.rows.map((r) => r.phase).sort()).toEqual(rows.map((r) => r.phase).sort())
  })

  test('a legacy file is appended to in its own shape, old bytes untouched', async () => {
    const path = join(dir, 'legacy.csv')
    const legacy =
      'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path\n2025-01-01T00:00:00Z,2025-01-01T00:01:00Z,deploy,dev,persistent,60,0,,\n'
    await writeFile(path, legacy)
    const out = await new FileStore(path).append('development', [row('deploy', 'development', 5)], 'm')
    expect(out.droppedColumns).toContain('row_id')
    const text = await readFile(path, 'utf8')
    expect(text.startsWith(legacy)).toBe(true)
    expect(text.trimEnd().split('\n')[2]?.split(',')).toHaveLength(9)
  })

  test('a file that is not CSV is never rewritten', async () => {
    const path = join(dir, 'bad.csv')
    await writeFile(path, 'start_time_utc,phase\n"unterminated,x\n')
    const store = new FileStore(path)
    await expect(store.append('ci', [row('x', 'ci', 1)], 'm')).rejects.toBeInstanceOf(RegistryParseError)
    await expect(store.read('ci')).rejects.toBeInstanceOf(RegistryParseError)
    expect(await readFile(path, 'utf8')).toBe('start_time_utc,phase\n"unterminated,x\n')
  })

  test('a missing file reads as empty; a directory is an unreadable registry', async () => {
    expect((await new FileStore(join(dir, 'none.csv')).read('ci')).rows).toEqual([])
    await mkdir(join(dir, 'adir'))
    await expect(new FileStore(join(dir, 'adir')).read('ci')).rejects.toBeInstanceOf(RegistryFileError)
  })

  test('a lock left by a dead process is broken; a live one is waited for, then reported', async () => {
    const path = join(dir, 'locked.csv')
    await writeFile(`${path}.lock`, `999999999 ${(await import('node:os')).hostname()} x\n`)
    await new FileStore(path).append('ci', [row('a', 'ci', 1)], 'm')
    await writeFile(`${path}.lock`, `${process.pid} ${(await import('node:os')).hostname()} x\n`)
    await expect(
      new FileStore(path, { lockTimeoutMs: 300 }).append('ci', [row('b', 'ci', 2)], 'm'),
    ).rejects.toThrow(/stayed locked.*delete .*locked\.csv\.lock/)
  })

  test('an append writes after the last byte: bytes that are not UTF-8 and the file mode stay', async () => {
    const path = join(dir, 'raw.csv')
    const store = new FileStore(path)
    await store.append('ci', [row('a', 'ci', 1)], 'm')
    // A hand-made row whose flags cell holds bytes that are not valid UTF-8.
    const odd = Buffer.concat([
      Buffer.from('2026-01-24T09:00:00Z,2026-01-24T09:01:00Z,odd,ci,b,60,0,'),
      Buffer.from([0xe9, 0xff]),
      Buffer.from(`${',x'.repeat(20)},cli/odd\n`),
    ])
    await writeFile(path, Buffer.concat([await readFile(path), odd]))
    await chmod(path, 0o600)
    const kept = await readFile(path)
    await store.append('ci', [row('b', 'ci', 2)], 'm')
    const after = await readFile(path)
    expect(after.subarray(0, kept.length).equals(kept)).toBe(true)
    expect(after.subarray(kept.length).toString('utf8')).toMatch(
      /^2026-01-24T10:00:02Z,[^\n]*,b,ci,[^\n]*\n$/,
    )
    expect((await stat(path)).mode & 0o777).toBe(0o600)
  })

  test('a row torn by a crash mid-append is moved aside on the next append; no whole row is lost', async () => {
    const path = join(dir, 'torn.csv')
    const store = new FileStore(path)
    await store.append('ci', [row('a', 'ci', 1), row('b', 'ci', 2)], 'm')
    const whole = await readFile(path)
    // The crash: the next append's bytes stopped halfway through its line.
    const line = `${whole.toString('utf8').trimEnd().split('\n')[2]}`.replace(/10:00:02/g, '10:00:03')
    await writeFile(path, Buffer.concat([whole, Buffer.from(line.slice(0, 70))]))
    expect(await store.read('ci').catch((e) => e)).toBeInstanceOf(RegistryParseError)
    const out = await store.append('ci', [row('c', 'ci', 3)], 'm')
    expect(out.appended).toHaveLength(1)
    const after = await readFile(path)
    expect(after.subarray(0, whole.length).equals(whole)).toBe(true)
    expect((await store.read('ci')).rows.map((r) => r.phase)).toEqual(['a', 'b', 'c'])
    const aside = (await readdir(dir)).filter((f) => f.startsWith('torn.csv.torn-'))
    expect(aside).toHaveLength(1)
    expect(await readFile(join(dir, aside[0] as string), 'utf8')).toBe(line.slice(0, 70))
  })

  test('a whole last row without its newline is kept and the next row starts on its own line', async () => {
    const path = join(dir, 'nonl.csv')
    const store = new FileStore(path)
    await store.append('ci', [row('a', 'ci', 1)], 'm')
    const text = (await readFile(path, 'utf8')).trimEnd()
    await writeFile(path, text)
    await store.append('ci', [row('b', 'ci', 2)], 'm')
    expect((await readFile(path, 'utf8')).startsWith(`${text}\n`)).toBe(true)
    expect((await store.read('ci')).rows.map((r) => r.phase)).toEqual(['a', 'b'])
    expect((await readdir(dir)).filter((f) => f.includes('.torn-'))).toEqual([])
  })

  test('duplicates are found in the tail window without reading the rows before it', async () => {
    const path = join(dir, 'big.csv')
    const store = new FileStore(path, { dedupeWindowBytes: 4096 })
    const rows = Array.from({ length: 60 }, (_, i) => row(`p${i}`, 'ci', i))
    await store.append('ci', rows, 'm')
    // A recent row is found (a retry is a no-op) although the window holds only the last rows.
    const again = await store.append('ci', [rows[59] as Row, rows[58] as Row], 'm')
    expect(again.appended).toHaveLength(0)
    expect(again.duplicates).toHaveLength(2)
    // A malformed row far before the window is never read, so it does not stop the append.
    const text = await readFile(path, 'utf8')
    const lines = text.split('\n')
    lines[2] = '"broken'
    await writeFile(path, lines.join('\n'))
    const out = await store.append('ci', [row('new', 'ci', 59)], 'm')
    expect(out.appended).toHaveLength(1)
    expect((await readFile(path, 'utf8')).startsWith(lines.join('\n'))).toBe(true)
  })

  test('concurrent appends in place keep every row, each exactly once', async () => {
    const path = join(dir, 'race2.csv')
    const rows = Array.from({ length: 16 }, (_, i) => row(`q${i}`, 'ci', i))
    await Promise.all([...rows, ...rows].map((r) => new FileStore(path).append('ci', [r], 'm')))
    const read = await new FileStore(path).read('ci')
    expect(read.rows.map((r) => r.phase).sort()).toEqual(rows.map((r) => r.phase).sort())
  })

  test('a read of recent rows reads back from the end only as far as it needs; all reads everything', async () => {
    const path = join(dir, 'long.csv')
    const lines = Array.from({ length: 12_000 }, (_, i) => {
      const r = row(`p${i % 10}`, i % 2 ? 'ci' : 'staging', 0)
      return Object.values({ ...r, build_id: `b${i}`, row_id: `cli/x/${i}` }).join(',')
    })
    await writeFile(path, `${HEADER_LINE}\n${lines.join('\n')}\n`)
    const store = new FileStore(path)
    const recent = await store.read('ci', { phase: 'p7', rows: 5 })
    expect(recent.rows.length).toBeGreaterThanOrEqual(5)
    expect(recent.rows.length).toBeLessThan(1200)
    expect(recent.rows.at(-1)?.build_id).toBe('b11997')
    expect(recent.rows.every((r) => r.phase === 'p7' && r.env === 'ci')).toBe(true)
    const all = await store.read('ci', { phase: 'p7', all: true })
    expect(all.rows).toHaveLength(1200)
    expect(all.rows.slice(-recent.rows.length)).toEqual(recent.rows)
  })
})
