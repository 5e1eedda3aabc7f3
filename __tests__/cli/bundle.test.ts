// The committed bundle, run as users run it: a real process, under the machine's node (20 here) and Node 24.
import { spawn } from 'node:child_process'
import { readFile, readdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { csvRows, tempDir } from './helpers.js'
import { RUNTIMES } from '../support/runtimes.js'

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')
const BUNDLE = join(ROOT, 'dist/cli/index.js')

interface Proc {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

function start(
  node: string,
  args: string[],
  cwd: string,
): { done: Promise<Proc>; kill: (s: NodeJS.Signals) => void; says: (text: string) => Promise<void> } {
  const env = { ...process.env }
  for (const k of ['BUILD_TIMINGS_ENV', 'BUILD_TIMINGS_REGISTRY', 'GITHUB_TOKEN', 'NODE_OPTIONS'])
    delete env[k]
  const child = spawn(node, [BUNDLE, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const done = new Promise<Proc>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  )
  // Waits until the wrapped command has printed `text`: a signal sent before then would race the CLI's start.
  const says = (text: string) =>
    new Promise<void>((res) => {
      const look = () => (stdout.includes(text) ? res() : setTimeout(look, 20))
      look()
    })
  return { done, kill: (s) => child.kill(s), says }
}

let cwd: string
beforeEach(async () => {
  cwd = await tempDir('bt-bundle-')
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

const nodes = RUNTIMES

describe.each(nodes)('dist/cli under %s', (_name, node) => {
  test('run wraps a real command: its output, its exit code, a row and a log', async () => {
    const r = await start(
      node,
      [
        'run',
        '--phase',
        'bootstrap-persistent',
        '--env',
        'dev',
        '--build-id',
        'persistent',
        '--',
        'sh',
        '-c',
        'echo Apply complete! Resources: 3 added, 1 changed, 0 destroyed.; exit 3',
      ],
      cwd,
    ).done
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('Apply complete! Resources: 3 added, 1 changed, 0 destroyed.\n')
    expect(r.stderr).toMatch(
      /^build-timings: bootstrap-persistent \[development\] failure in \ds \(exit 3\), no budget; row recorded in file:docs\/build-timings\.csv\n$/,
    )
    const [row] = csvRows(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8'))
    expect(row).toMatchObject({
      env: 'development',
      exit_code: '3',
      resources_added: '3',
      resources_changed: '1',
      resources_destroyed: '0',
    })
    expect(await readdir(join(cwd, 'logs/build-timings'))).toEqual([
      expect.stringMatching(/bootstrap-persistent.*persistent.*\.log$/),
    ])
    const report = await start(node, ['report', '--format', 'json'], cwd).done
    expect(JSON.parse(report.stdout).groups[0]).toMatchObject({ phase: 'bootstrap-persistent', runs: 1 })
    const version = await start(node, ['--version'], cwd).done
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
  })

  test('the dashboard and the insights from the bundle: Chart.js travels beside it', async () => {
    for (const [phase, start0, seconds] of [
      ['build', 1769249703, 60],
      ['build', 1769259703, 90],
      ['lint', 1769249703, 20],
    ] as const) {
      const r = await start(
        node,
        [
          'record',
          '--phase',
          phase,
          '--start',
          String(start0),
          '--end',
          String(start0 + seconds),
          '--exit-code',
          '0',
        ],
        cwd,
      ).done
      expect(r.code).toBe(0)
    }
    const html = await start(node, ['report', '--format', 'html', '--output', 'dash.html'], cwd).done
    expect(html).toMatchObject({ code: 0, stderr: 'build-timings: wrote dash.html\n' })
    const page = await readFile(join(cwd, 'dash.html'), 'utf8')
    expect(page).toContain('Chart.js v4')
    expect(page).toContain('"phase":"build"')
    const compare = await start(
      node,
      ['report', '--compare', '2026-01-01..2026-02-01,2026-02-01..', '--format', 'json'],
      cwd,
    ).done
    expect(
      JSON.parse(compare.stdout).groups.map((g: { phase: string; a: { runs: number } }) => [
        g.phase,
        g.a.runs,
      ]),
    ).toEqual([
      ['build', 2],
      ['lint', 1],
    ])
  })

  test('SIGTERM to the CLI reaches the command; exit 128+15, or the code the command chose', async () => {
    const plain = start(node, ['run', '--phase', 'long', '--', 'sh', '-c', 'echo ready; exec sleep 30'], cwd)
    await plain.says('ready')
    plain.kill('SIGTERM')
    expect((await plain.done).code).toBe(143)
    const trapping = start(
      node,
      ['run', '--phase', 'trap', '--', 'sh', '-c', 'trap "exit 7" TERM; echo ready; sleep 30 & wait'],
      cwd,
    )
    await trapping.says('ready')
    trapping.kill('SIGTERM')
    expect((await trapping.done).code).toBe(7)
    const rows = csvRows(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8'))
    expect(rows.map((r) => `${r.phase}:${r.exit_code}:${r.status}`)).toEqual([
      'long:143:cancelled',
      'trap:7:cancelled',
    ])
  })

  test('eight processes recording into one file at once: every row lands (lock file + rename)', async () => {
    const runs = Array.from(
      { length: 8 },
      (_, i) =>
        start(
          node,
          ['record', '--phase', `p${i}`, '--start', '1769249703', '--end', '1769249710', '--exit-code', '0'],
          cwd,
        ).done,
    )
    expect((await Promise.all(runs)).map((r) => r.code)).toEqual(Array(8).fill(0))
    const rows = csvRows(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8'))
    expect(rows.map((r) => r.phase).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'])
    expect(await readdir(join(cwd, 'docs'))).toEqual(['build-timings.csv'])
  })

  test('a usage error is exit 2 and one line', async () => {
    const r = await start(node, ['run', '--phase', 'x', '--nope', '--', 'true'], cwd).done
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('build-timings: unknown option --nope for run; see build-timings run --help\n')
  })
})
