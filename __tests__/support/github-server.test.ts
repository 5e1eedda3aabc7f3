import { FakeGitHub, faults, type JobFixture } from './github-server.js'

const WRITE = 'ghs_write'
const READ = 'ghs_read'
const REPO = '/repos/acme/widgets'
const SHA_RE = /^[0-9a-f]{40}$/

interface Answer {
  status: number
  headers: Headers
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer
}

let gh: FakeGitHub

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(WRITE, { contents: 'write', pullRequests: 'write', actions: 'read' })
  gh.addToken(READ, { contents: 'read', pullRequests: 'read', actions: 'none' })
})

afterEach(async () => {
  await gh.close()
})

async function api(
  method: string,
  path: string,
  opts: { token?: string | null; body?: unknown; accept?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { accept: opts.accept ?? 'application/vnd.github+json' }
  const token = opts.token === undefined ? WRITE : opts.token
  if (token !== null) headers.authorization = `token ${token}`
  const init: RequestInit = { method, headers }
  if (opts.body !== undefined) {
    headers['content-type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  const res = await fetch(path.startsWith('http') ? path : `${gh.url}${path}`, init)
  const bytes = Buffer.from(await res.arrayBuffer())
  const isJson = (res.headers.get('content-type') ?? '').includes('json') && bytes.length > 0
  return {
    status: res.status,
    headers: res.headers,
    json: isJson ? JSON.parse(bytes.toString('utf8')) : undefined,
    bytes,
  }
}

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64')

function putFile(path: string, content: string, extra: Record<string, unknown> = {}, token = WRITE) {
  return api('PUT', `${REPO}/contents/${path}`, {
    token,
    body: { message: `write ${path}`, content: b64(content), branch: 'registry', ...extra },
  })
}

describe('contents API', () => {
  it('creates a file with 201, updates it with 200, one commit each', async () => {
    await gh.commitFile('registry', 'README.md', 'registry\n')
    const path = 'environments/ci/latest/build_timings.csv'

    const created = await putFile(path, 'a,b\n')
    expect(created.status).toBe(201)
    expect(created.json.content).toMatchObject({ path, name: 'build_timings.csv', size: 4 })
    expect(created.json.content.sha).toMatch(SHA_RE)
    expect(created.json.commit.message).toBe(`write ${path}`)

    const updated = await putFile(path, 'a,b\n1,2\n', { sha: created.json.content.sha })
    expect(updated.status).toBe(200)
    expect(updated.json.commit.parents).toEqual([expect.objectContaining({ sha: created.json.commit.sha })])

    expect(await gh.readFile('registry', path)).toBe('a,b\n1,2\n')
    const commits = await gh.commits('registry')
    expect(commits.map((c) => c.sha)).toEqual([
      updated.json.commit.sha,
      created.json.commit.sha,
      expect.any(String),
    ])
    expect(commits[0]).toMatchObject({ message: `write ${path}`, parents: [created.json.commit.sha] })
  })

  it('serves base64 content wrapped every 60 characters, with the blob sha', async () => {
    const text = 'x'.repeat(100) + '\n'
    await gh.commitFile('main', 'dir/file.txt', text)
    const got = await api('GET', `${REPO}/contents/dir%2Ffile.txt`)
    expect(got.status).toBe(200)
    expect(got.json).toMatchObject({
      type: 'file',
      name: 'file.txt',
      path: 'dir/file.txt',
      size: 101,
      encoding: 'base64',
    })
    const lines = (got.json.content as string).split('\n')
    expect(lines[0]).toHaveLength(60)
    expect(lines[lines.length - 1]).toBe('')
    expect(Buffer.from(got.json.content, 'base64').toString()).toBe(text)
    const blob = await api('GET', `${REPO}/git/blobs/${got.json.sha}`)
    expect(Buffer.from(blob.json.content, 'base64').toString()).toBe(text)
  })

  it('answers 409 "does not match" for a stale sha', async () => {
    await gh.commitFile('registry', 'f.csv', 'one\n')
    const stale = (await api('GET', `${REPO}/contents/f.csv?ref=registry`)).json.sha
    await gh.commitFile('registry', 'f.csv', 'two\n')
    const res = await putFile('f.csv', 'three\n', { sha: stale })
    expect(res.status).toBe(409)
    expect(res.json.message).toBe(`f.csv does not match ${stale}`)
    expect(res.json.documentation_url).toContain('create-or-update-file-contents')
    expect(await gh.readFile('registry', 'f.csv')).toBe('two\n')
  })

  it('answers 422 when an existing file is written without sha', async () => {
    await gh.commitFile('registry', 'f.csv', 'one\n')
    const res = await putFile('f.csv', 'two\n')
    expect(res.status).toBe(422)
    expect(res.json.message).toBe('Invalid request.\n\n"sha" wasn\'t supplied.')
  })

  it('answers 404 for a missing branch or file', async () => {
    await gh.commitFile('main', 'x', 'x')
    const put = await putFile('f.csv', 'x\n', { branch: 'nope' })
    expect(put.status).toBe(404)
    expect(put.json.message).toBe('Branch nope not found')
    const getRef = await api('GET', `${REPO}/contents/f.csv?ref=nope`)
    expect(getRef.status).toBe(404)
    expect(getRef.json.message).toBe('No commit found for the ref nope')
    const getFile = await api('GET', `${REPO}/contents/missing.csv`)
    expect(getFile.status).toBe(404)
    expect(getFile.json).toMatchObject({ message: 'Not Found', documentation_url: expect.any(String) })
  })

  it('returns a JSON body without content over 1 MiB and the bytes with the raw media type', async () => {
    const big = 'r,'.repeat(800_000) // 1.6 MB
    await gh.commitFile('registry', 'big.csv', big)
    const json = await api('GET', `${REPO}/contents/big.csv?ref=registry`)
    expect(json.status).toBe(200)
    expect(json.json).toMatchObject({ size: big.length, content: '', encoding: 'none' })

    const raw = await api('GET', `${REPO}/contents/big.csv?ref=registry`, {
      accept: 'application/vnd.github.raw',
    })
    expect(raw.status).toBe(200)
    expect(raw.headers.get('content-type')).toMatch(/^application\/vnd\.github\.raw/)
    expect(raw.bytes.toString()).toBe(big)

    gh.largeFileResponse = 'too_large'
    const old = await api('GET', `${REPO}/contents/big.csv?ref=registry`)
    expect(old.status).toBe(403)
    expect(old.json.errors[0].code).toBe('too_large')
  })

  it('serialises concurrent writes by default', async () => {
    await gh.commitFile('registry', 'a.csv', 'a\n')
    await gh.commitFile('registry', 'b.csv', 'b\n')
    const results = await Promise.all([putFile('c.csv', 'c\n'), putFile('d.csv', 'd\n')])
    expect(results.map((r) => r.status)).toEqual([201, 201])
    expect(await gh.commits('registry')).toHaveLength(4)
  })

  it('emulates the concurrent-PUT race with raceWindowMs', async () => {
    await gh.commitFile('registry', 'a.csv', 'a\n')
    const tip = (await gh.commits('registry'))[0]!.sha
    gh.raceWindowMs = 150
    const results = await Promise.all([
      putFile('a.csv', 'a2\n', { sha: await blobSha('a.csv') }),
      putFile('b.csv', 'b\n'),
    ])
    expect(results.filter((r) => r.status === 409)).toHaveLength(1)
    const loser = results.find((r) => r.status === 409)!
    const winner = results.find((r) => r.status !== 409)!
    expect([200, 201]).toContain(winner.status)
    expect(loser.json.message).toMatch(new RegExp(`is at ${winner.json.commit.sha} but expected ${tip}$`))
    expect(await gh.commits('registry')).toHaveLength(2)
  })

  it('accepts the /api/v3 prefix of GitHub Enterprise Server', async () => {
    await gh.commitFile('main', 'x.txt', 'x')
    const res = await api('GET', `/api/v3${REPO}/contents/x.txt`)
    expect(res.status).toBe(200)
    expect(gh.requests.at(-1)!.path).toBe(`${REPO}/contents/x.txt`)
    const query = await api('POST', '/api/graphql', { body: { query: '{ viewer { login } }' } })
    expect(query.json).toEqual({ data: { viewer: { login: expect.any(String) } } })
    expect(gh.requests.at(-1)!.path).toBe('/graphql')
  })
})

async function blobSha(path: string, ref = 'registry'): Promise<string> {
  return (await api('GET', `${REPO}/contents/${path}?ref=${ref}`)).json.sha
}

describe('git data API', () => {
  async function orphanCommit(path: string, content: string): Promise<string> {
    const tree = await api('POST', `${REPO}/git/trees`, {
      body: { tree: [{ path, mode: '100644', type: 'blob', content }] },
    })
    expect(tree.status).toBe(201)
    const commit = await api('POST', `${REPO}/git/commits`, {
      body: { message: 'init registry', tree: tree.json.sha, parents: [] },
    })
    expect(commit.status).toBe(201)
    return commit.json.sha
  }

  it('creates an orphan branch with nested paths; a second ref creation gets 422', async () => {
    const path = 'environments/ci/latest/build_timings.csv'
    const sha = await orphanCommit(path, 'h1,h2\n')
    const created = await api('POST', `${REPO}/git/refs`, {
      body: { ref: 'refs/heads/governance-registry', sha },
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({
      ref: 'refs/heads/governance-registry',
      object: { sha, type: 'commit' },
    })

    const other = await orphanCommit(path, 'other\n')
    const again = await api('POST', `${REPO}/git/refs`, {
      body: { ref: 'refs/heads/governance-registry', sha: other },
    })
    expect(again.status).toBe(422)
    expect(again.json.message).toBe('Reference already exists')

    expect(await gh.readFile('governance-registry', path)).toBe('h1,h2\n')
    expect(await gh.commits('governance-registry')).toEqual([{ sha, message: 'init registry', parents: [] }])
    const ref = await api('GET', `${REPO}/git/ref/heads/governance-registry`)
    expect(ref.json.object.sha).toBe(sha)
    expect((await api('GET', `${REPO}/git/ref/heads/nope`)).status).toBe(404)
  })

  it('appends with base_tree and fast-forward PATCH, refusing a non-fast-forward', async () => {
    await gh.commitFile('registry', 'keep.txt', 'keep')
    const ref = await api('GET', `${REPO}/git/refs/heads/registry`)
    const parent = await api('GET', `${REPO}/git/commits/${ref.json.object.sha}`)
    const tree = await api('POST', `${REPO}/git/trees`, {
      body: {
        base_tree: parent.json.tree.sha,
        tree: [{ path: 'a/b.csv', mode: '100644', type: 'blob', content: 'x\n' }],
      },
    })
    const commit = await api('POST', `${REPO}/git/commits`, {
      body: { message: 'append', tree: tree.json.sha, parents: [parent.json.sha] },
    })
    const patched = await api('PATCH', `${REPO}/git/refs/heads/registry`, {
      body: { sha: commit.json.sha, force: false },
    })
    expect(patched.status).toBe(200)
    expect(await gh.readFile('registry', 'keep.txt')).toBe('keep')
    expect(await gh.readFile('registry', 'a/b.csv')).toBe('x\n')

    const unrelated = await orphanCommit('z', 'z')
    const refused = await api('PATCH', `${REPO}/git/refs/heads/registry`, {
      body: { sha: unrelated, force: false },
    })
    expect(refused.status).toBe(422)
    expect(refused.json.message).toBe('Update is not a fast forward')
    const forced = await api('PATCH', `${REPO}/git/refs/heads/registry`, {
      body: { sha: unrelated, force: true },
    })
    expect(forced.status).toBe(200)
  })
})

describe('issue comments', () => {
  it('paginates with GitHub Link headers', async () => {
    gh.addPullRequest({ number: 7, head_sha: 'a'.repeat(40) })
    const ids = Array.from({ length: 65 }, (_, i) =>
      gh.addComment(7, `c${i}`, i % 2 ? 'someone' : 'github-actions[bot]'),
    )

    const first = await api('GET', `${REPO}/issues/7/comments?per_page=30`)
    expect(first.json).toHaveLength(30)
    expect(first.headers.get('link')).toBe(
      `<${gh.url}${REPO}/issues/7/comments?per_page=30&page=2>; rel="next", ` +
        `<${gh.url}${REPO}/issues/7/comments?per_page=30&page=3>; rel="last"`,
    )

    const seen: number[] = []
    let next: string | undefined = `${gh.url}${REPO}/issues/7/comments?per_page=30`
    let last: Answer | undefined
    while (next) {
      last = await api('GET', next)
      seen.push(...last.json.map((c: { id: number }) => c.id))
      next = /<([^>]+)>; rel="next"/.exec(last.headers.get('link') ?? '')?.[1]
    }
    expect(seen).toEqual(ids)
    expect(last!.headers.get('link')).toContain('rel="prev"')
    expect(last!.headers.get('link')).toContain('rel="first"')
    const createdAt = gh.comments(7).map((c) => c.created_at)
    expect([...createdAt].sort()).toEqual(createdAt)
    expect(new Set(createdAt).size).toBe(65)
  })

  it('creates, updates and deletes comments as the token user', async () => {
    gh.addPullRequest({ number: 3, head_sha: 'b'.repeat(40) })
    const created = await api('POST', `${REPO}/issues/3/comments`, { body: { body: 'hello' } })
    expect(created.status).toBe(201)
    expect(created.json.user).toMatchObject({ login: 'github-actions[bot]', type: 'Bot' })
    const id = created.json.id
    expect((await api('PATCH', `${REPO}/issues/comments/${id}`, { body: { body: 'bye' } })).json.body).toBe(
      'bye',
    )
    expect(gh.comments(3).map((c) => c.body)).toEqual(['bye'])
    expect((await api('DELETE', `${REPO}/issues/comments/${id}`)).status).toBe(204)
    expect(gh.comments(3)).toEqual([])
    expect((await api('DELETE', `${REPO}/issues/comments/${id}`)).status).toBe(404)

    const long = await api('POST', `${REPO}/issues/3/comments`, { body: { body: 'x'.repeat(65537) } })
    expect(long.status).toBe(422)
    expect(JSON.stringify(long.json)).toContain('Body is too long (maximum is 65536 characters)')
    expect((await api('POST', `${REPO}/issues/999/comments`, { body: { body: 'x' } })).status).toBe(404)
  })
})

describe('permissions', () => {
  it('refuses writes from a read-only token with 403 and unknown tokens with 401', async () => {
    await gh.commitFile('registry', 'f.csv', 'one\n')
    gh.addPullRequest({ number: 1, head_sha: 'c'.repeat(40) })
    gh.setJobs(5, 1, [])

    const put = await putFile('g.csv', 'x\n', {}, READ)
    expect(put.status).toBe(403)
    expect(put.json.message).toBe('Resource not accessible by integration')
    expect(
      (await api('POST', `${REPO}/issues/1/comments`, { token: READ, body: { body: 'x' } })).status,
    ).toBe(403)
    expect((await api('GET', `${REPO}/actions/runs/5/attempts/1/jobs`, { token: READ })).status).toBe(403)
    expect((await api('GET', `${REPO}/contents/f.csv?ref=registry`, { token: READ })).status).toBe(200)

    const repo = await api('GET', REPO, { token: READ })
    expect(repo.json).toMatchObject({ full_name: 'acme/widgets', default_branch: 'main', private: false })
    expect(repo.json.permissions).toMatchObject({ push: false, pull: true })

    for (const token of ['bogus', null]) {
      const res = await api('GET', REPO, { token })
      expect(res.status).toBe(401)
      expect(res.json.message).toBe('Bad credentials')
    }
    expect(gh.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([403])
    expect(await gh.readFile('registry', 'g.csv')).toBeNull()
  })
})

describe('faults and rate limits', () => {
  it('sends decreasing rate-limit headers on every answer', async () => {
    const a = await api('GET', REPO)
    const b = await api('GET', `${REPO}/nowhere`)
    expect(b.status).toBe(404)
    expect(a.headers.get('x-ratelimit-limit')).toBe('1000')
    expect(a.headers.get('x-ratelimit-resource')).toBe('core')
    expect(Number(b.headers.get('x-ratelimit-remaining'))).toBe(
      Number(a.headers.get('x-ratelimit-remaining')) - 1,
    )
    expect(Number(b.headers.get('x-ratelimit-used'))).toBe(2)
    expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000)
    expect(gh.requests.map((r) => [r.path, r.status])).toEqual([
      [REPO, 200],
      [`${REPO}/nowhere`, 404],
    ])
  })

  it('answers matching requests with an injected fault the given number of times', async () => {
    gh.injectFault(faults.serverErrors(503, 3, { method: 'GET', path: /\/contents\// }))
    gh.injectFault(faults.secondaryRateLimit({ method: 'PUT' }))
    await gh.commitFile('main', 'f', 'f')

    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await api('GET', `${REPO}/contents/f`)).status)
    expect(statuses).toEqual([503, 503, 503, 200])
    expect((await api('GET', REPO)).status).toBe(200)

    const limited = await api('PUT', `${REPO}/contents/g`, { body: { message: 'm', content: b64('g') } })
    expect(limited.status).toBe(403)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.json.message).toMatch(/secondary rate limit/)
    expect(
      (await api('PUT', `${REPO}/contents/g`, { body: { message: 'm', content: b64('g') } })).status,
    ).toBe(201)

    gh.injectFault(faults.primaryRateLimit())
    const primary = await api('GET', REPO)
    expect(primary.status).toBe(403)
    expect(primary.headers.get('x-ratelimit-remaining')).toBe('0')
    gh.injectFault(faults.tooManyRequests())
    expect((await api('GET', REPO)).status).toBe(429)
  })

  it('delays answers and drops connections', async () => {
    gh.injectFault({ status: 200, passThrough: true, delayMs: 200 })
    const started = Date.now()
    expect((await api('GET', REPO)).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(190)

    gh.injectFault({ status: 500, dropConnection: true })
    await expect(api('GET', REPO)).rejects.toThrow()
    expect(gh.requests.at(-1)).toMatchObject({ status: 0, dropped: true })

    // The write lands, the client never hears about it.
    gh.injectFault({ method: 'PUT', status: 0, passThrough: true, dropConnection: true })
    await expect(
      api('PUT', `${REPO}/contents/h`, { body: { message: 'm', content: b64('h') } }),
    ).rejects.toThrow()
    expect(await gh.readFile('main', 'h')).toBe('h')
    expect(gh.requests.at(-1)).toMatchObject({ method: 'PUT', status: 201, dropped: true })
  })
})

describe("GitHub's limits and conditional requests", () => {
  it('refuses content-creating requests over the per-minute limit with a secondary-limit 403', async () => {
    gh.limits = { perMinute: 3, retryAfterSeconds: 60 }
    const put = (name: string) =>
      api('PUT', `${REPO}/contents/${name}`, { body: { message: 'm', content: b64(name) } })
    expect([(await put('a')).status, (await put('b')).status, (await put('c')).status]).toEqual([
      201, 201, 201,
    ])
    const refused = await put('d')
    expect(refused.status).toBe(403)
    expect(refused.json.message).toMatch(/secondary rate limit/)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(await gh.readFile('main', 'd')).toBeNull()
    // Reads are not content-creating; another token has a budget of its own.
    expect((await api('GET', `${REPO}/contents/a`)).status).toBe(200)
    gh.addToken('ghs_other', { contents: 'write' })
    expect(
      (
        await api('PUT', `${REPO}/contents/e`, {
          token: 'ghs_other',
          body: { message: 'm', content: b64('e') },
        })
      ).status,
    ).toBe(201)
    expect(gh.contentCreating.get(WRITE)).toBe(4)
    expect(gh.limitRefusals).toBe(1)
  })

  it('is off unless asked for, and start({ limits: true }) means 80 a minute', async () => {
    for (let i = 0; i < 5; i++)
      expect((await api('POST', `${REPO}/git/blobs`, { body: { content: `x${i}` } })).status).toBe(201)
    const limited = await FakeGitHub.start({ limits: true })
    try {
      expect(limited.limits).toEqual({ perMinute: 80, retryAfterSeconds: 60 })
    } finally {
      await limited.close()
    }
  })

  it('answers 304 to a GET whose If-None-Match names the current ETag, and gives the request back', async () => {
    await gh.commitFile('main', 'f', 'one')
    const first = await api('GET', `${REPO}/contents/f`)
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^W\/"[0-9a-f]{40}"$/)
    const conditional = (tag: string) =>
      fetch(`${gh.url}${REPO}/contents/f`, {
        headers: { authorization: `token ${WRITE}`, 'if-none-match': tag },
      })
    const same = await conditional(etag!)
    expect(same.status).toBe(304)
    expect(await same.text()).toBe('')
    expect(Number(same.headers.get('x-ratelimit-remaining'))).toBe(
      Number(first.headers.get('x-ratelimit-remaining')),
    )
    await gh.commitFile('main', 'f', 'two')
    const moved = await conditional(etag!)
    expect(moved.status).toBe(200)
    expect(moved.headers.get('etag')).not.toBe(etag)
  })
})

describe('pulls and jobs', () => {
  it('finds pull requests by head sha', async () => {
    const sha = 'd'.repeat(40)
    gh.addPullRequest({ number: 12, head_sha: sha, head_repo: 'fork/widgets' })
    const prs = await api('GET', `${REPO}/commits/${sha}/pulls`)
    expect(prs.json).toEqual([expect.objectContaining({ number: 12, state: 'open' })])
    expect(prs.json[0].head).toMatchObject({ sha, repo: { full_name: 'fork/widgets' } })
    expect((await api('GET', `${REPO}/commits/${'e'.repeat(40)}/pulls`)).json).toEqual([])
    expect((await api('GET', `${REPO}/pulls/12`)).json.number).toBe(12)
    expect((await api('GET', `${REPO}/pulls/13`)).status).toBe(404)
  })

  it('serves jobs per attempt with pagination and by id', async () => {
    const job = (id: number): JobFixture => ({
      id,
      name: `test (${id})`,
      status: 'completed',
      conclusion: 'success',
      started_at: '2026-01-24T10:00:00Z',
      completed_at: '2026-01-24T10:05:00Z',
      runner_name: 'runner',
      steps: [
        {
          name: 'Set up job',
          status: 'completed',
          conclusion: 'success',
          number: 1,
          started_at: '2026-01-24T10:00:00Z',
          completed_at: '2026-01-24T10:00:05Z',
        },
      ],
    })
    gh.setJobs(
      42,
      1,
      Array.from({ length: 35 }, (_, i) => job(i + 1)),
    )
    gh.setJobs(42, 2, [job(100)])

    const page1 = await api('GET', `${REPO}/actions/runs/42/attempts/1/jobs`)
    expect(page1.json.total_count).toBe(35)
    expect(page1.json.jobs).toHaveLength(30)
    expect(page1.json.jobs[0]).toMatchObject({ id: 1, run_id: 42, run_attempt: 1, steps: [{ number: 1 }] })
    expect(page1.headers.get('link')).toContain('page=2>; rel="next"')
    const page2 = await api('GET', `${REPO}/actions/runs/42/attempts/1/jobs?page=2`)
    expect(page2.json.jobs.map((j: { id: number }) => j.id)).toEqual([31, 32, 33, 34, 35])

    expect(
      (await api('GET', `${REPO}/actions/runs/42/jobs`)).json.jobs.map((j: { id: number }) => j.id),
    ).toEqual([100])
    expect((await api('GET', `${REPO}/actions/runs/42/jobs?filter=all&per_page=100`)).json.total_count).toBe(
      36,
    )
    expect((await api('GET', `${REPO}/actions/jobs/7`)).json).toMatchObject({ id: 7, name: 'test (7)' })
    expect((await api('GET', `${REPO}/actions/jobs/999`)).status).toBe(404)
    expect((await api('GET', `${REPO}/actions/runs/43/attempts/1/jobs`)).status).toBe(404)
  })
})
