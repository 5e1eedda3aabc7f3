import { execFileSync } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { HEADER_LINE } from '../../src/core/schema.js'
import { cli, csvRows, tempDir } from './helpers.js'

let cwd: string
beforeEach(async () => {
  cwd = await tempDir()
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

/** numpy.percentile(values, p * 100) with the default linear method, written out independently of core/stats. */
function numpyPercentile(values: number[], p: number): number {
  const x = [...values].sort((a, b) => a - b)
  const pos = p * (x.length - 1)
  const below = Math.floor(pos)
  const frac = pos - below
  return below + 1 < x.length
    ? (x[below] as number) * (1 - frac) + (x[below + 1] as number) * frac
    : (x[below] as number)
}

/** A registry of `n` rows over three phases and two envs, with pseudo-random durations. */
async function generate(path: string, n: number): Promise<Map<string, number[]>> {
  let seed = 42
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const phases = ['deploy-persistent', 'lint', 'unit-tests']
  const envs = ['ci', 'production']
  const durations = new Map<string, number[]>()
  const lines = [HEADER_LINE]
  for (let i = 0; i < n; i++) {
    const phase = phases[i % 3] as string
    const env = envs[Math.floor(i / 3) % 2] as string
    const d = Math.round(rand() * 900) + 1
    const start = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const status = i % 7 === 0 ? 'failure' : 'success'
    const cells = Object.fromEntries(HEADER_LINE.split(',').map((c) => [c, '']))
    Object.assign(cells, {
      start_time_utc: start,
      end_time_utc: start,
      phase,
      env,
      build_id: String(i),
      duration_seconds: String(d),
      exit_code: status === 'success' ? '0' : '1',
      status,
      source: 'cli',
      budget_status: i % 5 === 0 ? 'over_max' : 'ok',
      row_id: `cli/${env}/${i}/${phase}/${start}`,
    })
    lines.push(Object.values(cells).join(','))
    const key = `${env}/${phase}`
    durations.set(key, [...(durations.get(key) ?? []), d])
  }
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, `${lines.join('\n')}\n`)
  return durations
}

describe('build-timings record', () => {
  test('appends a row from values; the status follows the exit code unless given', async () => {
    let r = await cli(
      [
        'record',
        '--phase',
        'deploy',
        '--start',
        '2026-01-24T10:15:03Z',
        '--end',
        '1769249800',
        '--exit-code',
        '0',
        '--env',
        'stg',
        '--log-path',
        'out.log',
        '--flags',
        'x=1',
      ],
      { cwd },
    )
    expect(r).toMatchObject({ code: 0, stdout: '' })
    expect(r.stderr).toBe(
      'build-timings: deploy [staging] success in 1m 37s (exit 0), no budget; row recorded in file:docs/build-timings.csv\n',
    )
    r = await cli(
      [
        'record',
        '--phase',
        'deploy',
        '--start',
        '1769249703',
        '--end',
        '1769249710',
        '--exit-code',
        '130',
        '--status',
        'cancelled',
      ],
      { cwd },
    )
    expect(r.code).toBe(0)
    const rows = csvRows(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8'))
    expect(rows[0]).toMatchObject({
      start_time_utc: '2026-01-24T10:15:03Z',
      end_time_utc: '2026-01-24T10:16:40Z',
      duration_seconds: '97',
      env: 'staging',
      log_path: 'out.log',
      flags: 'x=1',
      status: 'success',
      source: 'cli',
    })
    expect(rows[1]).toMatchObject({
      exit_code: '130',
      status: 'cancelled',
      env: 'local',
      duration_seconds: '7',
    })
    // The same event recorded again is a no-op.
    r = await cli(
      [
        'record',
        '--phase',
        'deploy',
        '--start',
        '1769249703',
        '--end',
        '1769249710',
        '--exit-code',
        '130',
        '--status',
        'cancelled',
      ],
      { cwd },
    )
    expect(r.stderr).toContain('row already in file:docs/build-timings.csv')
  })

  test.each([
    [
      ['--start', 'yesterday', '--end', '1769249710', '--exit-code', '0'],
      /^build-timings: --start "yesterday" is not a time; use ISO-8601/,
    ],
    [
      ['--start', '1769249710', '--end', '1769249703', '--exit-code', '0'],
      /^build-timings: --end is before --start; /,
    ],
    [
      ['--start', '1769249703', '--end', '1769249710', '--exit-code', 'x'],
      /^build-timings: --exit-code "x" is not a whole number; /,
    ],
    [
      ['--start', '1769249703', '--end', '1769249710', '--exit-code', '0', '--status', 'meh'],
      /^build-timings: --status "meh" is not one of success, failure/,
    ],
    [
      ['--start', '1769249703', '--exit-code', '0'],
      /^build-timings: record needs --end; e\.g\. build-timings record/,
    ],
  ])('bad values %j: exit 2 with the fix', async (args, message) => {
    const r = await cli(['record', '--phase', 'p', ...args], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  })
})

describe('build-timings report', () => {
  test('json percentiles equal an independent calculation over a generated registry', async () => {
    const expected = await generate(join(cwd, 'docs/build-timings.csv'), 3000)
    const r = await cli(['report', '--format', 'json'], { cwd })
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout) as {
      rows_read: number
      groups: {
        env: string
        phase: string
        runs: number
        p50: number
        p90: number
        p95: number
        max: number
        budget: Record<string, number>
      }[]
    }
    expect(json.rows_read).toBe(3000)
    expect(json.groups).toHaveLength(6)
    for (const g of json.groups) {
      const values = expected.get(`${g.env}/${g.phase}`) as number[]
      expect(g.runs).toBe(values.length)
      expect(typeof g.p50).toBe('number')
      expect(g.p50).toBeCloseTo(numpyPercentile(values, 0.5), 9)
      expect(g.p90).toBeCloseTo(numpyPercentile(values, 0.9), 9)
      expect(g.p95).toBeCloseTo(numpyPercentile(values, 0.95), 9)
      expect(g.max).toBe(Math.max(...values))
      expect(g.budget.ok! + g.budget.over_max!).toBe(g.runs)
    }
  })

  test('filters by env (canonicalised), phase and since; renders every format', async () => {
    await generate(join(cwd, 'reg.csv'), 300)
    const now = () => new Date(Date.UTC(2026, 0, 1, 3, 0, 0)) // rows start one a minute from 00:00 to 04:59
    const r = await cli(
      [
        'report',
        '--registry',
        'file:reg.csv',
        '--env',
        'prod',
        '--phase',
        'lint',
        '--since',
        '1h',
        '--format',
        'json',
      ],
      { cwd, now },
    )
    const json = JSON.parse(r.stdout)
    expect(json.filter).toEqual({ env: 'production', phase: 'lint', since: '2026-01-01T02:00:00Z' })
    expect(json.groups).toHaveLength(1)
    expect(json.groups[0].runs).toBe(30) // rows 120..299: 180, a third lint, half of those production
    const iso = await cli(
      ['report', '--registry', 'file:reg.csv', '--since', '2026-01-01', '--format', 'csv'],
      { cwd },
    )
    expect(iso.stdout.split('\n')[0]).toMatch(/^phase,env,runs,successes,success_rate,p50_seconds/)
    expect(
      (await cli(['report', '--registry', 'file:reg.csv', '--format', 'markdown'], { cwd })).stdout,
    ).toMatch(/^\| phase \| env \| runs/)
    expect((await cli(['report', '--registry', 'file:reg.csv'], { cwd })).stdout).toMatch(
      /^phase\s+env\s+runs/,
    )
  })

  test('no registry yet: an empty report, exit 0', async () => {
    const r = await cli(['report'], { cwd })
    expect(r).toMatchObject({ code: 0, stdout: 'No rows in the registry yet.\n' })
  })

  test('a progress line appears only on a TTY (and is cleared)', async () => {
    await generate(join(cwd, 'docs/build-timings.csv'), 33_000)
    let clock = 0
    const now = () => new Date((clock += 2000)) // every look at the clock is two seconds later
    const tty = await cli(['report'], { cwd, stderrIsTTY: true, now })
    expect(tty.stderr).toMatch(/^\rbuild-timings: read 16,384 rows…\rbuild-timings: read 32,768 rows…/)
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true)
    const pipe = await cli(['report'], { cwd, stderrIsTTY: false, now })
    expect(pipe.stderr).toBe('')
  })

  test('a file that is not a registry: one line, exit 2', async () => {
    await writeFile(join(cwd, 'x.csv'), 'hello,world\n1,2\n')
    const r = await cli(['report', '--registry', 'file:x.csv'], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^build-timings: registry file file:x\.csv is not valid CSV \(its first line is not a build_timings header\); it was left untouched; fix the file or pass --registry naming another\n$/,
    )
  })
})

describe('build-timings push', () => {
  test('file to git: twice copies each row once, one commit per env', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
      }).trim()
    git('init', '-q', '-b', 'main')
    await generate(join(cwd, 'local.csv'), 30)
    const first = await cli(['push', '--from', 'file:local.csv', '--to', 'git:governance-registry'], { cwd })
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(
      /^ci: copied 15 rows to git:governance-registry:environments\/ci\/latest\/build_timings.csv in [0-9a-f]{7} \(0 already there\)\nproduction: copied 15 rows/,
    )
    const second = await cli(['push', '--from', 'file:local.csv', '--to', 'git:governance-registry'], { cwd })
    expect(second.stdout).toBe(
      'ci: nothing to copy (15 rows already in git:governance-registry)\nproduction: nothing to copy (15 rows already in git:governance-registry)\n',
    )
    expect(git('rev-list', '--count', 'governance-registry')).toBe('2')
    expect(git('log', '--format=%s', 'governance-registry')).toBe(
      'build-timings: 15 rows production [skip ci]\nbuild-timings: 15 rows ci [skip ci]',
    )
    const ci = csvRows(git('show', 'governance-registry:environments/ci/latest/build_timings.csv'))
    expect(ci).toHaveLength(15)
    expect(new Set(ci.map((r) => r.row_id)).size).toBe(15)
    // And back: a report over the git registry sees all 30.
    const rep = JSON.parse(
      (await cli(['report', '--registry', 'git:governance-registry', '--format', 'json'], { cwd })).stdout,
    )
    expect(rep.rows_read).toBe(30)
  })

  test('the spool publishes into a file registry; --env limits the copy', async () => {
    await generate(join(cwd, '.build-timings/spool.csv'), 12)
    const r = await cli(
      [
        'push',
        '--from',
        'file:.build-timings/spool.csv',
        '--to',
        'file:docs/build-timings.csv',
        '--env',
        'production',
      ],
      { cwd },
    )
    expect(r.stdout).toBe('production: copied 6 rows to file:docs/build-timings.csv (0 already there)\n')
    const again = await cli(
      ['push', '--from', 'file:.build-timings/spool.csv', '--to', 'file:docs/build-timings.csv'],
      { cwd },
    )
    expect(again.stdout).toBe(
      'ci: copied 6 rows to file:docs/build-timings.csv (0 already there)\nproduction: nothing to copy (6 rows already in file:docs/build-timings.csv)\n',
    )
    expect(csvRows(await readFile(join(cwd, 'docs/build-timings.csv'), 'utf8'))).toHaveLength(12)
  })
})

