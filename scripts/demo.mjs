// `npm run demo`: the CLI on its embedded default, with nothing set up. It times a real (short) command
// with the bundled CLI, recording the row into file:docs/build-timings.csv (the CLI's default registry) and
// its output into logs/build-timings/, then prints what the registry knows.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const cli = (...args) => {
  const r = spawnSync(process.execPath, [resolve(root, 'dist/cli/index.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  })
  if (r.error) throw r.error
  return r.status ?? 1
}

// A little real work: hash a few megabytes, as a stand-in for a build step.
const work = `
const { createHash } = require('node:crypto')
let h = createHash('sha256')
for (let i = 0; i < 200000; i++) h.update('build-timings demo ' + i)
console.log('demo build step done: ' + h.digest('hex').slice(0, 12))
`
const code = cli(
  'run',
  '--phase',
  'demo-build',
  '--build-id',
  'demo',
  '--flags',
  'npm run demo',
  '--',
  process.execPath,
  '-e',
  work,
)
console.log('')
cli('report', '--phase', 'demo-build')
process.exitCode = code
