// Builds one @vercel/ncc bundle per entry point into dist/<name>/index.js.
// `node scripts/bundle.mjs` builds all; `node scripts/bundle.mjs cli drone` builds some.
import { execFileSync } from 'node:child_process'
import { copyFileSync, rmSync } from 'node:fs'

const entries = {
  pre: 'src/action/pre.ts',
  main: 'src/action/main.ts',
  post: 'src/action/post.ts',
  drone: 'src/drone/index.ts',
  cli: 'src/cli/index.ts',
}
const wanted = process.argv.slice(2)
for (const [name, entry] of Object.entries(entries)) {
  if (wanted.length && !wanted.includes(name)) continue
  rmSync(`dist/${name}`, { recursive: true, force: true })
  execFileSync(
    'npx',
    [
      'ncc',
      'build',
      entry,
      '-o',
      `dist/${name}`,
      '--minify',
      '--license',
      'licenses.txt',
      '--quiet',
      '--target',
      'es2022',
    ],
    {
      stdio: 'inherit',
    },
  )
  // The dashboard (report --format html) inlines Chart.js's browser build: it travels beside the CLI.
  if (name === 'cli') {
    copyFileSync('node_modules/chart.js/dist/chart.umd.min.js', 'dist/cli/chart.umd.min.js')
    copyFileSync('node_modules/chart.js/LICENSE.md', 'dist/cli/chart.js.LICENSE.md')
  }
}
