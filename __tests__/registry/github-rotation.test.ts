import { jest } from '@jest/globals'
import { Octokit } from '@octokit/rest'
import { parseRegistry } from '../../src/core/csv.js'
import { buildRow } from '../../src/core/row.js'
import { HEADER_LINE, type Row } from '../../src/core/schema.js'
import type { GitHubClient } from '../../src/github/octokit.js'
import { GitHubContentsStore } from '../../src/registry/github-contents.js'
import { FakeGitHub } from '../support/github-server.js'

// The bounded registry (README "The registry") over the local GitHub server (a real bare repository): rotation, a retry
// across it, a legacy file, an oversized registry from before the layout, and readers across segments.

const BRANCH = 'governance-registry'
const LATEST = 'environments/ci/latest/build_timings.csv'
const HISTORY = 'environments/ci/history'
const TOKEN = 'ghs_rotation'

jest.setTimeout(120_000)

let gh: FakeGitHub
let client: GitHubClient

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write' })
  client = new Octokit({
    auth: TOKEN,
    baseUrl: gh.url,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  }) as unknown as GitHubClient
})
afterEach(async () => {
  await gh.close()
})

const fastRetry = { maxAttempts: 40, maxTotalMs: 60_000, baseMs: 5, capMs: 40 }
const store = (rotateBytes = 2000): GitHubContentsStore =>
  new GitHubContentsStore({
    client,
    owner: 'acme',
    repo: 'widgets',
    branch: BRANCH,
    pathTemplate: 'environments/{env}/latest/build_timings.csv',
    rotateBytes,
    retry: fastRetry,
  })

const row = (i: number, second = i): Row =>
  buildRow({
    source: 'cli',
    phase: `p${i}`,
    env: 'ci',
    buildId: `b${i}`,
    start: new Date(Date.UTC(2026, 0, 24, 10, 0, second)),
    end: new Date(Date.UTC(2026, 0, 24, 10, 1, second)),
    exitCode: 0,
    status: 'success',
  })

async function entry(path: string): Promise<{ sha: string } | null> {
  try {
    const res = await client.rest.repos.getContent({ owner: 'acme', repo: 'widgets', path, ref: BRANCH })
    return res.data as { sha: string }
  } catch {
    return null
  }
}

async function segments(): Promise<string[]> {
  try {
    const res = await client.rest.repos.getContent({
      owner: 'acme',
      repo: 'widgets',
      path: HISTORY,
      ref: BRANCH,
    })
    return (res.data as { name: string }[]).map((e) => e.name).sort()
  } catch {
    return []
  }
}

/** Every row on the branch, history and latest, as phases (with repeats, if any). */
async function allPhases(): Promise<string[]> {
  const texts = await Promise.all([
    ...(await segments()).map((n) => gh.readFile(BRANCH, `${HISTORY}/${n}`)),
    gh.readFile(BRANCH, LATEST),
  ])
  return texts.flatMap((t) => parseRegistry(t ?? '', 'x').rows.map((r) => r.phase ?? ''))
}

const rowBytes = Buffer.byteLength(`${Object.values(row(0)).join(',')}\n`)

