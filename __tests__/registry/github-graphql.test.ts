import { jest } from '@jest/globals'
import { Octokit } from '@octokit/rest'
import { buildRow } from '../../src/core/row.js'
import { HEADER_LINE, type Row } from '../../src/core/schema.js'
import { pullRequestComments } from '../../src/github/comments.js'
import type { GitHubClient } from '../../src/github/octokit.js'
import { GitHubContentsStore } from '../../src/registry/github-contents.js'
import { FakeGitHub, type RequestRecord } from '../support/github-server.js'

// Write economy (README "Within GitHub's limits"): the first registry read is one GraphQL query for latest/, the
// history/ listing and the branch; a PR's comments come with viewerDidAuthor. Whenever GraphQL cannot say, REST
// answers as before, byte for byte.

const BRANCH = 'governance-registry'
const LATEST = 'environments/ci/latest/build_timings.csv'
const TOKEN = 'ghs_graphql'

jest.setTimeout(60_000)

let gh: FakeGitHub
let client: GitHubClient

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write' })
  client = new Octokit({
    auth: TOKEN,
    baseUrl: gh.url,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  }) as unknown as GitHubClient
})
afterEach(async () => {
  await gh.close()
})

const store = (): GitHubContentsStore =>
  new GitHubContentsStore({
    client,
    owner: 'acme',
    repo: 'widgets',
    branch: BRANCH,
    pathTemplate: 'environments/{env}/latest/build_timings.csv',
  })

const row = (i: number): Row =>
  buildRow({
    source: 'cli',
    phase: `p${i}`,
    env: 'ci',
    buildId: `b${i}`,
    start: new Date(Date.UTC(2026, 0, 24, 10, 0, i)),
    end: new Date(Date.UTC(2026, 0, 24, 10, 1, i)),
    exitCode: 0,
    status: 'success',
  })

const shape = (rs: RequestRecord[]): string[] => rs.map((r) => `${r.method} ${r.path.split('?')[0]}`)
const since = (n: number): RequestRecord[] => gh.requests.slice(n)

