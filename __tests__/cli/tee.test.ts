import { createWriteStream } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Writable } from 'node:stream'
import { Destination, LogWriter } from '../../src/cli/tee.js'

describe('LogWriter', () => {
  test('a known secret split across two chunks is still redacted; bytes outside it are kept', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'bt-tee-')), 'log')
    const failures: string[] = []
    const log = new LogWriter(createWriteStream(path), ['s3cret-value-99'], (e) =>
      failures.push(e.code ?? ''),
    )
    log.write(Buffer.from('pass=s3cret-'))
    log.write(Buffer.concat([Buffer.from('value-99 \xff\n', 'latin1'), Buffer.from('tail s3cret-value-99')]))
    await log.end()
    const bytes = await readFile(path)
    expect(bytes.equals(Buffer.from('pass=*** \xff\ntail ***', 'latin1'))).toBe(true)
    expect(failures).toEqual([])
  })

  test('a full disk is reported once and never throws', async () => {
    const failures: string[] = []
    const log = new LogWriter(createWriteStream('/dev/full'), [], (e) => failures.push(e.code ?? ''))
    for (let i = 0; i < 100; i++) log.write(Buffer.from(`line ${i}\n`))
    await log.end()
    expect(failures).toEqual(['ENOSPC'])
  })
})

describe('Destination', () => {
  test('after its stream fails, writes are dropped without an error event escaping', () => {
    const failing = new Writable({
      write(_chunk, _enc, done) {
        done(Object.assign(new Error('EPIPE'), { code: 'EPIPE' }))
      },
    })
    const seen: string[] = []
    const d = new Destination(failing, (e) => seen.push(e.code ?? ''))
    d.write('a')
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        d.write('b')
        expect(d.ok).toBe(false)
        expect(seen).toEqual(['EPIPE'])
        resolve()
      }),
    )
  })

  test('a healthy stream gets every chunk', () => {
    const out = new PassThrough()
    const d = new Destination(out)
    d.write('x')
    d.write(Buffer.from('y'))
    expect(out.read()?.toString()).toBe('xy')
  })
})