describe('rotation', () => {
  test('the append that would pass the bound moves latest/ as the same blob, in one commit', async () => {
    const s = store(2000)
    let i = 0
    while ((await segments()).length === 0) {
      await s.append('ci', [row(i)], `m${i}`)
      i++
      if (i > 50) throw new Error('never rotated')
    }
    const before = await gh.commits(BRANCH)
    // The rotating append was the last one: latest/ holds the header and that row only.
    const latest = await gh.readFile(BRANCH, LATEST)
    expect(latest).toBe(`${HEADER_LINE}\n${Object.values(row(i - 1)).join(',')}\n`)
    const [name] = await segments()
    // Named by the start of its own last row (row i-2), in compact form.
    expect(name).toBe(`20260124T1000${String(i - 2).padStart(2, '0')}Z.csv`)
    const segment = await gh.readFile(BRANCH, `${HISTORY}/${name}`)
    expect(segment?.startsWith(`${HEADER_LINE}\n`)).toBe(true)
    expect(Buffer.byteLength(segment ?? '')).toBeLessThanOrEqual(2000)
    expect(Buffer.byteLength(segment ?? '') + rowBytes).toBeGreaterThan(2000)
    expect(before[0]?.message).toBe(`m${i - 1}`)
    expect(await allPhases()).toEqual(Array.from({ length: i }, (_, k) => `p${k}`))
    // The move was by sha: the tree entry points at the blob that latest/ held before.
    const writes = gh.requests.filter((r) => r.method !== 'GET')
    const tree = writes.filter((r) => r.method === 'POST' && /git\/trees$/.test(r.path)).at(-1)
    const moved = (tree?.body as { tree: { path: string; sha?: string; content?: string }[] }).tree
    expect(moved.find((e) => e.path === `${HISTORY}/${name}`)).toEqual(
      expect.objectContaining({ sha: (await entry(`${HISTORY}/${name}`))?.sha }),
    )
    expect(moved.find((e) => e.path === `${HISTORY}/${name}`)?.content).toBeUndefined()
    expect(writes.filter((r) => r.method === 'PATCH')).toHaveLength(1)
    expect(writes.filter((r) => r.method === 'PATCH')[0]?.body).toMatchObject({ force: false })
  })

  test('a retry of rows that a rotation moved to history/ is a no-op', async () => {
    const s = store(3000)
    const mine = row(100, 59)
    await s.append('ci', [mine], 'mine')
    let i = 0
    while ((await segments()).length === 0) await s.append('ci', [row(i++)], 'other')
    expect(await gh.readFile(BRANCH, LATEST)).not.toContain(mine.row_id)
    // GraphQL queries are reads (the store's first read of latest/ and history/ is one).
    const writes = gh.writes().length
    const again = await s.append('ci', [mine, row(200, 1)], 'retry')
    expect(again.duplicates).toEqual([mine])
    expect(again.appended.map((r) => r.phase)).toEqual(['p200'])
    const phases = await allPhases()
    expect(phases.filter((p) => p === 'p100')).toHaveLength(1)
    expect(gh.writes().length).toBe(writes + 1)
    expect((await s.append('ci', [mine], 'retry')).commit).toBeNull()
  })

  test('a taken segment name gets -2, -3', async () => {
    const s = store(1200)
    for (let i = 0; i < 20; i++) await s.append('ci', [row(i, 7)], `m${i}`)
    const names = await segments()
    expect(names.length).toBeGreaterThanOrEqual(3)
    expect(names).toEqual(
      expect.arrayContaining(['20260124T100007Z.csv', '20260124T100007Z-2.csv', '20260124T100007Z-3.csv']),
    )
    expect((await allPhases()).sort()).toEqual(Array.from({ length: 20 }, (_, k) => `p${k}`).sort())
  })

  test('concurrent writers across rotations: every row once, none lost', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i))
    await Promise.all(rows.map((r, i) => store(700).append('ci', [r], `m${i}`)))
    expect((await segments()).length).toBeGreaterThanOrEqual(2)
    expect((await allPhases()).sort()).toEqual(rows.map((r) => r.phase).sort())
  }, 120_000)

  test('many rows in one append (push) land as bounded segments in one commit, each row once', async () => {
    await store(1000).append('ci', [row(0)], 'first')
    const before = (await gh.commits(BRANCH)).length
    const rows = Array.from({ length: 12 }, (_, i) => row(i + 1))
    expect((await store(1000).append('ci', rows, 'push')).appended).toHaveLength(12)
    expect((await gh.commits(BRANCH)).length).toBe(before + 1)
    expect((await segments()).length).toBeGreaterThanOrEqual(2)
    expect(await allPhases()).toEqual(Array.from({ length: 13 }, (_, k) => `p${k}`))
    for (const n of await segments()) {
      expect(Buffer.byteLength((await gh.readFile(BRANCH, `${HISTORY}/${n}`)) ?? '')).toBeLessThanOrEqual(
        1000,
      )
    }
  })

  test('migrate moves an oversized latest/ as the same blob in one commit, no row added', async () => {
    const old = `${HEADER_LINE}\n${Array.from({ length: 20 }, (_, i) => Object.values(row(i)).join(',')).join('\n')}\n`
    await gh.commitFile(BRANCH, LATEST, old)
    const sha = (await entry(LATEST))?.sha
    const before = (await gh.commits(BRANCH)).length
    const out = await store(1000).migrate('ci', 'migrate')
    expect(out.moved).toEqual({ to: `${HISTORY}/20260124T100019Z.csv`, bytes: Buffer.byteLength(old) })
    expect((await entry(`${HISTORY}/20260124T100019Z.csv`))?.sha).toBe(sha)
    expect(await gh.readFile(BRANCH, LATEST)).toBe(`${HEADER_LINE}\n`)
    expect((await gh.commits(BRANCH)).length).toBe(before + 1)
    expect((await store(1000).migrate('ci', 'migrate')).moved).toBeNull()
  })

  test('a legacy file rotates whole, keeping its own header; latest/ restarts with the current header', async () => {
    const header =
      'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path\n'
    const old = Array.from(
      { length: 30 },
      (_, i) =>
        `2025-01-01T00:00:${String(i).padStart(2, '0')}Z,2025-01-01T00:01:00Z,deploy,ci,persistent,60,0,,\n`,
    ).join('')
    await gh.commitFile(BRANCH, LATEST, header + old)
    const sha = (await entry(LATEST))?.sha
    await store(header.length + old.length).append('ci', [row(1)], 'm')
    expect(await segments()).toEqual(['20250101T000029Z.csv'])
    expect((await entry(`${HISTORY}/20250101T000029Z.csv`))?.sha).toBe(sha)
    expect(await gh.readFile(BRANCH, LATEST)).toBe(`${HEADER_LINE}\n${Object.values(row(1)).join(',')}\n`)
  })

  test('an oversized registry from before the layout is brought into it by its next append, bytes unchanged', async () => {
    const big = `${HEADER_LINE}\n${Array.from({ length: 8000 }, (_, i) => Object.values(row(i, i % 60)).join(',')).join('\n')}\n`
    await gh.commitFile(BRANCH, LATEST, big)
    expect(Buffer.byteLength(big)).toBeGreaterThan(1024 * 1024)
    const commitsBefore = (await gh.commits(BRANCH)).length
    const out = await store(1024 * 1024).append('ci', [row(9999, 1)], 'first')
    expect(out.appended).toHaveLength(1)
    expect((await gh.commits(BRANCH)).length).toBe(commitsBefore + 1)
    const [name] = await segments()
    expect(await gh.readFile(BRANCH, `${HISTORY}/${name}`)).toBe(big)
    expect(await gh.readFile(BRANCH, LATEST)).toBe(
      `${HEADER_LINE}\n${Object.values(row(9999, 1)).join(',')}\n`,
    )
    // Steady state: the next append reads and writes only latest/ (plus the young-latest look at history/).
    gh.requests.length = 0
    await store(1024 * 1024).append('ci', [row(10000, 2)], 'next')
    const put = gh.requests.find((r) => r.method === 'PUT')
    expect(Buffer.byteLength(JSON.stringify(put?.body))).toBeLessThan(4096)
  })
})

