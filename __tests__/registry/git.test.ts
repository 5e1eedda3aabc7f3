import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError } from '../../src/core/errors.js'
import { buildRow } from '../../src/core/row.js'
import { HEADER_LINE, type Row } from '../../src/core/schema.js'
import { GitStore } from '../../src/registry/git.js'

let repo: string
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: gitEnv }).trim()
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }

beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'bt-git-'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.name', 'Dev')
  git('config', 'user.email', 'dev@example.com')
  await writeFile(join(repo, 'README'), 'hello\n')
  git('add', 'README')
  git('commit', '-q', '-m', 'init')
  // Work in progress that must survive every registry write.
  await writeFile(join(repo, 'README'), 'hello, edited\n')
  await writeFile(join(repo, 'staged.txt'), 'staged\n')
  git('add', 'staged.txt')
})
afterEach(async () => {
  await rm(repo, { recursive: true, force: true })
})

const row = (phase: string, env: string, second: number): Row =>
  buildRow({
    source: 'cli',
    phase,
    env,
    buildId: 'persistent',
    start: new Date(Date.UTC(2026, 0, 24, 10, 0, second)),
    end: new Date(Date.UTC(2026, 0, 24, 10, 2, second)),
    exitCode: 0,
    status: 'success',
  })

const store = (branch = 'governance-registry') => new GitStore({ cwd: repo, branch, env: gitEnv })

