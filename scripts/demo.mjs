// `npm run demo`: the CLI on its embedded default registry, with nothing set up. It times real phases of
// this repository's own build (a type-check, a lint and a bundle, each on a small part so that the demo
// takes seconds) with the bundled CLI, ROUNDS times, into file:docs/build-timings.csv, judged against
// demo/build-budgets.yml; then prints the report with its verdicts and trend, writes the dashboard and a
// preview of the PR comment, and says where they are.
//
//   npm run demo                 # 3 rounds
//   DEMO_ROUNDS=1 npm run demo
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const ROUNDS = Math.max(1, Number(process.env.DEMO_ROUNDS ?? 3) || 3)
const BUDGETS = 'demo/build-budgets.yml'
const OUT = 'demo/out'
const bin = (path) => join(root, 'node_modules', path)

const cli = (...args) => {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli/index.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  })
  if (r.error) throw r.error
  return r.status ?? 1
}
const heading = (text) => console.log(`\n\u001b[1m== ${text}\u001b[0m`)

for (const tool of ['typescript/bin/tsc', 'eslint/bin/eslint.js', '@vercel/ncc/dist/ncc/cli.js']) {
  if (!existsSync(bin(tool))) {
    console.error(`demo: ${tool} is missing from node_modules; run npm ci first`)
    process.exit(1)
  }
}

// Small but real: the same tools as the full build, on a slice of it.
const scratch = mkdtempSync(join(tmpdir(), 'build-timings-demo-'))
const CORE = ['src/core/time.ts', 'src/core/duration.ts', 'src/core/stats.ts', 'src/core/env.ts']
const PHASES = [
  [
    'type-check',
    [
      bin('typescript/bin/tsc'),
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--skipLibCheck',
      '--types',
      'node',
      ...CORE,
    ],
  ],
  ['lint', [bin('eslint/bin/eslint.js'), ...CORE]],
  // The smallest of the five bundles (the action's `pre`), transpile-only: the full build type-checks once.
  [
    'bundle',
    [
      bin('@vercel/ncc/dist/ncc/cli.js'),
      'build',
      'src/action/pre.ts',
      '-o',
      join(scratch, 'pre'),
      '--quiet',
      '--target',
      'es2022',
      '-t',
    ],
  ],
]

let failed = 0
try {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  for (let round = 1; round <= ROUNDS; round++) {
    heading(`round ${round} of ${ROUNDS}: timing type-check, lint and bundle`)
    for (const [phase, argv] of PHASES) {
      const code = cli(
        'run',
        '--phase',
        phase,
        '--build-id',
        `demo-${stamp}-${round}`,
        '--budgets',
        BUDGETS,
        '--flags',
        `npm run demo, round ${round}`,
        '--',
        process.execPath,
        ...argv,
      )
      if (code !== 0) failed++
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

heading('the report: every run in the registry, judged against demo/build-budgets.yml')
cli('report', '--budgets', BUDGETS)

mkdirSync(join(root, OUT), { recursive: true })
const dashboard = join(OUT, 'dashboard.html')
const comment = join(OUT, 'pr-comment.md')
heading('the dashboard and the PR comment')
cli('report', '--budgets', BUDGETS, '--format', 'html', '--output', dashboard)
cli('report', '--budgets', BUDGETS, '--format', 'comment', '--output', comment)
if (existsSync(join(root, comment))) {
  console.log(`\n--- ${comment} (what the Action would post on a pull request) ---`)
  console.log(readFileSync(join(root, comment), 'utf8').trimEnd())
  console.log('---')
}

const here = (p) => relative(process.cwd(), join(root, p)) || '.'
heading('where things are')
console.log(
  `registry:   ${here('docs/build-timings.csv')} (the CLI's default; run the demo again to grow the trend)`,
)
console.log(`dashboard:  ${here(dashboard)} (open it in a browser; it works offline)`)
console.log(`PR comment: ${here(comment)}`)
console.log(`logs:       ${here('logs/build-timings')}/`)
console.log(`budgets:    ${here(BUDGETS)}`)
if (failed) console.log(`\n${failed} phase run(s) failed; their rows are recorded as failures.`)
