// docs/Makefile.example, run by make with the bundled CLI and a fake terraform.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmod, copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { csvRows, tempDir } from './helpers.js'
import { MACHINE_NODE } from '../support/runtimes.js'

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..')
let hasMake = true
try {
  execFileSync('make', ['--version'], { stdio: 'ignore' })
} catch {
  hasMake = false
}

let cwd: string
beforeEach(async () => {
  cwd = await tempDir('bt-make-')
  await copyFile(join(ROOT, 'docs/Makefile.example'), join(cwd, 'Makefile'))
  await writeFile(
    join(cwd, 'fake-tf'),
    `#!/bin/sh
case "$2" in
  init) echo "Terraform has been successfully initialized!" ;;
  apply) echo "Apply complete! Resources: 4 added, 1 changed, 0 destroyed." ; exit "\${TF_EXIT:-0}" ;;
  destroy) echo "Destroy complete! Resources: 5 destroyed." ;;
esac
`,
  )
  await chmod(join(cwd, 'fake-tf'), 0o755)
  await mkdir(join(cwd, 'scripts'))
  await writeFile(join(cwd, 'scripts/smoke-test.sh'), '#!/bin/sh\necho smoke ok\n')
  await chmod(join(cwd, 'scripts/smoke-test.sh'), 0o755)
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

const make = (target: string, env: Record<string, string> = {}) =>
  spawnSync(
    'make',
    ['--no-print-directory', target, `BT=${MACHINE_NODE} ${join(ROOT, 'dist/cli/index.js')}`, 'TF=./fake-tf'],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, BUILD_TIMINGS_REGISTRY: '', ...env },
    },
  )

;(hasMake ? describe : describe.skip)('docs/Makefile.example', () => {
  test('every target lands a row named after it, passed or failed', async () => {
    expect(make('bootstrap-persistent').status).toBe(0)
    expect(make('deploy-persistent').status).toBe(0)
    expect(make('teardown-persistent').status).toBe(0)
    const failed = make('apply-persistent', { TF_EXIT: '1' })
    expect(failed.status).not.toBe(0)
    expect(failed.stderr).toContain('build-timings: apply-persistent [development] failure')
    const rows = csvRows(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8'))
    expect(
      rows.map(
        (r) =>
          `${r.phase}:${r.env}:${r.build_id}:${r.exit_code}:${r.resources_added}/${r.resources_changed}/${r.resources_destroyed}`,
      ),
    ).toEqual([
      'bootstrap-persistent:development:persistent:0:4/1/0',
      'deploy-persistent:development:persistent:0:4/1/0',
      'teardown-persistent:development:persistent:0:0/0/5',
      'apply-persistent:development:persistent:1:4/1/0',
    ])
    const logs = await readdir(join(cwd, 'logs/build-timings'))
    expect(logs.filter((l) => /^deploy-persistent-persistent-.*\.log$/.test(l))).toHaveLength(1)
    const report = make('report-persistent')
    expect(report.stdout).toMatch(/bootstrap-persistent\s+development\s+1\s+100%/)
  })
})
