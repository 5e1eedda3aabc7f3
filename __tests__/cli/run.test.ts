import { EventEmitter } from 'node:events'
import { chmod, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cli, csvRows, tempDir } from './helpers.js'

let cwd: string
beforeEach(async () => {
  cwd = await tempDir()
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

const registryRows = async (path = 'docs/build-timings.csv') =>
  csvRows(await readFile(join(cwd, path), 'utf8'))

describe('build-timings run', () => {
  test("done-when: exits with the command's code, records a development row with the counts, keeps a log", async () => {
    const r = await cli(
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
        'echo Apply complete! Resources: 3 added, 1 changed, 0 destroyed.; echo to-stderr >&2; exit 3',
      ],
      { cwd },
    )
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('Apply complete! Resources: 3 added, 1 changed, 0 destroyed.\n')
    expect(r.stderr).toContain('to-stderr\n')
    const [row, ...others] = await registryRows()
    expect(others).toHaveLength(0)
    expect(row).toMatchObject({
      phase: 'bootstrap-persistent',
      env: 'development',
      build_id: 'persistent',
      exit_code: '3',
      status: 'failure',
      source: 'cli',
      resources_added: '3',
      resources_changed: '1',
      resources_destroyed: '0',
      budget_status: 'none',
    })
    expect(row?.row_id).toMatch(
      new RegExp(
        `^cli/development/persistent/bootstrap-persistent/${(row?.start_time_utc ?? '').replace('Z', '')}\\.\\d{3}Z$`,
      ),
    )
    const logs = await readdir(join(cwd, 'logs/build-timings'))
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatch(/^bootstrap-persistent-persistent-\d{8}T\d{6}Z\.log$/)
    expect(row?.log_path).toBe(`logs/build-timings/${logs[0]}`)
    const log = await readFile(join(cwd, 'logs/build-timings', logs[0] as string), 'utf8')
    expect(log).toContain('Apply complete! Resources: 3 added, 1 changed, 0 destroyed.')
    expect(log).toContain('to-stderr')
    const summary = r.stderr.trimEnd().split('\n').at(-1)
    expect(summary).toMatch(
      /^build-timings: bootstrap-persistent \[development\] failure in \ds \(exit 3\), no budget; row recorded in file:docs\/build-timings.csv$/,
    )
  })

  test('a fake terraform: coloured output, apply then destroy, the last summary wins; defaults env and build id to local', async () => {
    const script = join(cwd, 'terraform')
    await writeFile(
      script,
      [
        '#!/bin/sh',
        'printf "\\033[0m\\033[1m\\033[32mApply complete! Resources: \\033[0m2 added, 0 changed, 0 destroyed.\\033[0m\\n"',
        'sleep 1',
        'printf "\\033[1m\\033[32mDestroy complete! Resources: 5 destroyed.\\033[0m\\n"',
      ].join('\n'),
    )
    await chmod(script, 0o755)
    const r = await cli(['run', '--phase', 'teardown-persistent', '--log-dir', 'out/logs', '--', script], {
      cwd,
    })
    expect(r.code).toBe(0)
    const [row] = await registryRows()
    expect(row).toMatchObject({
      env: 'local',
      build_id: 'local',
      status: 'success',
      exit_code: '0',
      resources_added: '0',
      resources_changed: '0',
      resources_destroyed: '5',
    })
    expect(Number(row?.duration_seconds)).toBeGreaterThanOrEqual(1)
    expect(await readdir(join(cwd, 'out/logs'))).toEqual([
      expect.stringMatching(/^teardown-persistent-local-.*\.log$/),
    ])
  })

  test('no Terraform summary leaves the counts empty; phase and build id are made file-name safe', async () => {
    const r = await cli(['run', '--phase', 'a/b c', '--build-id', '../x', '--', 'true'], { cwd })
    expect(r.code).toBe(0)
    const [row] = await registryRows()
    expect(row).toMatchObject({
      phase: 'a/b c',
      build_id: '../x',
      resources_added: '',
      resources_destroyed: '',
    })
    expect(await readdir(join(cwd, 'logs/build-timings'))).toEqual([
      expect.stringMatching(/^a_b_c-_x-\d{8}T\d{6}Z\.log$/),
    ])
  })

  test('fail-open: a registry that cannot be written costs one line, the row goes to the spool, the exit code stays', async () => {
    await mkdir(join(cwd, 'docs'))
    await writeFile(join(cwd, 'docs/build-timings.csv'), 'start_time_utc,phase\n"broken\n')
    const r = await cli(['run', '--phase', 'deploy', '--', 'sh', '-c', 'exit 4'], { cwd })
    expect(r.code).toBe(4)
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /^build-timings: registry file file:docs\/build-timings.csv is not valid CSV .*; row kept in \.build-timings\/spool\.csv \(publish it later: build-timings push --from file:\.build-timings\/spool\.csv --to file:docs\/build-timings\.csv\)$/,
    )
    expect(lines[1]).toMatch(/row kept in \.build-timings\/spool\.csv$/)
    expect(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8')).toBe(
      'start_time_utc,phase\n"broken\n',
    )
    const [spooled] = await registryRows('.build-timings/spool.csv')
    expect(spooled).toMatchObject({ phase: 'deploy', exit_code: '4', env: 'local' })
  })

  test('budgets: the default file applies; a malformed one is one warning and the run goes on', async () => {
    await mkdir(join(cwd, '.github'))
    await writeFile(
      join(cwd, '.github/build-budgets.yml'),
      'phases:\n  "deploy-*": { target: 0s, max: 1h }\n',
    )
    let r = await cli(['run', '--phase', 'deploy-persistent', '--', 'sh', '-c', 'sleep 1'], { cwd })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('budget over_target (target 0s, max 1h 0m 0s)')
    expect((await registryRows())[0]).toMatchObject({
      budget_status: 'over_target',
      budget_target_seconds: '0',
      budget_max_seconds: '3600',
    })

    await writeFile(join(cwd, '.github/build-budgets.yml'), 'phases:\n  lint: { target: soon }\n')
    r = await cli(['run', '--phase', 'lint', '--', 'true'], { cwd })
    expect(r.code).toBe(0)
    const warnings = r.stderr.split('\n').filter((l) => l.includes('warning'))
    expect(warnings).toEqual([
      expect.stringMatching(
        /^build-timings: warning: budgets file \.github\/build-budgets\.yml:2:\d+: .*continuing without budgets$/,
      ),
    ])
  })

  test('SIGTERM is forwarded; the exit code is 128+15 and the row says cancelled', async () => {
    const signals = new EventEmitter()
    const pending = cli(['run', '--phase', 'long', '--', 'sleep', '30'], { cwd, signals })
    await new Promise((resolve) => setTimeout(resolve, 300))
    signals.emit('SIGTERM')
    const r = await pending
    expect(r.code).toBe(143)
    expect((await registryRows())[0]).toMatchObject({ status: 'cancelled', exit_code: '143' })
  })

  test('a command that traps the signal decides the exit code itself', async () => {
    const signals = new EventEmitter()
    const pending = cli(['run', '--phase', 'trap', '--', 'sh', '-c', 'trap "exit 7" INT; sleep 30 & wait'], {
      cwd,
      signals,
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    signals.emit('SIGINT')
    const r = await pending
    expect(r.code).toBe(7)
  })

  test('a command killed by a crash signal is a failure, not a cancellation: 128+9', async () => {
    const r = await cli(['run', '--phase', 'oom', '--', 'sh', '-c', 'kill -KILL $$'], { cwd })
    expect(r.code).toBe(137)
    expect((await registryRows())[0]).toMatchObject({ status: 'failure', exit_code: '137' })
  })

  test('a command that does not exist: 127, one line, and a row', async () => {
    const r = await cli(['run', '--phase', 'x', '--', 'no-such-command-xyz'], { cwd })
    expect(r.code).toBe(127)
    expect(r.stderr.split('\n')[0]).toBe(
      'build-timings: cannot run "no-such-command-xyz" (ENOENT); check the command after "--" (exit 127 recorded)',
    )
    expect((await registryRows())[0]).toMatchObject({ exit_code: '127', status: 'failure' })
  })

  test('the token is redacted from flags and never printed', async () => {
    const token = 'ghp_' + 'a'.repeat(36)
    const r = await cli(['run', '--phase', 'x', '--flags', `deploy token ${token}`, '--', 'true'], {
      cwd,
      env: { GITHUB_TOKEN: token },
    })
    expect(r.code).toBe(0)
    const text = await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8')
    expect(text).not.toContain(token)
    expect(r.stderr + r.stdout).not.toContain(token)
  })

  test('BUILD_TIMINGS_ENV and BUILD_TIMINGS_REGISTRY set the defaults', async () => {
    const r = await cli(['run', '--phase', 'x', '--', 'true'], {
      cwd,
      env: { BUILD_TIMINGS_ENV: 'prod', BUILD_TIMINGS_REGISTRY: 'file:elsewhere.csv' },
    })
    expect(r.code).toBe(0)
    expect((await registryRows('elsewhere.csv'))[0]?.env).toBe('production')
  })
})