describe('GitStore', () => {
  test('creates an orphan branch holding only the registry file, without touching the work tree or index', async () => {
    const statusBefore = git('status', '--porcelain')
    const head = git('rev-parse', 'HEAD')
    const out = await store().append(
      'development',
      [row('bootstrap-persistent', 'development', 1)],
      'build-timings: x [skip ci]',
    )
    expect(out.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(out.location).toBe('git:governance-registry:environments/development/latest/build_timings.csv')
    expect(git('rev-list', '--parents', 'governance-registry')).toBe(out.commit) // no parent: an orphan
    expect(git('ls-tree', '-r', '--name-only', 'governance-registry')).toBe(
      'environments/development/latest/build_timings.csv',
    )
    expect(git('log', '-1', '--format=%s', 'governance-registry')).toBe('build-timings: x [skip ci]')
    expect(git('status', '--porcelain')).toBe(statusBefore)
    expect(git('rev-parse', 'HEAD')).toBe(head)
    expect(await readFile(join(repo, 'README'), 'utf8')).toBe('hello, edited\n')
    expect(git('diff', '--cached', '--name-only')).toBe('staged.txt')
  })

  test('appends as a child commit, keeps other envs, is idempotent, and scans every env', async () => {
    const s = store()
    await s.append('development', [row('a', 'development', 1)], 'm1')
    await s.append('production', [row('b', 'production', 2)], 'm2')
    const second = await s.append(
      'development',
      [row('a', 'development', 1), row('c', 'development', 3)],
      'm3',
    )
    expect(second.appended.map((r) => r.phase)).toEqual(['c'])
    expect(second.duplicates).toHaveLength(1)
    expect((await s.append('development', [row('c', 'development', 3)], 'm4')).commit).toBeNull()
    expect(git('rev-list', '--count', 'governance-registry')).toBe('3')
    expect((await s.read('development')).rows.map((r) => r.phase)).toEqual(['a', 'c'])
    expect(await s.envs()).toEqual(['development', 'production'])
    const scanned: string[] = []
    for await (const r of s.scan()) scanned.push(`${r.env}/${r.phase}`)
    expect(scanned).toEqual(['development/a', 'development/c', 'production/b'])
  })

  test('racing writers (separate store objects) all land: compare-and-swap plus retry', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => row(`p${i}`, 'ci', i))
    await Promise.all(rows.map((r) => store().append('ci', [r], `m ${r.phase}`)))
    const read = await store().read('ci')
    expect(read.rows.map((r) => r.phase).sort()).toEqual(rows.map((r) => r.phase).sort())
    expect(git('rev-list', '--count', 'governance-registry')).toBe('8')
  })

  test('works without a configured git identity', async () => {
    git('config', '--unset', 'user.name')
    git('config', '--unset', 'user.email')
    const env = { ...gitEnv, HOME: repo, EMAIL: '' }
    const out = await new GitStore({ cwd: repo, branch: 'reg', env }).append('ci', [row('x', 'ci', 1)], 'm')
    expect(out.commit).not.toBeNull()
  })

  test('refuses a checked-out branch, a bad branch name, and a directory outside a repository', async () => {
    await expect(store('main').check()).rejects.toThrow(/checked out.*git:governance-registry/)
    await expect(store('bad..name').check()).rejects.toBeInstanceOf(InputError)
    const outside = await mkdtemp(join(tmpdir(), 'bt-nogit-'))
    try {
      await expect(
        new GitStore({
          cwd: outside,
          branch: 'x',
          env: { ...gitEnv, GIT_CEILING_DIRECTORIES: tmpdir() },
        }).check(),
      ).rejects.toThrow(/not inside one/)
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
    await expect(store().check()).resolves.toBeUndefined()
  })

  describe('bounded layout: latest/ + history/', () => {
    const small = (rotateBytes: number) =>
      new GitStore({ cwd: repo, branch: 'governance-registry', env: gitEnv, rotateBytes })
    const LATEST = 'environments/ci/latest/build_timings.csv'
    const segments = (): string[] => {
      const out = git('ls-tree', '--name-only', 'governance-registry', 'environments/ci/history/')
      return out ? out.split('\n').map((p) => p.slice('environments/ci/history/'.length)) : []
    }
    const phases = (): string[] =>
      [...segments().map((n) => `environments/ci/history/${n}`), LATEST].flatMap((p) =>
        git('show', `governance-registry:${p}`)
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[2] ?? ''),
      )

    test('rotates latest/ as the same blob in the append that would pass the bound; a retry across it is a no-op', async () => {
      const s = small(700)
      const first = row('r0', 'ci', 0)
      await s.append('ci', [first], 'm')
      let i = 1
      while (segments().length === 0) await s.append('ci', [row(`r${i}`, 'ci', i++)], 'm')
      const [name] = segments()
      expect(name).toBe(`20260124T1000${String(i - 2).padStart(2, '0')}Z.csv`)
      expect(git('rev-parse', `governance-registry:environments/ci/history/${name}`)).toBe(
        git('rev-parse', `governance-registry~1:${LATEST}`),
      )
      expect(git('show', `governance-registry:${LATEST}`).split('\n')).toHaveLength(2)
      const commits = Number(git('rev-list', '--count', 'governance-registry'))
      const again = await s.append('ci', [first], 'retry')
      expect(again).toMatchObject({ commit: null, appended: [] })
      expect(Number(git('rev-list', '--count', 'governance-registry'))).toBe(commits)
      expect(phases()).toEqual(Array.from({ length: i }, (_, k) => `r${k}`))
      const read = await s.read('ci', { all: true })
      expect(read.rows.map((r) => r.phase)).toEqual(Array.from({ length: i }, (_, k) => `r${k}`))
      const scanned: string[] = []
      for await (const r of s.scan('ci')) scanned.push(r.phase ?? '')
      expect(scanned).toEqual(Array.from({ length: i }, (_, k) => `r${k}`))
      for (let k = i; k < 12; k++) await s.append('ci', [row(`r${k}`, 'ci', k)], 'm')
      expect(segments().length).toBeGreaterThanOrEqual(3)
      // A --since window reads latest/ and the segments that may hold its rows (one straddling), no more.
      const recent: string[] = []
      for await (const r of s.scan('ci', { since: '2026-01-24T10:00:11Z' })) recent.push(r.phase ?? '')
      expect(recent).toEqual(Array.from({ length: 12 }, (_, k) => `r${k}`).slice(-recent.length))
      expect(recent.length).toBeLessThan(12)
      expect(recent).toContain('r11')
    })

    test('concurrent writers across rotations keep every row exactly once', async () => {
      const rows = Array.from({ length: 12 }, (_, i) => row(`c${i}`, 'ci', i))
      await Promise.all(rows.map((r) => small(700).append('ci', [r], 'm')))
      expect(segments().length).toBeGreaterThanOrEqual(2)
      expect(phases().sort()).toEqual(rows.map((r) => r.phase).sort())
    })

    test('a registry already past the bound is brought into the layout by its next append, in one commit', async () => {
      const legacy =
        'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path\r\n'
      const rowsText = Array.from(
        { length: 40 },
        (_, i) =>
          `2025-03-01T00:00:${String(i).padStart(2, '0')}Z,2025-03-01T00:01:00Z,deploy,ci,persistent,60,0,,\r\n`,
      ).join('')
      await small(1 << 20).append('ci', [row('seed', 'ci', 0)], 'm')
      const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], {
        cwd: repo,
        input: legacy + rowsText,
        env: gitEnv,
      })
        .toString()
        .trim()
      const index = { ...gitEnv, GIT_INDEX_FILE: join(repo, '.git', 'seed-index') }
      execFileSync('git', ['update-index', '--add', '--cacheinfo', `100644,${blob},${LATEST}`], {
        cwd: repo,
        env: index,
      })
      const tree = execFileSync('git', ['write-tree'], { cwd: repo, env: index }).toString().trim()
      git(
        'update-ref',
        'refs/heads/governance-registry',
        git('commit-tree', tree, '-p', 'governance-registry', '-m', 'old'),
      )
      const before = Number(git('rev-list', '--count', 'governance-registry'))
      const out = await small(1000).append('ci', [row('a', 'ci', 1)], 'm')
      expect(out.appended).toHaveLength(1)
      expect(Number(git('rev-list', '--count', 'governance-registry'))).toBe(before + 1)
      expect(segments()).toEqual(['20250301T000039Z.csv'])
      expect(git('rev-parse', 'governance-registry:environments/ci/history/20250301T000039Z.csv')).toBe(blob)
      const latest = execFileSync('git', ['cat-file', 'blob', `governance-registry:${LATEST}`], { cwd: repo })
      expect(latest.toString()).toBe(`${HEADER_LINE}\r\n${Object.values(row('a', 'ci', 1)).join(',')}\r\n`)
    })

    test('many rows in one append (push) land as bounded segments in one commit, each row once', async () => {
      await small(700).append('ci', [row('first', 'ci', 0)], 'm')
      const before = Number(git('rev-list', '--count', 'governance-registry'))
      const rows = Array.from({ length: 15 }, (_, i) => row(`b${i}`, 'ci', i + 1))
      const out = await small(700).append('ci', rows, 'push')
      expect(out.appended).toHaveLength(15)
      expect(Number(git('rev-list', '--count', 'governance-registry'))).toBe(before + 1)
      expect(segments().length).toBeGreaterThanOrEqual(3)
      expect(phases()).toEqual(['first', ...rows.map((r) => r.phase)])
      for (const name of segments()) {
        const size = Number(git('cat-file', '-s', `governance-registry:environments/ci/history/${name}`))
        expect(size).toBeLessThanOrEqual(700)
      }
      // The newest rows are in latest/ or the newest segment: a retry of them is a no-op.
      expect((await small(700).append('ci', rows.slice(-2), 'again')).commit).toBeNull()
    })

    test('migrate moves an oversized latest/ whole in one commit and leaves its header; twice is a no-op', async () => {
      const s = small(1 << 20)
      await s.append(
        'ci',
        Array.from({ length: 6 }, (_, i) => row(`m${i}`, 'ci', i)),
        'm',
      )
      const before = git('rev-parse', `governance-registry:${LATEST}`)
      const tight = small(600)
      const out = await tight.migrate('ci', 'migrate')
      expect(out.moved?.to).toBe('environments/ci/history/20260124T100005Z.csv')
      expect(git('rev-parse', `governance-registry:${out.moved?.to}`)).toBe(before)
      expect(git('show', `governance-registry:${LATEST}`)).toBe(HEADER_LINE)
      expect(git('log', '-1', '--format=%s', 'governance-registry')).toBe('migrate')
      expect(await tight.migrate('ci', 'migrate')).toMatchObject({ moved: null, commit: null })
      const read = await tight.read('ci', { all: true })
      expect(read.rows.map((r) => r.phase)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5'])
    })

    test('bytes that are not UTF-8 in latest/ are kept byte for byte, appended to and rotated', async () => {
      const { HEADER_LINE: header, COLUMNS } = await import('../../src/core/schema.js')
      const odd = Buffer.concat([
        Buffer.from(`${header}\n2026-01-01T00:00:00Z,2026-01-01T00:01:00Z,odd,ci,b,60,0,`),
        Buffer.from([0xe9, 0xff]),
        Buffer.from(`${',x'.repeat(COLUMNS.length - 9)},cli/odd\n`),
      ])
      // Seeded with plumbing in a throwaway index, as a registry written by another tool would be.
      const index = { ...gitEnv, GIT_INDEX_FILE: join(repo, '.git', 'seed-index') }
      const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], {
        cwd: repo,
        input: odd,
        env: gitEnv,
      })
        .toString()
        .trim()
      execFileSync('git', ['update-index', '--add', '--cacheinfo', `100644,${blob},${LATEST}`], {
        cwd: repo,
        env: index,
      })
      const tree = execFileSync('git', ['write-tree'], { cwd: repo, env: index }).toString().trim()
      git('update-ref', 'refs/heads/governance-registry', git('commit-tree', tree, '-m', 'seed'))
      await small(1 << 20).append('ci', [row('a', 'ci', 1)], 'm')
      const after = execFileSync('git', ['cat-file', 'blob', `governance-registry:${LATEST}`], {
        cwd: repo,
        env: gitEnv,
      })
      expect(after.subarray(0, odd.length).equals(odd)).toBe(true)
      await small(odd.length + 10).append('ci', [row('b', 'ci', 2)], 'm')
      expect(git('rev-parse', `governance-registry:environments/ci/history/20260124T100001Z.csv`)).toBe(
        git('rev-parse', `governance-registry~1:${LATEST}`),
      )
    })
  })
})
