import type { StoredRow } from '../../src/core/csv.js'
import { COMMENT_LIMIT, commentMarker } from '../../src/core/render/comment.js'
import type { Row } from '../../src/core/schema.js'
import { Octokit } from '@octokit/rest'
import { createClient, type GitHubClient } from '../../src/github/octokit.js'
import { upsertRunComment, type UpsertOptions } from '../../src/app/pr-comment.js'
import { GitHubContentsStore } from '../../src/registry/github-contents.js'
import type { RegistryStore } from '../../src/registry/port.js'
import { FakeGitHub } from '../support/github-server.js'
import { MemoryStore } from '../support/memory-store.js'
import { BUDGETS, row } from '../core/render/samples.js'

const WRITE = 'ghs_write'
const READ_ONLY = 'ghs_fork'
const PAT = 'ghp_alice'
const PR = 7
const MARKER = commentMarker('CI')

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A small seeded PRNG, so a failing interleaving can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One matrix job's row; each run starts a day after run 2001. */
const shard = (runId: number, i: number, duration = 100 + i): Row =>
  row({
    phase: `test (shard ${String(i).padStart(2, '0')})`,
    runId,
    start: new Date(Date.parse('2026-01-24T10:00:00Z') + (runId - 2001) * 86_400_000)
      .toISOString()
      .replace('.000Z', 'Z'),
    duration,
    budget: [600, 900, 'ok'],
    cache: [1, 1],
  })

/**
 * A client without plugin-throttling, for the test where 24 jobs share one process: the plugin's
 * limiters are module-wide (one write per second, one comment per 3 s for every client in the process),
 * which on GitHub applies per job, since each job is its own process.
 */
const unthrottledClient = (token: string): GitHubClient =>
  new Octokit({
    auth: token,
    baseUrl: gh.url,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  }) as unknown as GitHubClient

let gh: FakeGitHub
let lines: string[]

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(WRITE, { contents: 'write', pullRequests: 'write', actions: 'read' })
  gh.addToken(READ_ONLY, { contents: 'read', pullRequests: 'read', actions: 'none' })
  gh.addToken(PAT, { contents: 'write', pullRequests: 'write' }, 'alice')
  gh.addPullRequest({ number: PR, head_sha: 'a'.repeat(40) })
  lines = []
})

afterEach(async () => {
  await gh.close()
})

function options(store: RegistryStore, runId: number, token = WRITE): UpsertOptions {
  return {
    client: createClient({ token, baseUrl: gh.url }),
    owner: 'acme',
    repo: 'widgets',
    prNumber: PR,
    workflow: 'CI',
    store,
    env: 'ci',
    selectRun: (r: StoredRow) => r.repository === 'acme/widgets' && r.run_id === String(runId),
    budgets: BUDGETS,
    log: (line) => lines.push(line),
  }
}

const phasesIn = (body: string): string[] =>
  [...body.matchAll(/^\| (test \(shard \d+\)) \|/gm)].map((m) => m[1] as string)

