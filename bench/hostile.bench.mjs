// Inputs an attacker (or an unlucky matrix) controls, through the committed CLI bundle as users run it:
// a many-star budgets glob against a long matrix phase, a 250 KiB budgets file, and a 60 kB hostile flags
// value that the redaction must scan. Each case is one `build-timings record` into a fresh file registry.
//
//   node bench/hostile.bench.mjs                       # this tree's dist/cli
//   BUNDLE=/path/to/other/dist/cli/index.js node bench/hostile.bench.mjs   # another build, to compare
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const BUNDLE = process.env.BUNDLE ?? join(ROOT, 'dist/cli/index.js')
const TIMEOUT_S = Number(process.env.TIMEOUT_S ?? 60)

async function record(dir, args) {
  const started = process.hrtime.bigint()
  const child = spawn(
    process.execPath,
    [
      BUNDLE,
      'record',
      '--start',
      '2026-01-24T10:00:00Z',
      '--end',
      '2026-01-24T10:01:00Z',
      '--exit-code',
      '0',
      '--registry',
      'file:reg.csv',
      ...args,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_S * 1000)
  const [code] = await once(child, 'close')
  clearTimeout(timer)
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  return code === null ? `> ${TIMEOUT_S} s (killed)` : `${seconds.toFixed(2)} s (exit ${code})`
}

const dir = await mkdtemp(join(tmpdir(), 'bt-hostile-'))
try {
  const phase = `e2e (${Array.from({ length: 20 }, (_, i) => `node-${i}-linux-x64`).join(', ')})`
  await writeFile(join(dir, 'stars.yml'), 'phases:\n  "*-*-*-*-*-*-*-nightly": { target: 1m }\n')
  const big =
    'phases:\n' +
    Array.from({ length: 5500 }, (_, i) => `  "phase-${i}-*": { target: 1m, max: 2m }\n`).join('')
  await writeFile(join(dir, 'big.yml'), big)
  const huge =
    'phases:\n' +
    Array.from({ length: 36_000 }, (_, i) => `  "phase-${i}-*": { target: 1m, max: 2m }\n`).join('')
  await writeFile(join(dir, 'huge.yml'), huge)
  const flags = `--flags=${'a.'.repeat(15_000)}${'x_'.repeat(15_000)}`
  const cases = [
    [`7-star glob vs a ${phase.length}-character matrix phase`, ['--phase', phase, '--budgets', 'stars.yml']],
    [
      `budgets file of ${(big.length / 1024).toFixed(0)} KiB (5,500 globs)`,
      ['--phase', 'lint', '--budgets', 'big.yml'],
    ],
    [
      `budgets file of ${(huge.length / 1024 / 1024).toFixed(1)} MiB (36,000 globs)`,
      ['--phase', 'lint', '--budgets', 'huge.yml'],
    ],
    ['60 kB flags value through the redaction', ['--phase', 'lint', flags]],
  ]
  console.log(`bundle: ${BUNDLE}\nnode: ${process.version}\n`)
  for (const [name, args] of cases) console.log(`${name}: ${await record(dir, args)}`)
} finally {
  await rm(dir, { recursive: true, force: true })
}