describe('readers across segments', () => {
  test('a read goes back through the newest segments only as far as it needs', async () => {
    const s = store(1500)
    for (let i = 0; i < 30; i++) await s.append('ci', [row(i)], `m${i}`)
    const names = await segments()
    expect(names.length).toBeGreaterThanOrEqual(3)
    gh.requests.length = 0
    const few = await s.read('ci', { rows: 2 })
    expect(few.rows.length).toBeGreaterThanOrEqual(2)
    expect(few.rows.at(-1)?.phase).toBe('p29')
    const blobReads = gh.requests.filter((r) => /git\/blobs/.test(r.path)).length
    expect(blobReads).toBeLessThanOrEqual(1)
    const all = await s.read('ci', { all: true })
    expect(all.rows.map((r) => r.phase)).toEqual(Array.from({ length: 30 }, (_, k) => `p${k}`))
    const since = await s.read('ci', { since: '2026-01-24T10:00:25Z' })
    expect(since.rows.map((r) => r.phase)).toEqual(
      expect.arrayContaining(['p25', 'p26', 'p27', 'p28', 'p29']),
    )
    expect(since.rows.length).toBeLessThan(30)
    const lint = await s.read('ci', { phase: 'p3', rows: 1 })
    expect(lint.rows.map((r) => r.phase)).toEqual(['p3'])
  })
})
