// What the file registry owes its users whatever store implementation is behind it: a link stays a link,
// and rows already written keep their bytes.
import { lstat, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildRow } from '../../src/core/row.js'
import { HEADER_LINE } from '../../src/core/schema.js'
import { FileStore } from '../../src/registry/file.js'

const row = (phase: string) =>
  buildRow({
    source: 'cli',
    phase,
    env: 'ci',
    buildId: '1',
    start: new Date('2026-01-24T10:15:03.412Z'),
    end: new Date('2026-01-24T10:16:03Z'),
    exitCode: 0,
    status: 'success',
  })

describe('file registry', () => {
  test('a symlinked registry keeps its link and the target gets the row', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-link-'))
    await mkdir(join(dir, 'shared'))
    const target = join(dir, 'shared', 'timings.csv')
    await writeFile(target, `${HEADER_LINE}\n`)
    const link = join(dir, 'build-timings.csv')
    await symlink(target, link)
    await new FileStore(link).append('ci', [row('lint')], 'm')
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect(await readFile(target, 'utf8')).toContain(',lint,')
    expect(await readFile(link, 'utf8')).toContain(',lint,')
  })

  test('rows with bytes that are not UTF-8 keep those bytes after an append', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-bytes-'))
    const path = join(dir, 'reg.csv')
    const old = Buffer.concat([
      Buffer.from(`${HEADER_LINE}\n2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,caf`),
      Buffer.from([0xe9, 0xff]), // latin-1 'é' and a byte no encoding gives meaning to
      Buffer.from(',ci,1,60,0,,,,,,success,cli,,,,,,,,,,,none,,,,cli/ci/1/x/2026-01-01T00:00:00.000Z\n'),
    ])
    await writeFile(path, old)
    await new FileStore(path).append('ci', [row('lint')], 'm')
    const after = await readFile(path)
    expect(after.subarray(0, old.length).equals(old)).toBe(true)
    expect(after.toString('latin1')).toContain(',lint,')
  })
})