describe('the registry read over GraphQL', () => {
  test('a read and an append on a registry with history/ cost one query and one PUT', async () => {
    await gh.commitFile(BRANCH, 'environments/ci/history/20260101T000000Z.csv', `${HEADER_LINE}\n`)
    await gh.commitFile(BRANCH, LATEST, `${HEADER_LINE}\n`)
    const s = store()
    const before = gh.requests.length
    const read = await s.read('ci', { phase: 'p1', rows: 41 })
    expect(read.rows).toEqual([])
    const done = await s.append('ci', [row(1)], 'one row')
    expect(done.commit).toMatch(/^[0-9a-f]{40}$/)
    // The history segment is read by sha for the trend (latest/ holds too few rows), then the PUT.
    expect(shape(since(before))).toEqual([
      'POST /graphql',
      expect.stringMatching(/^GET \/repos\/acme\/widgets\/git\/blobs\/[0-9a-f]{40}$/),
      `PUT /repos/acme/widgets/contents/${encodeURIComponent(LATEST)}`,
    ])
    expect(await gh.readFile(BRANCH, LATEST)).toBe(`${HEADER_LINE}\n${await rowLine(1)}`)
  })

  test('no branch yet: the query says so, and the append creates it', async () => {
    const s = store()
    const before = gh.requests.length
    expect((await s.read('ci')).rows).toEqual([])
    await s.append('ci', [row(2)], 'first')
    const asked = shape(since(before))
    expect(asked[0]).toBe('POST /graphql')
    expect(asked.filter((r) => r.startsWith('GET /repos/acme/widgets/contents'))).toEqual([])
    expect(await gh.readFile(BRANCH, LATEST)).toContain(row(2).row_id)
  })

  test.each([
    ['cut at 10 bytes', 10],
    ['not UTF-8', 512 * 1024],
  ])('a text %s is read as raw bytes, kept exactly', async (_, limit) => {
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER_LINE}\n`),
      Buffer.from('caf\xe9', 'latin1'),
      Buffer.from(`${','.repeat(HEADER_LINE.split(',').length - 1)}\n`),
    ])
    await gh.commitFile(BRANCH, LATEST, latin1)
    gh.graphqlTextLimit = limit
    const s = store()
    await s.read('ci')
    expect(gh.requests.filter((r) => r.path.includes('/git/blobs/'))).toHaveLength(1)
    await s.append('ci', [row(3)], 'after')
    const now = (await gh.readBytes(BRANCH, LATEST)) ?? Buffer.alloc(0)
    expect(now.subarray(0, latin1.length)).toEqual(latin1)
    expect(now.toString('utf8')).toContain(row(3).row_id)
  })

  test('a GitHub without GraphQL: REST reads the same file, once GraphQL failed', async () => {
    await gh.commitFile(BRANCH, LATEST, `${HEADER_LINE}\n`)
    gh.injectFault({ method: 'POST', path: /^\/graphql$/, status: 404, times: Infinity })
    const s = store()
    const before = gh.requests.length
    await s.read('ci', { phase: 'p4', rows: 41 })
    await s.append('ci', [row(4)], 'rest')
    expect(shape(since(before))).toEqual([
      'POST /graphql',
      `GET /repos/acme/widgets/contents/${encodeURIComponent(LATEST)}`,
      `GET /repos/acme/widgets/contents/${encodeURIComponent('environments/ci/history')}`,
      `PUT /repos/acme/widgets/contents/${encodeURIComponent(LATEST)}`,
    ])
    expect(await gh.readFile(BRANCH, LATEST)).toContain(row(4).row_id)
  })
})

describe("a pull request's comments over GraphQL", () => {
  test('every page, with the REST ids and whether this token wrote each', async () => {
    gh.addPullRequest({ number: 7, head_sha: 'b'.repeat(40) })
    const ids: number[] = []
    for (let i = 0; i < 130; i++)
      ids.push(gh.addComment(7, `c${i}`, i === 120 ? 'github-actions[bot]' : 'someone'))
    const before = gh.requests.length
    const listed = await pullRequestComments(client, 'acme', 'widgets', 7).list()
    expect(shape(since(before))).toEqual(['POST /graphql', 'POST /graphql'])
    expect(listed.map((c) => c.id)).toEqual(ids)
    expect(listed.filter((c) => c.mine).map((c) => c.body)).toEqual(['c120'])
    expect(listed[120]).toMatchObject({ login: 'github-actions[bot]', type: 'Bot', mine: true })
    expect(listed[0]).toMatchObject({ login: 'someone', type: 'User', mine: false })
  })

  test('without GraphQL the REST listing answers, ownership then unknown per comment', async () => {
    gh.addPullRequest({ number: 7, head_sha: 'b'.repeat(40) })
    gh.addComment(7, 'hello', 'someone')
    gh.injectFault({ method: 'POST', path: /^\/graphql$/, status: 502, times: Infinity })
    const listed = await pullRequestComments(client, 'acme', 'widgets', 7).list()
    expect(listed).toEqual([expect.objectContaining({ body: 'hello', login: 'someone' })])
    expect(listed[0]?.mine).toBeUndefined()
  })

  test('the local GraphQL refuses what GitHub would refuse', async () => {
    const answer = await client.request('POST /graphql', { query: '{ viewer { login notAField } }' })
    expect((answer.data as { errors: { message: string }[] }).errors[0]?.message).toBe(
      'Cannot query field "notAField" on type "User".',
    )
  })
})

async function rowLine(i: number): Promise<string> {
  const { stringify } = await import('csv-stringify/sync')
  const { COLUMNS } = await import('../../src/core/schema.js')
  const r = row(i) as unknown as Record<string, string>
  return stringify([COLUMNS.map((c) => r[c] ?? '')])
}
