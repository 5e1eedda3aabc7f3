// `build-timings run` as a shell runs it, under the faults a CI machine has: a full disk, a file-size
// limit, a pipe closed early. The wrapped command must finish, keep its exit code, and the row must be kept.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { tempDir } from '../cli/helpers.js'
import { MACHINE_NODE } from '../support/runtimes.js'

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')
const BUNDLE = join(ROOT, 'dist/cli/index.js')
const BT = `${MACHINE_NODE} ${BUNDLE}`

interface Shell {
  code: number | null
  stdout: string
  stderr: string
}

/** A bash script (so `ulimit`, pipes and PIPESTATUS work) in `cwd`, with a clean environment. */
function bash(script: string, cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Shell> {
  const env = { ...process.env, ...extraEnv }
  for (const k of ['BUILD_TIMINGS_ENV', 'BUILD_TIMINGS_REGISTRY', 'GITHUB_TOKEN', 'NODE_OPTIONS'])
    if (!(k in extraEnv)) delete env[k]
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })))
}

// 3000 lines on each stream, then a marker file that proves the command was not killed half-way.
const NOISY = `sh -c 'i=0; while [ $i -lt 3000 ]; do echo "out line $i"; echo "err line $i" >&2; i=$((i+1)); done; touch finished; exit 5'`

async function registryRows(cwd: string, file = 'reg.csv'): Promise<string[]> {
  const text = await readFile(join(cwd, file), 'utf8')
  return text.trimEnd().split('\n').slice(1)
}

describe('run: stream faults never take the command or the exit code with them', () => {
  test('stderr and stdout closed early (… 2>&1 | head -1)', async () => {
    const cwd = await tempDir('bt-faults-')
    const r = await bash(
      `${BT} run --phase noisy --registry file:reg.csv -- ${NOISY} 2>&1 | head -1; echo "rc=\${PIPESTATUS[0]}" > rc.txt`,
      cwd,
    )
    expect(r.code).toBe(0)
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1)
    expect(await readFile(join(cwd, 'rc.txt'), 'utf8')).toBe('rc=5\n')
    expect(existsSync(join(cwd, 'finished'))).toBe(true)
    const rows = await registryRows(cwd)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain(',noisy,')
    // The log has everything the command printed, though the terminal saw one line.
    const [log] = await readdir(join(cwd, 'logs/build-timings'))
    const text = await readFile(join(cwd, 'logs/build-timings', log as string), 'utf8')
    expect(text).toContain('out line 2999')
    expect(text).toContain('err line 2999')
  })

  test('stdout on a full disk (/dev/full)', async () => {
    const cwd = await tempDir('bt-faults-')
    const r = await bash(`${BT} run --phase full --registry file:reg.csv -- ${NOISY} > /dev/full`, cwd)
    expect(r.code).toBe(5)
    expect(existsSync(join(cwd, 'finished'))).toBe(true)
    expect(r.stderr).toContain('err line 2999')
    expect(await registryRows(cwd)).toHaveLength(1)
  })

  test('the log over a file-size limit (ulimit -f): one warning, the output still shown, the row recorded', async () => {
    const cwd = await tempDir('bt-faults-')
    // 16 KiB: the log (about 80 KB) passes it, the one-row registry does not.
    const r = await bash(`ulimit -f 16; ${BT} run --phase big --registry file:reg.csv -- ${NOISY}`, cwd)
    expect(r.code).toBe(5)
    expect(existsSync(join(cwd, 'finished'))).toBe(true)
    expect(r.stdout).toContain('out line 2999')
    expect(r.stderr).toContain('err line 2999')
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('build-timings: warning: the log'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/EFBIG/)
    expect(await registryRows(cwd)).toHaveLength(1)
  })

  test('nothing can be written at all (ulimit -f 0): the exit code stays and the row is shown', async () => {
    const cwd = await tempDir('bt-faults-')
    const r = await bash(`ulimit -f 0; ${BT} run --phase nospace --registry file:reg.csv -- ${NOISY}`, cwd)
    expect(r.code).toBe(5)
    expect(existsSync(join(cwd, 'finished'))).toBe(true)
    expect(r.stdout).toContain('out line 2999')
    expect(r.stderr).toMatch(/build-timings: .*the row: .*,nospace,/)
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
  })
})

describe('run: the captured log', () => {
  test('is created 0600 with known secrets and token shapes redacted, other bytes kept', async () => {
    const cwd = await tempDir('bt-faults-')
    const token = ['ghp', '_', 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'].join('')
    const r = await bash(
      `${BT} run --phase secret --registry file:reg.csv -- sh -c 'echo "db=$DB_PASSWORD"; echo "t=${token}"; printf "raw \\377\\376 bytes\\n"; printf "no newline $DB_PASSWORD"'`,
      cwd,
      { DB_PASSWORD: 'correct-horse-battery' },
    )
    expect(r.code).toBe(0)
    // The terminal shows the command's own output untouched: only the copy on disk is redacted.
    expect(r.stdout).toContain('db=correct-horse-battery')
    const dir = join(cwd, 'logs/build-timings')
    const [log] = await readdir(dir)
    const path = join(dir, log as string)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    const bytes = await readFile(path)
    const text = bytes.toString('latin1')
    expect(text).not.toContain('correct-horse-battery')
    expect(text).not.toContain(token)
    expect(text).toContain('db=***')
    expect(text).toContain('t=***')
    expect(bytes.includes(Buffer.from('raw \xff\xfe bytes\n', 'latin1'))).toBe(true)
    expect(text.endsWith('no newline ***')).toBe(true)
  })
})
