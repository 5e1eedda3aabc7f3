import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { COLUMNS } from '../../src/core/schema.js'
import { NOW, plantedRegistry } from '../core/insights/registry.js'
import { cli, tempDir } from './helpers.js'

let cwd: string
const planted = plantedRegistry()
const now = () => NOW
beforeAll(async () => {
  cwd = await tempDir()
  const cells = planted.rows.map((r) => COLUMNS.map((c) => r[c] ?? ''))
  await writeFile(join(cwd, 'reg.csv'), stringify([[...COLUMNS], ...cells]))
  await writeFile(join(cwd, 'budgets.yml'), 'flake-rate-target: 0.1%\n')
})
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true })
})
const report = (...args: string[]) => cli(['report', '--registry', 'file:reg.csv', ...args], { cwd, now })

describe('report --by cache', () => {
  test('cold and warm medians, IQR and what the caches save, per phase', async () => {
    const r = await report('--by', 'cache', '--format', 'json')
    expect(r.code).toBe(0)
    const build = JSON.parse(r.stdout).groups.find((g: { phase: string }) => g.phase === 'build')
    expect(build).toMatchObject({
      warm: { runs: 41, median: 60, q1: 50, q3: 70, iqr: 20 },
      cold: { runs: 21, median: 180, q1: 175, q3: 185, iqr: 10 },
      without_lookups: 5,
      saved_per_run: 120,
      saved_total: 4920,
    })
    const table = (await report('--by', 'cache')).stdout
    expect(table).toMatch(/^phase\s+env\s+warm\s+warm p50\s+warm IQR\s+cold\s+cold p50/)
    expect(table).toMatch(/\nbuild\s+ci\s+41\s+1m 0s\s+20s\s+21\s+3m 0s\s+10s\s+\d+%\s+2m 0s\s+1h 22m 0s\n/)
    expect((await report('--by', 'cache', '--format', 'csv')).stdout.split('\n')[0]).toBe(
      'phase,env,warm_runs,warm_p50_seconds,warm_iqr_seconds,cold_runs,cold_p50_seconds,cold_iqr_seconds,hit_rate,saved_per_run_seconds,saved_total_seconds',
    )
  })
})

describe('flakes in the report', () => {
  test('the table ends with the flake section: rate, target not met, the offending shas', async () => {
    const r = await report('--budgets', 'budgets.yml')
    expect(r.code).toBe(0)
    const section = r.stdout.slice(r.stdout.indexOf('Flakes'))
    expect(section).toMatch(/^Flakes \(a failure, then a success of the same sha\), target ≤ 0\.1%\n/)
    expect(section).toMatch(/\nlint\s+ci\s+206\s+6\s+2\.91%\s+not met\n/)
    for (const f of planted.flakes) expect(section).toContain(` ${f.split(' ')[1]?.slice(0, 12)}`)
    expect(section.match(/^ {2}lint \(ci\): /gm)).toHaveLength(6)
    // Phases with no flake meet the target.
    expect(section).toMatch(/\ntest\s+ci\s+60\s+0\s+0%\s+met\n/)
  })

  test('json lists exactly the planted flaky shas; --by flakes --format csv lists them one a line', async () => {
    const json = JSON.parse((await report('--format', 'json', '--budgets', 'budgets.yml')).stdout)
    expect(json.groups.length).toBeGreaterThan(0)
    expect(json.flakes.flake_rate_target).toBe(0.001)
    const found = json.flakes.groups.flatMap((g: { phase: string; flaky_shas: { sha: string }[] }) =>
      g.flaky_shas.map((f) => `${g.phase} ${f.sha}`),
    )
    expect(found.sort()).toEqual([...planted.flakes].sort())
    const csv = (await report('--by', 'flakes', '--format', 'csv')).stdout.trimEnd().split('\n')
    expect(csv[0]).toBe('phase,env,repository,sha,failures,failed_at,passed_at')
    expect(csv).toHaveLength(1 + planted.flakes.length)
  })

  test('without a target the plain report leaves flakes to --by flakes', async () => {
    const plain = await report()
    expect(plain.stdout).not.toMatch(/Flakes/)
    expect(JSON.parse((await report('--format', 'json')).stdout).flakes).toBeUndefined()
    const by = await report('--by', 'flakes')
    expect(by.stdout).toMatch(/^Flakes \(a failure, then a success of the same sha\)\n/)
    expect(by.stdout).toMatch(/\nlint\s+ci\s+206\s+6\s+2\.91%\s+–\n/)
    expect(by.stdout.match(/^ {2}lint \(ci\): /gm)).toHaveLength(6)
  })
})