describe('upsertRunComment', () => {
  // The registry over the contents API of the fake server, which serialises the PUTs (the store's own tests
  // cover their races); the comment upserts of all jobs run concurrently with the appends.
  it('24 matrix jobs finishing together leave exactly one comment listing all 24 phases', async () => {
    const runId = 2001
    const jobs = Array.from({ length: 24 }, async (_, i) => {
      const client = unthrottledClient(WRITE)
      const store = new GitHubContentsStore({
        client,
        owner: 'acme',
        repo: 'widgets',
        branch: 'governance-registry',
        pathTemplate: 'environments/{env}/latest/build_timings.csv',
      })
      await new Promise((resolve) => setTimeout(resolve, (i * 7) % 30))
      await store.append('ci', [shard(runId, i)], `build-timings: shard ${i}`)
      return upsertRunComment({ ...options(store, runId), client })
    })
    const results = await Promise.all(jobs)

    const comments = gh.comments(PR)
    expect(comments).toHaveLength(1)
    const [comment] = comments
    expect(comment!.body.startsWith(`${MARKER}\n`)).toBe(true)
    expect(phasesIn(comment!.body)).toEqual(
      Array.from({ length: 24 }, (_, i) => `test (shard ${String(i).padStart(2, '0')})`),
    )
    expect(results.every((r) => r?.commentId === comment!.id)).toBe(true)
    expect(results.filter((r) => r?.action === 'created').length).toBeGreaterThanOrEqual(1)
    expect(lines.filter((l) => /cannot comment/.test(l))).toEqual([])
    // 24 jobs' settle checks (a second each) queue behind one another on a busy machine: 15 s quiet, 48 s loaded.
  }, 180_000)

  it.each([1, 2, 3, 4, 5])(
    'the same with registry reads and writes interleaved at random (seed %i)',
    async (seed) => {
      const random = mulberry32(seed)
      const store = new MemoryStore(() => Math.floor(random() * 25))
      const results = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          await sleep(Math.floor(random() * 40))
          await store.append('ci', [shard(2001, i)], '')
          return upsertRunComment({ ...options(store, 2001), client: unthrottledClient(WRITE) })
        }),
      )
      const comments = gh.comments(PR)
      expect(comments).toHaveLength(1)
      expect(phasesIn(comments[0]!.body)).toHaveLength(24)
      expect(results.every((r) => r?.commentId === comments[0]!.id)).toBe(true)
    },
    60_000,
  )

  it('jobs that all create at once, on a registry that no longer moves, collapse to the oldest comment', async () => {
    const store = new MemoryStore()
    await store.append(
      'ci',
      Array.from({ length: 24 }, (_, i) => shard(2001, i)),
      '',
    )
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        upsertRunComment({ ...options(store, 2001), client: unthrottledClient(WRITE) }),
      ),
    )
    const comments = gh.comments(PR)
    expect(comments).toHaveLength(1)
    expect(results.map((r) => r?.commentId)).toEqual(Array(8).fill(comments[0]!.id))
    expect(phasesIn(comments[0]!.body)).toHaveLength(24)
  })

  it('a second run updates the same comment in place', async () => {
    const store = new MemoryStore()
    await store.append('ci', [shard(2001, 1), shard(2001, 2)], '')
    const first = await upsertRunComment(options(store, 2001))
    expect(first).toEqual({ commentId: expect.any(Number), action: 'created' })

    await store.append('ci', [shard(2002, 1, 300), shard(2002, 2), shard(2002, 3)], '')
    const second = await upsertRunComment(options(store, 2002))
    expect(second).toEqual({ commentId: first!.commentId, action: 'updated' })

    const comments = gh.comments(PR)
    expect(comments.map((c) => c.id)).toEqual([first!.commentId])
    expect(phasesIn(comments[0]!.body)).toEqual(['test (shard 01)', 'test (shard 02)', 'test (shard 03)'])
    expect(comments[0]!.body).toContain(
      '| test (shard 01) | ✅ success | 5m | 10m | 15m | ✅ ok | 1/1 | +197% vs 1m 41s ⚠️ |',
    )

    // Nothing new: nothing is written.
    expect(await upsertRunComment(options(store, 2002))).toEqual({
      commentId: first!.commentId,
      action: 'unchanged',
    })
  })

  it('finds our comment on a later page and collapses seeded duplicates to the oldest, leaving others alone', async () => {
    const store = new MemoryStore()
    await store.append('ci', [shard(2001, 1)], '')
    for (let i = 0; i < 120; i++) gh.addComment(PR, `LGTM ${i}`, 'octocat')
    const human = gh.addComment(PR, `${MARKER}\nquoted by a person`, 'octocat')
    const oldest = gh.addComment(PR, `${MARKER}\nold body`, 'github-actions[bot]')
    const otherBot = gh.addComment(
      PR,
      '<!-- build-timings:Release -->\nanother workflow',
      'github-actions[bot]',
    )
    const duplicate = gh.addComment(PR, `${MARKER}\nduplicate from a race`, 'github-actions[bot]')

    const result = await upsertRunComment(options(store, 2001))
    expect(result).toEqual({ commentId: oldest, action: 'updated' })
    const ids = gh.comments(PR).map((c) => c.id)
    expect(ids).toContain(human)
    expect(ids).toContain(otherBot)
    expect(ids).toContain(oldest)
    expect(ids).not.toContain(duplicate)
    expect(ids).toHaveLength(123)
    expect(phasesIn(gh.comments(PR).find((c) => c.id === oldest)!.body)).toEqual(['test (shard 01)'])
  })

  it('with a personal token, recognises its own earlier comment instead of adding another', async () => {
    const store = new MemoryStore()
    await store.append('ci', [shard(2001, 1)], '')
    const earlier = gh.addComment(PR, `${MARKER}\nfrom the last push`, 'alice')
    const result = await upsertRunComment(options(store, 2001, PAT))
    expect(result?.commentId).toBe(earlier)
    expect(gh.comments(PR).map((c) => c.id)).toEqual([earlier])
  })

  it('a read-only token gets null and one notice, and nothing is posted', async () => {
    const store = new MemoryStore()
    await store.append('ci', [shard(2001, 1)], '')
    expect(await upsertRunComment(options(store, 2001, READ_ONLY))).toBeNull()
    expect(lines).toEqual([expect.stringMatching(/^cannot comment: grant pull-requests: write/)])
    expect(gh.comments(PR)).toEqual([])
  })

  it('truncates a body over 65,000 characters politely', async () => {
    const store = new MemoryStore()
    const many = Array.from({ length: 500 }, (_, i) =>
      row({
        phase: `e2e ${String(i).padStart(3, '0')} ${'long-name-'.repeat(12)}`,
        runId: 2001,
        start: '2026-01-24T10:00:00Z',
        duration: 900,
        budget: [480, 720, 'over_max'],
      }),
    )
    await store.append('ci', many, '')
    const result = await upsertRunComment(options(store, 2001))
    expect(result?.action).toBe('created')
    const [comment] = gh.comments(PR)
    expect(comment!.body.length).toBeLessThan(COMMENT_LIMIT)
    expect(comment!.body).toMatch(/… \d+ more phases not shown/)
  })

  it('never throws for GitHub or registry trouble: one line and null', async () => {
    const broken: RegistryStore = {
      label: 'broken:',
      read: async () => {
        throw new Error('registry unreadable')
      },
      append: async () => {
        throw new Error('unused')
      },
    }
    expect(await upsertRunComment(options(broken, 2001))).toBeNull()
    expect(lines).toEqual(['PR comment skipped: registry unreadable'])

    lines = []
    const store = new MemoryStore()
    await store.append('ci', [shard(2001, 1)], '')
    expect(await upsertRunComment({ ...options(store, 2001), prNumber: 999 })).toBeNull()
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^PR comment skipped: Not Found/)
  })

  it('skips with a line when the registry holds no row of this run', async () => {
    const store = new MemoryStore()
    expect(await upsertRunComment(options(store, 2001))).toBeNull()
    expect(lines).toEqual(['PR comment skipped: no rows of this run in memory:.'])
    expect(gh.comments(PR)).toEqual([])
  })
})
