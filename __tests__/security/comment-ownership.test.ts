// docs/security.md: a comment is ours only when it starts with the marker AND its author is the identity this token
// writes as. Comments seeded by another app, another person or the default token are never edited or deleted.
import { upsertRunComment, type UpsertOptions } from '../../src/app/pr-comment.js'
import { commentMarker } from '../../src/core/render/comment.js'
import { createClient } from '../../src/github/octokit.js'
import type { RegistryStore } from '../../src/registry/port.js'
import { BUDGETS, row } from '../core/render/samples.js'
import { FakeGitHub } from '../support/github-server.js'
import { MemoryStore } from '../support/memory-store.js'

const GITHUB_TOKEN = 'ghs_defaultWorkflowToken'
const APP_TOKEN = 'ghs_ourOwnAppToken'
const PAT = 'ghp_alicePersonalToken'
const PR = 5
const MARKER = commentMarker('CI')

let gh: FakeGitHub
beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(GITHUB_TOKEN, { contents: 'write', pullRequests: 'write' })
  gh.addToken(APP_TOKEN, { contents: 'write', pullRequests: 'write' }, 'timings-app[bot]')
  gh.addToken(PAT, { contents: 'write', pullRequests: 'write' }, 'alice')
  gh.addPullRequest({ number: PR, head_sha: 'a'.repeat(40) })
})
afterEach(async () => {
  await gh.close()
})

async function store(): Promise<RegistryStore> {
  const s = new MemoryStore()
  await s.append(
    'ci',
    [row({ phase: 'build', runId: 3001, start: '2026-01-24T10:00:00Z', duration: 60 })],
    '',
  )
  return s
}

async function upsert(token: string): Promise<ReturnType<typeof upsertRunComment>> {
  const opts: UpsertOptions = {
    client: createClient({ token, baseUrl: gh.url }),
    owner: 'acme',
    repo: 'widgets',
    prNumber: PR,
    workflow: 'CI',
    store: await store(),
    env: 'ci',
    selectRun: (r) => r.run_id === '3001',
    budgets: BUDGETS,
    log: () => undefined,
  }
  return upsertRunComment(opts)
}

const bodyOf = (id: number): string | undefined => gh.comments(PR).find((c) => c.id === id)?.body

describe('comment ownership', () => {
  test('GITHUB_TOKEN never takes over a marker comment of another app or of a person', async () => {
    const otherApp = gh.addComment(PR, `${MARKER}\nseeded by another app`, 'other-app[bot]')
    const person = gh.addComment(PR, `${MARKER}\nquoted by a person`, 'octocat')
    const result = await upsert(GITHUB_TOKEN)
    expect(result?.action).toBe('created')
    expect(bodyOf(otherApp)).toBe(`${MARKER}\nseeded by another app`)
    expect(bodyOf(person)).toBe(`${MARKER}\nquoted by a person`)
    const mine = gh.comments(PR).find((c) => c.id === result?.commentId)
    expect(mine?.user.login).toBe('github-actions[bot]')
    // And the next job finds its own comment again, still leaving the others alone.
    expect((await upsert(GITHUB_TOKEN))?.commentId).toBe(result?.commentId)
    expect(gh.comments(PR)).toHaveLength(3)
  })

  test("a personal token edits only its user's comment, not the default token's", async () => {
    const bots = gh.addComment(PR, `${MARKER}\nby the workflow token`, 'github-actions[bot]')
    const bob = gh.addComment(PR, `${MARKER}\nby bob`, 'bob')
    const alice = gh.addComment(PR, `${MARKER}\nby alice, earlier`, 'alice')
    const result = await upsert(PAT)
    expect(result).toEqual({ commentId: alice, action: 'updated' })
    expect(bodyOf(bots)).toBe(`${MARKER}\nby the workflow token`)
    expect(bodyOf(bob)).toBe(`${MARKER}\nby bob`)
    expect(gh.comments(PR)).toHaveLength(3)
  })

  test("an app's token converges to its own bot's comment and never touches the default token's", async () => {
    const bots = gh.addComment(PR, `${MARKER}\nby the workflow token`, 'github-actions[bot]')
    const ours = gh.addComment(PR, `${MARKER}\nby our app, earlier`, 'timings-app[bot]')
    const result = await upsert(APP_TOKEN)
    expect(result?.commentId).toBe(ours)
    expect(bodyOf(bots)).toBe(`${MARKER}\nby the workflow token`)
    expect(bodyOf(ours)).not.toBe(`${MARKER}\nby our app, earlier`)
    expect(gh.comments(PR).map((c) => c.id)).toEqual([bots, ours])
  })
})