describe('report --compare', () => {
  test('by period: the planted 20 % speed-up is called, the unchanged phase is not', async () => {
    const r = await report('--compare', 'period:14d..7d,period:7d..')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^A = period:14d\.\.7d, B = period:7d\.\.: successful runs; a change is called only at p < 0\.05/,
    )
    expect(r.stdout).toMatch(
      /\ntest\s+ci\s+30\s+\S+ \S+\s+\S+\s+30\s+\S+ \S+\s+\S+\s+-\d\d%\s+<0\.001\s+faster\n/,
    )
    expect(r.stdout).toMatch(/\ndeploy\s+ci\s+30\s.*\s0\.\d{3}\s+no detectable change\n/)
    const json = JSON.parse((await report('--compare', '14d..7d,7d..', '--format', 'json')).stdout)
    const test_ = json.groups.find((g: { phase: string }) => g.phase === 'test')
    expect(test_.change).toBeLessThan(-0.1)
    expect(test_.p).toBeLessThan(0.05)
    expect(json.groups.find((g: { phase: string }) => g.phase === 'deploy').p).toBeGreaterThan(0.05)
  })

  test('by ref and by flag value', async () => {
    const byRef = JSON.parse((await report('--compare', 'ref:main,ref:feature', '--format', 'json')).stdout)
    expect(byRef.groups.every((g: { verdict: string }) => g.verdict === 'not run in both')).toBe(true)
    expect(byRef.groups.find((g: { phase: string }) => g.phase === 'build').a.runs).toBe(67) // 62 with cache lookups, 5 without
    const byFlag = await report('--compare', 'flags:cache=on,flags:cache=off', '--format', 'csv')
    expect(byFlag.stdout.split('\n')[0]).toBe(
      'phase,env,a_runs,a_p50_seconds,a_iqr_seconds,b_runs,b_p50_seconds,b_iqr_seconds,change,u,p,verdict',
    )
  })

  test.each([
    [['--compare', 'ref:main'], /--compare: --compare "ref:main" does not name two sets A,B/],
    [['--compare', 'period:7d..14d,period:7d..'], /period "7d..14d" ends before it starts/],
    [['--compare', 'ref:a,ref:b', '--by', 'cache'], /--compare and --by are two different reports/],
    [['--by', 'weather'], /--by "weather" is not one of phase, cache, flakes/],
  ])('%j is a usage error', async (args, message) => {
    const r = await report(...(args as string[]))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(message)
  })
})

test('--output writes the report to a file', async () => {
  const r = await report('--by', 'cache', '--format', 'markdown', '--output', 'cache.md')
  expect(r).toMatchObject({ code: 0, stdout: '' })
  expect(r.stderr).toBe('build-timings: wrote cache.md\n')
  expect(await readFile(join(cwd, 'cache.md'), 'utf8')).toMatch(/^\| phase \| env \| warm \|/)
})

describe('report --format comment', () => {
  test('previews the PR comment of the latest build, with earlier runs as its history', async () => {
    const dir = await tempDir()
    try {
      const run = (phase: string, build: string, start: string, end: string) =>
        cli(
          [
            'record',
            '--phase',
            phase,
            '--build-id',
            build,
            '--start',
            start,
            '--end',
            end,
            '--exit-code',
            '0',
          ],
          { cwd: dir },
        )
      await run('lint', 'b1', '2026-01-01T10:00:00Z', '2026-01-01T10:00:40Z')
      await run('test', 'b1', '2026-01-01T10:01:00Z', '2026-01-01T10:03:00Z')
      await run('lint', 'b2', '2026-01-02T10:00:00Z', '2026-01-02T10:01:20Z')
      await writeFile(join(dir, 'budgets.yml'), 'phases:\n  lint: { target: 1m, max: 2m }\n')
      const r = await cli(['report', '--format', 'comment', '--budgets', 'budgets.yml'], { cwd: dir })
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^<!-- build-timings:local -->\n/)
      // Only the latest build (b2: lint) is the run; its median comes from b1's lint.
      expect(r.stdout).toMatch(
        /\n\| lint \| ✅ success \| 1m 20s \| 1m \| 2m \| [^|]+ \| — \| \+100% vs 40s ⚠️ \|\n/,
      )
      expect(r.stdout).not.toMatch(/\| test \|/)
      const empty = await cli(['report', '--format', 'comment', '--registry', 'file:none.csv'], { cwd: dir })
      expect(empty.stdout).toBe('No rows in the registry yet: no comment to preview.\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

test('names from users are cleaned and redacted in every insight, and inert in Markdown', async () => {
  const dir = await tempDir()
  try {
    const rows = [
      { phase: 'deploy --token=s3cr3tvalue', cache_hits: '1', cache_lookups: '1' },
      { phase: '@team ping', cache_hits: '0', cache_lookups: '1' },
    ].map((r, i) => ({
      ...r,
      start_time_utc: `2026-02-2${i}T00:00:00Z`,
      env: 'ci',
      duration_seconds: '10',
      status: 'success',
    }))
    const cells = rows.map((r) => COLUMNS.map((c) => (r as Record<string, string>)[c] ?? ''))
    await writeFile(join(dir, 'reg.csv'), stringify([[...COLUMNS], ...cells]))
    const table = await cli(['report', '--registry', 'file:reg.csv', '--by', 'cache'], { cwd: dir })
    expect(table.stdout).toContain('deploy --token=***')
    expect(table.stdout).not.toContain('s3cr3tvalue')
    const md = await cli(['report', '--registry', 'file:reg.csv', '--by', 'cache', '--format', 'markdown'], {
      cwd: dir,
    })
    expect(md.stdout).toContain('@\u2060team ping')
    const html = await cli(['report', '--registry', 'file:reg.csv', '--format', 'html'], { cwd: dir })
    expect(html.stdout).not.toContain('s3cr3tvalue')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
