import { rm, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { FakeGitHub } from '../support/github-server.js'
import { cli, csvRows, tempDir } from './helpers.js'

const TOKEN = 'ghs_' + 'w'.repeat(36)
const READ_ONLY = 'ghs_' + 'r'.repeat(36)
const PATH = 'environments/development/latest/build_timings.csv'

let gh: FakeGitHub
let cwd: string
beforeAll(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write' })
  gh.addToken(READ_ONLY, { contents: 'read' })
})
afterAll(async () => {
  await gh.close()
})
beforeEach(async () => {
  cwd = await tempDir()
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

describe('github: registries through the local GitHub server', () => {
  test('run records into a new orphan branch; report and push read it back; the token is never printed', async () => {
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url }
    const run = await cli(
      [
        'run',
        '--phase',
        'deploy-persistent',
        '--env',
        'dev',
        '--build-id',
        'persistent',
        '--registry',
        'github:acme/widgets',
        '--',
        'sh',
        '-c',
        'echo Resources: 1 added, 0 changed, 0 destroyed.',
      ],
      { cwd, env },
    )
    expect(run.code).toBe(0)
    expect(run.stderr).toMatch(
      /row recorded in github:acme\/widgets@governance-registry:environments\/development\/latest\/build_timings\.csv \([0-9a-f]{7}\)\n$/,
    )
    const stored = csvRows((await gh.readFile('governance-registry', PATH)) ?? '')
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({
      phase: 'deploy-persistent',
      env: 'development',
      resources_added: '1',
      source: 'cli',
    })
    const commits = await gh.commits('governance-registry')
    expect(commits).toHaveLength(1)
    expect(commits[0]?.parents).toEqual([])
    expect(commits[0]?.message).toMatch(
      /^build-timings: deploy-persistent development success \d+s \[skip ci\]$/,
    )

    const report = await cli(['report', '--registry', 'github:acme/widgets', '--format', 'json'], {
      cwd,
      env,
    })
    expect(
      JSON.parse(report.stdout).groups.map((g: { phase: string; env: string }) => `${g.env}/${g.phase}`),
    ).toEqual(['development/deploy-persistent'])

    const local = await cli(
      [
        'record',
        '--phase',
        'lint',
        '--env',
        'dev',
        '--start',
        '1769249703',
        '--end',
        '1769249710',
        '--exit-code',
        '0',
      ],
      { cwd },
    )
    expect(local.code).toBe(0)
    for (let i = 0; i < 2; i++) {
      const push = await cli(
        ['push', '--from', 'file:docs/build-timings.csv', '--to', 'github:acme/widgets'],
        { cwd, env },
      )
      expect(push.code).toBe(0)
    }
    expect(csvRows((await gh.readFile('governance-registry', PATH)) ?? '')).toHaveLength(2)
    expect(await gh.commits('governance-registry')).toHaveLength(2)
    for (const r of [run, report]) expect(r.stdout + r.stderr).not.toContain(TOKEN)
  })

  test('a read-only token: one line through registryProblem, the row spooled, the exit code kept', async () => {
    const r = await cli(
      ['run', '--phase', 'x', '--registry', 'github:acme/widgets@ro', '--', 'sh', '-c', 'exit 5'],
      { cwd, env: { GITHUB_TOKEN: READ_ONLY, GITHUB_API_URL: gh.url } },
    )
    expect(r.code).toBe(5)
    const [first] = r.stderr.split('\n')
    expect(first).toBe(
      'build-timings: the token cannot write to github:acme/widgets@ro (read-only): grant "contents: write" to record timings; row kept in .build-timings/spool.csv (publish it later: build-timings push --from file:.build-timings/spool.csv --to github:acme/widgets@ro)',
    )
    expect(r.stderr).not.toContain(READ_ONLY)
    expect(csvRows(await readFile(join(cwd, '.build-timings/spool.csv'), 'utf8'))[0]).toMatchObject({
      phase: 'x',
      exit_code: '5',
    })
    expect(await gh.branchExists('ro')).toBe(false)
  })
})