describe('build-timings migrate', () => {
  test('moves an oversized git: registry file to history/ in one commit; report still reads every row', async () => {
    const env = {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Old Tool',
      GIT_AUTHOR_EMAIL: 'old@example.com',
      GIT_COMMITTER_NAME: 'Old Tool',
      GIT_COMMITTER_EMAIL: 'old@example.com',
    }
    const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env }).trim()
    git('init', '-q', '-b', 'main')
    await generate(join(cwd, 'big.csv'), 10_000)
    const blob = git('hash-object', '-w', 'big.csv')
    const index = { ...env, GIT_INDEX_FILE: join(cwd, '.git', 'seed-index') }
    const path = 'environments/ci/latest/build_timings.csv'
    execFileSync('git', ['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], {
      cwd,
      env: index,
    })
    const tree = execFileSync('git', ['write-tree'], { cwd, env: index, encoding: 'utf8' }).trim()
    git('update-ref', 'refs/heads/governance-registry', git('commit-tree', tree, '-m', 'old registry'))

    const r = await cli(['migrate', '--registry', 'git:governance-registry'], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^git:governance-registry:environments\/ci\/latest\/build_timings\.csv: moved \d+\.\d MiB to environments\/ci\/history\/\d{8}T\d{6}Z\.csv in [0-9a-f]{7}\n$/,
    )
    const to = /to (\S+) in/.exec(r.stdout)?.[1] as string
    expect(git('rev-parse', `governance-registry:${to}`)).toBe(blob)
    expect(git('rev-list', '--count', 'governance-registry')).toBe('2')
    const again = await cli(['migrate', '--registry', 'git:governance-registry'], { cwd })
    expect(again.stdout).toBe(`git:governance-registry:${path}: within 1 MiB, nothing to move\n`)
    const rep = JSON.parse(
      (await cli(['report', '--registry', 'git:governance-registry', '--format', 'json'], { cwd })).stdout,
    )
    expect(rep.rows_read).toBe(10_000)
  })

  test('a file: registry has nothing to migrate', async () => {
    const r = await cli(['migrate'], { cwd })
    expect(r).toMatchObject({
      code: 0,
      stdout: 'file:docs/build-timings.csv is one file that appends in place: nothing to migrate\n',
    })
  })
})
