import { execFileSync } from 'node:child_process'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { COLUMNS } from '../../src/core/schema.js'
import { FakeGitHub } from '../support/github-server.js'
import { NOW, plantedRegistry } from '../core/insights/registry.js'
import { cli, tempDir } from './helpers.js'

// SPEC §7: the dashboard "can also be committed to the registry branch (`dashboard/index.html`)".

const TOKEN = 'ghs_' + 'p'.repeat(36)
const now = () => NOW
const csv = (() => {
  const rows = plantedRegistry().rows
  return stringify([[...COLUMNS], ...rows.map((r) => COLUMNS.map((c) => r[c] ?? ''))])
})()

let cwd: string
beforeEach(async () => {
  cwd = await tempDir()
  await writeFile(join(cwd, 'reg.csv'), csv)
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

const page = async (): Promise<string> => {
  const r = await cli(['report', '--registry', 'file:reg.csv', '--format', 'html'], { cwd, now })
  expect(r.code).toBe(0)
  return r.stdout
}

describe('report --format html --publish', () => {
  test('file: the page lands beside the registry file, the same page --output writes', async () => {
    const r = await cli(['report', '--registry', 'file:reg.csv', '--format', 'html', '--publish'], {
      cwd,
      now,
    })
    expect(r).toMatchObject({ code: 0, stdout: '' })
    expect(r.stderr).toBe('build-timings: published the dashboard to dashboard/index.html\n')
    expect(await readFile(join(cwd, 'dashboard', 'index.html'), 'utf8')).toBe(await page())
  })

  test('git: one commit on the registry branch, none when the page is unchanged', async () => {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      }).trim()
    git('init', '-q')
    const push = await cli(['push', '--from', 'file:reg.csv', '--to', 'git:governance-registry'], { cwd })
    expect(push.code).toBe(0)
    const commits = () => Number(git('rev-list', '--count', 'governance-registry'))
    const before = commits()
    const args = ['report', '--registry', 'git:governance-registry', '--format', 'html', '--publish']
    const first = await cli(args, { cwd, now })
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(
      /^build-timings: published the dashboard to git:governance-registry:dashboard\/index\.html \([0-9a-f]{7}\)\n$/,
    )
    expect(commits()).toBe(before + 1)
    expect(git('log', '-1', '--format=%s', 'governance-registry')).toBe('build-timings: dashboard [skip ci]')
    expect(git('show', 'governance-registry:dashboard/index.html') + '\n').toBe(await page())
    // The rows are untouched, and a second publish of the same page makes no commit.
    expect(git('show', 'governance-registry:environments/ci/latest/build_timings.csv')).toContain('row_id')
    const second = await cli(args, { cwd, now })
    expect(second.stderr).toMatch(/\(unchanged: no commit\)\n$/)
    expect(commits()).toBe(before + 1)
  })

  test('github: one PUT through the contents API, none when unchanged; the token is never printed', async () => {
    const gh = await FakeGitHub.start()
    try {
      gh.addToken(TOKEN, { contents: 'write' })
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url }
      expect(
        (await cli(['push', '--from', 'file:reg.csv', '--to', 'github:acme/widgets'], { cwd, env })).code,
      ).toBe(0)
      const args = ['report', '--registry', 'github:acme/widgets', '--format', 'html', '--publish']
      const before = gh.requests.length
      const first = await cli(args, { cwd, env, now })
      expect(first.code).toBe(0)
      expect(first.stderr).toMatch(
        /^build-timings: published the dashboard to github:acme\/widgets@governance-registry:dashboard\/index\.html \([0-9a-f]{7}\)\n$/,
      )
      expect((await gh.readFile('governance-registry', 'dashboard/index.html')) ?? '').toBe(await page())
      const puts = () => gh.requests.slice(before).filter((r) => r.method === 'PUT')
      expect(puts()).toHaveLength(1)
      const second = await cli(args, { cwd, env, now })
      expect(second.stderr).toMatch(/\(unchanged: no commit\)\n$/)
      expect(puts()).toHaveLength(1)
      expect(first.stderr + second.stderr + first.stdout).not.toContain(TOKEN)
    } finally {
      await gh.close()
    }
  })

  test('a read-only token: one line that says what to grant, exit 1', async () => {
    const gh = await FakeGitHub.start()
    try {
      gh.addToken(TOKEN, { contents: 'read' })
      const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url }
      await gh.commitFile('governance-registry', 'environments/ci/latest/build_timings.csv', csv)
      const r = await cli(['report', '--registry', 'github:acme/widgets', '--format', 'html', '--publish'], {
        cwd,
        env,
        now,
      })
      expect(r.code).toBe(1)
      expect(r.stderr).toBe(
        'build-timings: the token cannot write to github:acme/widgets@governance-registry (read-only): grant "contents: write" to publish the dashboard.\n',
      )
    } finally {
      await gh.close()
    }
  })

  test('--publish without --format html is a usage error naming the fix', async () => {
    const r = await cli(['report', '--registry', 'file:reg.csv', '--publish'], { cwd, now })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--publish commits the dashboard page; add --format html/)
  })
})
