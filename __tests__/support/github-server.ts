// A local HTTP server that speaks the parts of the GitHub REST API this product uses, over a real bare
// git repository. Integration tests point Octokit (or the bundles, via GITHUB_API_URL) at `url`.
// See README.md next to this file.
import http from 'node:http'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  GitRepo,
  isSha,
  TreePathError,
  type CommitInfo,
  type Identity,
  type TreeChange,
  type TreeEntry,
} from './git.js'
import { answerGraphQL, type GraphQLWorld } from './graphql-api.js'
import { CacheService } from './cache-service.js'

export interface FakeGitHubOptions {
  owner?: string
  repo?: string
  /** See FakeGitHub.raceWindowMs. */
  raceWindowMs?: number
  /** See FakeGitHub.largeFileResponse. */
  largeFileResponse?: 'none' | 'too_large'
  /** See FakeGitHub.limits. */
  limits?: Limits | boolean
  /** See FakeGitHub.latencyMs. */
  latencyMs?: number
  /** See FakeGitHub.cacheLatencyMs (default: latencyMs). */
  cacheLatencyMs?: number
}

/**
 * GitHub's secondary limit on content-creating requests (POST, PUT, PATCH, DELETE): at most `perMinute` in
 * any 60 s per token; one more answers 403 "secondary rate limit" with `retry-after` (FACTS "Rate limits").
 */
export interface Limits {
  /** Default 80. */
  perMinute?: number
  /** Seconds in the `retry-after` of a refusal; default 60, what GitHub usually asks. */
  retryAfterSeconds?: number
}

export interface TokenPermissions {
  contents?: 'read' | 'write'
  pullRequests?: 'read' | 'write'
  issues?: 'read' | 'write'
  actions?: 'read' | 'none'
}

export interface Fault {
  method?: string
  /** Tested against the request path (as sent, and URL-decoded), without query string or /api/v3 prefix. */
  path?: RegExp
  status: number
  body?: object
  headers?: Record<string, string>
  /** Default 1; Infinity for every matching request. */
  times?: number
  /** The share of matching requests it hits, drawn at random per request (default 1: every one). */
  rate?: number
  delayMs?: number
  dropConnection?: boolean
  /**
   * Handle the request normally (a write lands), then apply delayMs / dropConnection to the answer;
   * `status`, `body` and `headers` are ignored. Emulates "the PUT timed out but landed".
   */
  passThrough?: boolean
}

export interface RequestRecord {
  method: string
  /** Request target as received, with query string, without the /api/v3 prefix. */
  path: string
  /** 0 when the connection was dropped without an answer. */
  status: number
  authorization?: string
  body?: unknown
  dropped?: boolean
}

export interface StepFixture {
  name: string
  status: 'queued' | 'in_progress' | 'completed'
  conclusion: string | null
  number: number
  started_at: string | null
  completed_at: string | null
}

/** GitHub's workflow job object; fields left out get plausible defaults when served. */
export interface JobFixture {
  id: number
  run_id?: number
  run_attempt?: number
  name: string
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion: string | null
  started_at: string
  completed_at: string | null
  runner_name?: string | null
  steps?: StepFixture[]
  [field: string]: unknown
}

export interface PullRequestFixture {
  number: number
  head_sha: string
  /** full_name of the head repository; a different one than this repo's makes a fork PR. */
  head_repo?: string
  head_ref?: string
  state?: 'open' | 'closed'
}

export interface IssueComment {
  id: number
  body: string
  user: { login: string; type: string }
  created_at: string
  updated_at: string
}

/** Ready-made faults for the limits and outages GitHub produces. */
export const faults = {
  secondaryRateLimit: (extra: Partial<Fault> = {}): Fault => ({
    status: 403,
    headers: { 'retry-after': '1' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
    ...extra,
  }),
  primaryRateLimit: (extra: Partial<Fault> = {}): Fault => ({
    status: 403,
    headers: {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
    },
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
    },
    ...extra,
  }),
  tooManyRequests: (extra: Partial<Fault> = {}): Fault => ({
    status: 429,
    headers: { 'retry-after': '1' },
    body: { message: 'Too Many Requests', documentation_url: 'https://docs.github.com/rest' },
    ...extra,
  }),
  serverErrors: (status = 502, times = 3, extra: Partial<Fault> = {}): Fault => ({
    status,
    times,
    body: { message: 'Server Error' },
    ...extra,
  }),
}

const DOCS = 'https://docs.github.com/rest'
const MiB = 1024 * 1024
const CONTENTS_JSON_LIMIT = MiB
const CONTENTS_RAW_LIMIT = 100 * MiB
const COMMENT_MAX_CHARS = 65536
const RATE_LIMIT = 1000
const BOT_EMAIL = '41898282+github-actions[bot]@users.noreply.github.com'

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

interface Token {
  perms: TokenPermissions
  login: string
}

interface Reply {
  status: number
  body?: unknown
  raw?: Buffer
  headers?: Record<string, string>
}

interface Ctx {
  method: string
  pathname: string
  query: URLSearchParams
  prefix: string
  headers: http.IncomingHttpHeaders
  body: unknown
  token: Token
}

type Need = 'contents' | 'comments' | 'actions'
type Handler = (ctx: Ctx, m: RegExpExecArray) => Promise<Reply>
interface Route {
  method: string
  pattern: RegExp
  handler: Handler
  docs: string
  need?: Need
}

interface StoredComment extends IssueComment {
  issue: number
}

export class FakeGitHub {
  readonly url: string
  readonly gitDir: string
  readonly owner: string
  readonly repo: string
  readonly defaultBranch = 'main'
  readonly requests: RequestRecord[] = []
  /** The Actions cache service (cache-service.ts); its requests are counted there, not in `requests`. */
  readonly cache: CacheService = new CacheService(
    () => this.url,
    (token) => this.tokens.has(token),
  )
  /**
   * When > 0, a contents PUT reads the branch tip, waits this long, then moves the ref with
   * compare-and-swap; a branch moved meanwhile answers 409 "… is at X but expected Y", as concurrent
   * matrix jobs see on GitHub. At 0 (default) contents writes are serialised and never race.
   */
  raceWindowMs: number
  /**
   * How a JSON-media-type GET of a file over 1 MiB answers: 'none' (200 with content '' and
   * encoding 'none', today's GitHub) or 'too_large' (403 with code too_large, GitHub before 2022).
   */
  largeFileResponse: 'none' | 'too_large'
  /**
   * GitHub's limits switched on (`FakeGitHub.start({ limits: true })`): content-creating requests over
   * 80 a minute per token are refused with a secondary-limit 403. Null (default): nothing is enforced.
   */
  limits: Required<Limits> | null
  /** Content-creating requests each token made (refused ones included: GitHub counts them too). */
  readonly contentCreating = new Map<string, number>()
  /** Content-creating requests refused by the limits. */
  limitRefusals = 0
  /** Requests that may change something: every one but a GET and a GraphQL query (not a mutation). */
  writes(): RequestRecord[] {
    return this.requests.filter((r) => r.method !== 'GET' && !isGraphQLQuery(r))
  }
  /** Every request waits this long before it is handled, as a request to GitHub takes its time. */
  latencyMs: number
  /** The same for the Actions cache service's requests (its API and the archive up- and downloads). */
  cacheLatencyMs: number
  /** GraphQL's Blob.text stops after this many bytes and says isTruncated (GitHub cuts large blobs). */
  graphqlTextLimit = 512 * 1024

  private readonly writeTimes = new Map<string, number[]>()
  private readonly git: GitRepo
  private readonly tokens = new Map<string, Token>()
  private readonly faultQueue: Fault[] = []
  private readonly rate = new Map<string, { remaining: number; reset: number }>()
  private readonly comments_ = new Map<number, StoredComment>()
  private readonly issues = new Set<number>()
  private readonly pulls = new Map<number, PullRequestFixture>()
  private readonly jobs = new Map<number, Map<number, JobFixture[]>>()
  private nextCommentId = 1000001
  private lastCommentAt = 0
  private lock_: Promise<unknown> = Promise.resolve()
  private readonly routes: Route[]

  private constructor(
    private readonly server: http.Server,
    private readonly tempDir: string,
    git: GitRepo,
    opts: FakeGitHubOptions,
  ) {
    const { port } = server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}`
    this.git = git
    this.gitDir = git.gitDir
    this.owner = opts.owner ?? 'acme'
    this.repo = opts.repo ?? 'widgets'
    this.raceWindowMs = opts.raceWindowMs ?? 0
    this.largeFileResponse = opts.largeFileResponse ?? 'none'
    this.latencyMs = opts.latencyMs ?? 0
    this.cacheLatencyMs = opts.cacheLatencyMs ?? this.latencyMs
    this.limits = opts.limits
      ? { perMinute: 80, retryAfterSeconds: 60, ...(opts.limits === true ? {} : opts.limits) }
      : null
    this.routes = this.buildRoutes()
  }

  static async start(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const tempDir = await mkdtemp(join(tmpdir(), 'fake-github-'))
    const git = await GitRepo.initBare(join(tempDir, 'repo.git'))
    // The server must listen before the instance can know its url; requests cannot arrive earlier.
    const ready: { instance?: FakeGitHub } = {}
    const server = http.createServer((req, res) => {
      if (!ready.instance) return res.destroy()
      ready.instance.handle(req, res).catch(() => res.destroy())
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    ready.instance = new FakeGitHub(server, tempDir, git, opts)
    return ready.instance
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
    await rm(this.tempDir, { recursive: true, force: true })
  }

  // ---- test controls -------------------------------------------------------------------------

  addToken(token: string, perms: TokenPermissions, login = 'github-actions[bot]'): void {
    this.tokens.set(token, { perms: { ...perms }, login })
  }

  injectFault(f: Fault): void {
    this.faultQueue.push({ ...f, times: f.times ?? 1 })
  }

  async readFile(branch: string, path: string): Promise<string | null> {
    return (await this.readBytes(branch, path))?.toString('utf8') ?? null
  }

  async readBytes(branch: string, path: string): Promise<Buffer | null> {
    const tip = await this.git.branchTip(branch)
    if (!tip) return null
    const entry = await this.git.entryAt(tip, path)
    if (!entry || entry.type !== 'blob') return null
    return this.git.readBlob(entry.sha)
  }

  async commitFile(
    branch: string,
    path: string,
    content: string | Buffer,
    message = `seed ${path}`,
  ): Promise<string> {
    return this.lock(async () => {
      const tip = await this.git.branchTip(branch)
      const base = tip ? (await this.git.readCommit(tip))!.tree : null
      const blob = await this.git.writeBlob(content)
      const tree = await this.git.updateTree(
        base,
        new Map([[path, { mode: '100644', type: 'blob', sha: blob }]]),
      )
      const commit = await this.git.commitTree(tree, tip ? [tip] : [], message, {
        committer: { name: 'Seed', email: 'seed@example.com' },
      })
      const cas = await this.git.casRef(`refs/heads/${branch}`, commit, tip)
      if (!cas.ok) throw new Error(`branch ${branch} moved while seeding`)
      return commit
    })
  }

  async branchExists(branch: string): Promise<boolean> {
    return (await this.git.branchTip(branch)) !== null
  }

  async commits(branch: string): Promise<{ sha: string; message: string; parents: string[] }[]> {
    if (!(await this.git.branchTip(branch))) return []
    return this.git.log(`refs/heads/${branch}`)
  }

  setJobs(runId: number, attempt: number, jobs: JobFixture[]): void {
    if (!this.jobs.has(runId)) this.jobs.set(runId, new Map())
    this.jobs.get(runId)!.set(
      attempt,
      jobs.map((j) => ({ ...j, run_id: j.run_id ?? runId, run_attempt: j.run_attempt ?? attempt })),
    )
  }

  /** An entry of the Actions cache service, newest last. */
  addCacheEntry(key: string): void {
    this.cache.add(key)
  }

  addPullRequest(pr: PullRequestFixture): void {
    this.pulls.set(pr.number, { ...pr })
    this.issues.add(pr.number)
  }

  comments(issueNumber: number): IssueComment[] {
    return [...this.comments_.values()]
      .filter((c) => c.issue === issueNumber)
      .sort((a, b) => a.id - b.id)
      .map(({ id, body, user, created_at, updated_at }) => ({
        id,
        body,
        user: { ...user },
        created_at,
        updated_at,
      }))
  }

  addComment(issueNumber: number, body: string, login: string): number {
    this.issues.add(issueNumber)
    return this.storeComment(issueNumber, body, login).id
  }

  // ---- HTTP plumbing ---------------------------------------------------------------------------

  private lock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock_.then(fn, fn)
    this.lock_ = run.catch(() => undefined)
    return run
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const target = new URL(req.url ?? '/', this.url)
    // GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql.
    const prefix = target.pathname.startsWith('/api/v3/')
      ? '/api/v3'
      : target.pathname === '/api/graphql'
        ? '/api'
        : ''
    const pathname = target.pathname.slice(prefix.length)
    const authorization = req.headers.authorization
    const record: RequestRecord = { method, path: pathname + target.search, status: 0 }
    if (authorization !== undefined) record.authorization = authorization

    const raw = await readBody(req)
    if (this.cache.handles(pathname)) {
      if (this.cacheLatencyMs > 0) await sleep(this.cacheLatencyMs)
      return this.cache.handle(req, res, pathname, raw)
    }
    let body: unknown
    let badJson = false
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'))
      } catch {
        body = raw.toString('utf8')
        badJson = true
      }
      record.body = body
    }

    if (this.latencyMs > 0) await sleep(this.latencyMs)
    const tokenValue = parseToken(authorization)
    const rateHeaders = this.countRequest(tokenValue)
    const fault = this.takeFault(method, pathname) ?? this.overLimit(method, pathname, tokenValue)

    if (fault && !fault.passThrough) {
      if (fault.delayMs) await sleep(fault.delayMs)
      if (fault.dropConnection) {
        this.requests.push({ ...record, status: 0, dropped: true })
        res.destroy()
        return
      }
      const reply: Reply = {
        status: fault.status,
        body: fault.body ?? { message: http.STATUS_CODES[fault.status] ?? 'Error', documentation_url: DOCS },
        headers: fault.headers ?? {},
      }
      return this.send(res, record, reply, rateHeaders)
    }

    let reply: Reply
    try {
      if (badJson) throw new HttpError(400, 'Problems parsing JSON')
      reply = await this.dispatch(
        method,
        pathname,
        target.searchParams,
        prefix,
        req.headers,
        body,
        tokenValue,
      )
    } catch (e) {
      reply = errorReply(e, DOCS)
    }

    if (fault?.passThrough) {
      if (fault.delayMs) await sleep(fault.delayMs)
      if (fault.dropConnection) {
        this.requests.push({ ...record, status: reply.status, dropped: true })
        res.destroy()
        return
      }
    }
    this.send(res, record, reply, rateHeaders, method === 'GET' ? req.headers['if-none-match'] : undefined)
  }

  /**
   * A successful GET carries an `ETag` of its body; a GET whose `If-None-Match` names it is answered 304
   * with no body, and does not count against the primary limit (FACTS "Spending GitHub's budgets well").
   */
  private send(
    res: http.ServerResponse,
    record: RequestRecord,
    reply: Reply,
    rateHeaders: Record<string, string>,
    ifNoneMatch?: string,
  ) {
    record.status = reply.status
    this.requests.push(record)
    const headers: Record<string, string> = {
      'x-github-request-id': randomUUID().toUpperCase(),
      'x-github-api-version-selected': '2022-11-28',
      ...rateHeaders,
    }
    let payload: Buffer | undefined
    if (reply.raw) {
      headers['content-type'] = 'application/vnd.github.raw; charset=utf-8'
      payload = reply.raw
    } else if (reply.status !== 204 && reply.body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8'
      headers['x-github-media-type'] = 'github.v3; format=json'
      payload = Buffer.from(JSON.stringify(reply.body))
    }
    Object.assign(headers, reply.headers)
    if (ifNoneMatch !== undefined && reply.status === 200 && payload) {
      const etag = `W/"${createHash('sha1').update(payload).digest('hex')}"`
      headers.etag = etag
      if (ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
        record.status = 304
        this.uncount(record.authorization)
        headers['x-ratelimit-remaining'] = String(Number(headers['x-ratelimit-remaining']) + 1)
        headers['x-ratelimit-used'] = String(Number(headers['x-ratelimit-used']) - 1)
        for (const h of ['content-type', 'x-github-media-type']) delete headers[h]
        res.writeHead(304, headers)
        res.end()
        return
      }
    } else if (reply.status === 200 && payload && record.method === 'GET') {
      headers.etag = `W/"${createHash('sha1').update(payload).digest('hex')}"`
    }
    if (payload) headers['content-length'] = String(payload.length)
    res.writeHead(reply.status, headers)
    res.end(payload)
  }

  /** Every answer carries the primary rate-limit headers; the limit is reported, never enforced. */
  private countRequest(token: string | undefined): Record<string, string> {
    const key = token ?? ''
    const limit = token ? RATE_LIMIT : 60
    const now = Math.floor(Date.now() / 1000)
    let state = this.rate.get(key)
    if (!state || state.reset <= now) {
      state = { remaining: limit, reset: now + 3600 }
      this.rate.set(key, state)
    }
    state.remaining = Math.max(0, state.remaining - 1)
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-reset': String(state.reset),
      'x-ratelimit-used': String(limit - state.remaining),
      'x-ratelimit-resource': 'core',
    }
  }

  /** Counts a content-creating request; over the limit it is answered with a secondary-limit 403. */
  private overLimit(method: string, pathname: string, token: string | undefined): Fault | undefined {
    // A GraphQL query (the only kind this server answers) creates nothing: GitHub counts mutations only.
    if (
      !['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) ||
      pathname.startsWith('/twirp/') ||
      pathname === '/graphql'
    )
      return undefined
    const key = token ?? ''
    this.contentCreating.set(key, (this.contentCreating.get(key) ?? 0) + 1)
    if (!this.limits) return undefined
    const now = Date.now()
    const recent = (this.writeTimes.get(key) ?? []).filter((t) => t > now - 60_000)
    recent.push(now)
    this.writeTimes.set(key, recent)
    if (recent.length <= this.limits.perMinute) return undefined
    this.limitRefusals++
    return faults.secondaryRateLimit({ headers: { 'retry-after': String(this.limits.retryAfterSeconds) } })
  }

  /** An authorised 304 is given back to the primary budget. */
  private uncount(authorization: string | undefined): void {
    const state = this.rate.get(parseToken(authorization) ?? '')
    if (state) state.remaining++
  }

  private takeFault(method: string, pathname: string): Fault | undefined {
    const index = this.faultQueue.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || f.path.test(pathname) || f.path.test(safeDecode(pathname))) &&
        (f.rate === undefined || Math.random() < f.rate),
    )
    if (index === -1) return undefined
    const fault = this.faultQueue[index]!
    fault.times = (fault.times ?? 1) - 1
    if (fault.times <= 0) this.faultQueue.splice(index, 1)
    return fault
  }

  private async dispatch(
    method: string,
    pathname: string,
    query: URLSearchParams,
    prefix: string,
    headers: http.IncomingHttpHeaders,
    body: unknown,
    tokenValue: string | undefined,
  ): Promise<Reply> {
    const token = tokenValue === undefined ? undefined : this.tokens.get(tokenValue)
    if (!token) throw new HttpError(401, 'Bad credentials')

    if (method === 'GET' && pathname === '/rate_limit') {
      return { status: 200, body: this.rateLimitBody(tokenValue) }
    }

    // GraphQL (graphql-api.ts): the viewer answers every token (an installation token's bot included);
    // REST GET /user answers only user tokens and refuses installation tokens, as on GitHub.
    if (method === 'POST' && pathname === '/graphql') {
      return { status: 200, body: await answerGraphQL(this.graphqlWorld(), token, objectBody(body)) }
    }
    if (method === 'GET' && pathname === '/user') {
      if (token.login.endsWith('[bot]')) throw new HttpError(403, 'Resource not accessible by integration')
      return {
        status: 200,
        body: { login: token.login, id: loginId(token.login), type: 'User', site_admin: false },
      }
    }

    const repoMatch = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname)
    if (!repoMatch) throw new HttpError(404, 'Not Found')
    const [, owner = '', repo = '', rest = ''] = repoMatch
    const sameRepo =
      safeDecode(owner).toLowerCase() === this.owner.toLowerCase() &&
      safeDecode(repo).toLowerCase() === this.repo.toLowerCase()

    const route = this.routes.find((r) => r.method === method && r.pattern.test(rest))
    const docs = route?.docs ?? DOCS
    try {
      if (!sameRepo || !route) throw new HttpError(404, 'Not Found')
      if (route.need && !allows(token.perms, route.need)) {
        throw new HttpError(403, 'Resource not accessible by integration')
      }
      const ctx: Ctx = { method, pathname, query, prefix, headers, body, token }
      return await route.handler(ctx, route.pattern.exec(rest)!)
    } catch (e) {
      return errorReply(e, docs)
    }
  }

  // ---- routes ----------------------------------------------------------------------------------

  private buildRoutes(): Route[] {
    const contentsDocs = `${DOCS}/repos/contents`
    const refsDocs = `${DOCS}/git/refs`
    const commentsDocs = `${DOCS}/issues/comments`
    const jobsDocs = `${DOCS}/actions/workflow-jobs`
    const route = (method: string, pattern: RegExp, handler: Handler, docs: string, need?: Need): Route => {
      const r: Route = { method, pattern, handler: handler.bind(this), docs }
      if (need) r.need = need
      return r
    }
    return [
      route('GET', /^\/?$/, this.getRepo, `${DOCS}/repos/repos#get-a-repository`),
      route('GET', /^\/contents(?:\/(.*))?$/, this.getContents, `${contentsDocs}#get-repository-content`),
      route(
        'PUT',
        /^\/contents\/(.+)$/,
        this.putContents,
        `${contentsDocs}#create-or-update-file-contents`,
        'contents',
      ),
      route('GET', /^\/branches\/(.+)$/, this.getBranch, `${DOCS}/branches/branches#get-a-branch`),
      route('GET', /^\/git\/ref\/(.+)$/, this.getRef, `${refsDocs}#get-a-reference`),
      route('GET', /^\/git\/refs\/(.+)$/, this.getRefs, `${refsDocs}#get-a-reference`),
      route('GET', /^\/git\/matching-refs\/(.*)$/, this.matchingRefs, `${refsDocs}#list-matching-references`),
      route('POST', /^\/git\/refs$/, this.createRef, `${refsDocs}#create-a-reference`, 'contents'),
      route('PATCH', /^\/git\/refs\/(.+)$/, this.updateRef, `${refsDocs}#update-a-reference`, 'contents'),
      route('DELETE', /^\/git\/refs\/(.+)$/, this.deleteRef, `${refsDocs}#delete-a-reference`, 'contents'),
      route('GET', /^\/git\/commits\/([^/]+)$/, this.getCommit, `${DOCS}/git/commits#get-a-commit-object`),
      route('POST', /^\/git\/commits$/, this.createCommit, `${DOCS}/git/commits#create-a-commit`, 'contents'),
      route('GET', /^\/git\/blobs\/([^/]+)$/, this.getBlob, `${DOCS}/git/blobs#get-a-blob`),
      route('POST', /^\/git\/blobs$/, this.createBlob, `${DOCS}/git/blobs#create-a-blob`, 'contents'),
      route('GET', /^\/git\/trees\/(.+)$/, this.getTree, `${DOCS}/git/trees#get-a-tree`),
      route('POST', /^\/git\/trees$/, this.createTree, `${DOCS}/git/trees#create-a-tree`, 'contents'),
      route('GET', /^\/issues\/(\d+)\/comments$/, this.listComments, `${commentsDocs}#list-issue-comments`),
      route(
        'POST',
        /^\/issues\/(\d+)\/comments$/,
        this.createComment,
        `${commentsDocs}#create-an-issue-comment`,
        'comments',
      ),
      route('GET', /^\/issues\/comments\/(\d+)$/, this.getComment, `${commentsDocs}#get-an-issue-comment`),
      route(
        'PATCH',
        /^\/issues\/comments\/(\d+)$/,
        this.updateComment,
        `${commentsDocs}#update-an-issue-comment`,
        'comments',
      ),
      route(
        'DELETE',
        /^\/issues\/comments\/(\d+)$/,
        this.deleteComment,
        `${commentsDocs}#delete-an-issue-comment`,
        'comments',
      ),
      route(
        'GET',
        /^\/commits\/([^/]+)\/pulls$/,
        this.pullsForCommit,
        `${DOCS}/commits/commits#list-pull-requests-associated-with-a-commit`,
      ),
      route('GET', /^\/pulls$/, this.listPulls, `${DOCS}/pulls/pulls#list-pull-requests`),
      route('GET', /^\/pulls\/(\d+)$/, this.getPull, `${DOCS}/pulls/pulls#get-a-pull-request`),
      route(
        'GET',
        /^\/actions\/runs\/(\d+)\/attempts\/(\d+)\/jobs$/,
        this.jobsForAttempt,
        `${jobsDocs}#list-jobs-for-a-workflow-run-attempt`,
        'actions',
      ),
      route(
        'GET',
        /^\/actions\/runs\/(\d+)\/jobs$/,
        this.jobsForRun,
        `${jobsDocs}#list-jobs-for-a-workflow-run`,
        'actions',
      ),
      route(
        'GET',
        /^\/actions\/jobs\/(\d+)$/,
        this.getJob,
        `${jobsDocs}#get-a-job-for-a-workflow-run`,
        'actions',
      ),
    ]
  }

  private get apiBase(): string {
    return `${this.url}/repos/${this.owner}/${this.repo}`
  }

  private get fullName(): string {
    return `${this.owner}/${this.repo}`
  }

  private async getRepo(ctx: Ctx): Promise<Reply> {
    const p = ctx.token.perms
    return {
      status: 200,
      body: {
        id: 1296269,
        node_id: 'R_kgDOAAAAAQ',
        name: this.repo,
        full_name: this.fullName,
        owner: { login: this.owner, id: 1, type: 'Organization' },
        private: false,
        visibility: 'public',
        fork: false,
        html_url: `https://github.com/${this.fullName}`,
        url: this.apiBase,
        default_branch: this.defaultBranch,
        permissions: {
          admin: false,
          maintain: false,
          push: p.contents === 'write',
          triage: p.issues === 'write' || p.pullRequests === 'write',
          pull: true,
        },
      },
    }
  }

  // -- contents

  private async getContents(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const path = contentPath(m[1] ?? '')
    const refParam = ctx.query.get('ref')
    const { commit, ref } = await this.resolveRef(refParam)
    const entry = path === null ? null : await this.git.entryAt(commit, path)
    if (!entry) throw new HttpError(404, 'Not Found')

    if (entry.type === 'tree') {
      const children = await this.git.listTree(entry.sha)
      return {
        status: 200,
        body: children.map((child) =>
          this.contentEntry(path ? `${path}/${child.path}` : child.path, child, ref),
        ),
      }
    }
    const size = entry.size ?? 0
    const wantsRaw = /raw/.test(String(ctx.headers.accept ?? ''))
    if (entry.type === 'blob' && (wantsRaw ? size > CONTENTS_RAW_LIMIT : size > CONTENTS_JSON_LIMIT)) {
      if (wantsRaw || this.largeFileResponse === 'too_large') {
        throw new HttpError(
          403,
          'This API returns blobs up to 1 MB in size. The requested blob is too large to fetch via the API, but you can use the Git Data API to request blobs up to 100 MB in size.',
          { errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }] },
        )
      }
      // Files of 1–100 MB: the JSON media type answers without content; only the raw type has it.
      return { status: 200, body: { ...this.contentEntry(path!, entry, ref), content: '', encoding: 'none' } }
    }
    const data =
      entry.type === 'blob' ? ((await this.git.readBlob(entry.sha)) ?? Buffer.alloc(0)) : Buffer.alloc(0)
    if (wantsRaw) return { status: 200, raw: data }
    const body: Record<string, unknown> = { ...this.contentEntry(path!, entry, ref) }
    if (entry.type === 'blob') Object.assign(body, { content: base64Lines(data), encoding: 'base64' })
    if (entry.mode === '120000') body.target = data.toString('utf8')
    return { status: 200, body }
  }

  private contentEntry(path: string, entry: TreeEntry, ref: string): Record<string, unknown> {
    const type =
      entry.type === 'tree'
        ? 'dir'
        : entry.type === 'commit'
          ? 'submodule'
          : entry.mode === '120000'
            ? 'symlink'
            : 'file'
    const self = `${this.apiBase}/contents/${encodePath(path)}?ref=${encodeURIComponent(ref)}`
    const git = `${this.apiBase}/git/${entry.type === 'tree' ? 'trees' : 'blobs'}/${entry.sha}`
    const html = `https://github.com/${this.fullName}/${entry.type === 'tree' ? 'tree' : 'blob'}/${ref}/${path}`
    return {
      type,
      name: path.slice(path.lastIndexOf('/') + 1),
      path,
      sha: entry.sha,
      size: entry.size ?? 0,
      url: self,
      html_url: html,
      git_url: git,
      download_url: null,
      _links: { self, git, html },
    }
  }

  private async putContents(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const path = contentPath(m[1] ?? '')
    if (!path) throw new HttpError(404, 'Not Found')
    const body = objectBody(ctx.body)
    const message = requireString(body, 'message')
    const content = requireString(body, 'content')
    if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) throw new HttpError(422, 'content is not valid Base64')
    const branch =
      typeof body.branch === 'string' ? body.branch.replace(/^refs\/heads\//, '') : this.defaultBranch
    const identity = this.identities(ctx, body)
    const race = this.raceWindowMs > 0
    const swap = <T>(fn: () => Promise<T>) => (race ? this.lock(fn) : fn())

    const write = async (): Promise<Reply> => {
      const tip = await this.git.branchTip(branch)
      // An empty repository accepts a first commit on its default branch; otherwise the branch must exist.
      if (!tip && !(branch === this.defaultBranch && (await this.git.refs('refs/')).length === 0)) {
        throw new HttpError(404, `Branch ${branch} not found`)
      }
      const existing = tip ? await this.git.entryAt(tip, path) : null
      if (existing) {
        if (body.sha === undefined || body.sha === null || body.sha === '') {
          throw new HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
        }
        if (body.sha !== existing.sha) throw new HttpError(409, `${path} does not match ${String(body.sha)}`)
      }
      if (race) await sleep(this.raceWindowMs)

      const blob = await this.git.writeBlob(Buffer.from(content, 'base64'))
      const baseTree = tip ? (await this.git.readCommit(tip))!.tree : null
      const mode = existing?.type === 'blob' ? existing.mode : '100644'
      let tree: string
      try {
        tree = await this.git.updateTree(baseTree, new Map([[path, { mode, type: 'blob', sha: blob }]]))
      } catch (e) {
        if (e instanceof TreePathError) throw new HttpError(422, `Invalid request.\n\n${e.message}`)
        throw e
      }
      const commit = await this.git.commitTree(tree, tip ? [tip] : [], message, identity)
      await swap(async () => {
        const cas = await this.git.casRef(`refs/heads/${branch}`, commit, tip)
        // GitHub reuses 409 here; only the message tells this race apart from a stale blob sha.
        if (!cas.ok)
          throw new HttpError(
            409,
            `${path} is at ${cas.current ?? 'nothing'} but expected ${tip ?? 'nothing'}`,
          )
      })
      const info = (await this.git.readCommit(commit))!
      const entry = (await this.git.entryAt(commit, path))!
      return {
        status: existing ? 200 : 201,
        body: { content: this.contentEntry(path, entry, branch), commit: this.commitJson(info) },
      }
    }
    return race ? write() : this.lock(write)
  }

  private async getBranch(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const branch = safeDecode(m[1] ?? '')
    const tip = await this.git.branchTip(branch)
    if (!tip) throw new HttpError(404, 'Branch not found')
    const info = (await this.git.readCommit(tip))!
    return {
      status: 200,
      body: {
        name: branch,
        commit: { sha: tip, url: `${this.apiBase}/commits/${tip}`, commit: this.commitJson(info) },
        protected: false,
      },
    }
  }

  // -- git refs

  private async refJson(ref: string, sha: string): Promise<Record<string, unknown>> {
    const type = (await this.git.objectType(sha)) ?? 'commit'
    return {
      ref,
      node_id: `REF_${Buffer.from(ref).toString('base64')}`,
      url: `${this.apiBase}/git/${ref}`,
      object: { sha, type, url: `${this.apiBase}/git/${type}s/${sha}` },
    }
  }

  private async getRef(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const ref = `refs/${safeDecode(m[1] ?? '')}`
    const sha = await this.git.refTarget(ref)
    if (!sha) throw new HttpError(404, 'Not Found')
    return { status: 200, body: await this.refJson(ref, sha) }
  }

  /** The legacy endpoint: the exact ref as an object, else every ref starting with the name as an array. */
  private async getRefs(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const exact = await this.getRef(ctx, m).catch(() => null)
    if (exact) return exact
    const matches = await this.git.refs(`refs/${safeDecode(m[1] ?? '')}`)
    if (matches.length === 0) throw new HttpError(404, 'Not Found')
    return { status: 200, body: await Promise.all(matches.map((r) => this.refJson(r.ref, r.sha))) }
  }

  private async matchingRefs(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const matches = await this.git.refs(`refs/${safeDecode(m[1] ?? '')}`)
    return { status: 200, body: await Promise.all(matches.map((r) => this.refJson(r.ref, r.sha))) }
  }

  private async createRef(ctx: Ctx): Promise<Reply> {
    const body = objectBody(ctx.body)
    const ref = requireString(body, 'ref')
    const sha = requireString(body, 'sha')
    if (!(ref.split('/').length >= 3) || !(await this.git.isValidRefName(ref))) {
      throw new HttpError(422, `${ref} is not a valid ref name.`)
    }
    if (!(await this.git.objectType(sha))) throw new HttpError(422, 'Object does not exist')
    return this.lock(async () => {
      const cas = await this.git.casRef(ref, sha, null)
      if (!cas.ok) throw new HttpError(422, 'Reference already exists')
      return {
        status: 201,
        body: await this.refJson(ref, sha),
        headers: { location: `${this.apiBase}/git/${ref}` },
      }
    })
  }

  private async updateRef(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const ref = `refs/${safeDecode(m[1] ?? '')}`
    const body = objectBody(ctx.body)
    const sha = requireString(body, 'sha')
    const force = body.force === true
    if ((await this.git.objectType(sha)) !== 'commit') throw new HttpError(422, 'Object does not exist')
    return this.lock(async () => {
      const current = await this.git.refTarget(ref)
      if (!current) throw new HttpError(422, 'Reference does not exist')
      if (!force && !(await this.git.isAncestor(current, sha))) {
        throw new HttpError(422, 'Update is not a fast forward')
      }
      const cas = await this.git.casRef(ref, sha, current)
      if (!cas.ok) throw new HttpError(422, 'Update is not a fast forward')
      return { status: 200, body: await this.refJson(ref, sha) }
    })
  }

  private async deleteRef(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const ref = `refs/${safeDecode(m[1] ?? '')}`
    return this.lock(async () => {
      const current = await this.git.refTarget(ref)
      if (!current || !(await this.git.deleteRef(ref, current))) {
        throw new HttpError(422, 'Reference does not exist')
      }
      return { status: 204 }
    })
  }

  // -- git objects

  private commitJson(c: CommitInfo): Record<string, unknown> {
    return {
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 16)}`,
      url: `${this.apiBase}/git/commits/${c.sha}`,
      html_url: `https://github.com/${this.fullName}/commit/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message,
      tree: { sha: c.tree, url: `${this.apiBase}/git/trees/${c.tree}` },
      parents: c.parents.map((sha) => ({
        sha,
        url: `${this.apiBase}/git/commits/${sha}`,
        html_url: `https://github.com/${this.fullName}/commit/${sha}`,
      })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
    }
  }

  private async getCommit(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const info = await this.git.readCommit(m[1] ?? '')
    if (!info) throw new HttpError(404, 'Not Found')
    return { status: 200, body: this.commitJson(info) }
  }

  private async createCommit(ctx: Ctx): Promise<Reply> {
    const body = objectBody(ctx.body)
    const message = requireString(body, 'message')
    const tree = requireString(body, 'tree')
    if ((await this.git.objectType(tree)) !== 'tree') throw new HttpError(422, 'Tree SHA does not exist')
    const parents = body.parents ?? []
    if (!Array.isArray(parents))
      throw new HttpError(422, "Invalid request.\n\nFor 'properties/parents', it is not an array.")
    for (const p of parents) {
      if ((await this.git.objectType(String(p))) !== 'commit') {
        throw new HttpError(422, 'Parent SHA does not exist or is not a commit object')
      }
    }
    const sha = await this.git.commitTree(tree, parents.map(String), message, this.identities(ctx, body))
    return {
      status: 201,
      body: this.commitJson((await this.git.readCommit(sha))!),
      headers: { location: `${this.apiBase}/git/commits/${sha}` },
    }
  }

  private async getBlob(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const sha = m[1] ?? ''
    if ((await this.git.objectType(sha)) !== 'blob') throw new HttpError(404, 'Not Found')
    const data = (await this.git.readBlob(sha))!
    // Blobs honour the raw media type too (up to 100 MB), which avoids base64 for large files.
    if (/raw/.test(String(ctx.headers.accept ?? ''))) return { status: 200, body: null, raw: data }
    return {
      status: 200,
      body: {
        sha,
        node_id: `B_${sha.slice(0, 16)}`,
        size: data.length,
        url: `${this.apiBase}/git/blobs/${sha}`,
        content: base64Lines(data),
        encoding: 'base64',
      },
    }
  }

  private async createBlob(ctx: Ctx): Promise<Reply> {
    const body = objectBody(ctx.body)
    const content = requireString(body, 'content')
    const encoding = body.encoding ?? 'utf-8'
    if (encoding !== 'utf-8' && encoding !== 'utf8' && encoding !== 'base64') {
      throw new HttpError(422, `encoding must be one of utf-8, base64`)
    }
    const sha = await this.git.writeBlob(encoding === 'base64' ? Buffer.from(content, 'base64') : content)
    return {
      status: 201,
      body: { sha, url: `${this.apiBase}/git/blobs/${sha}` },
      headers: { location: `${this.apiBase}/git/blobs/${sha}` },
    }
  }

  private async treeJson(sha: string, recursive: boolean): Promise<Record<string, unknown>> {
    const entries = await this.git.listTree(sha, recursive)
    return {
      sha,
      url: `${this.apiBase}/git/trees/${sha}`,
      tree: entries.map((e) => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.sha,
        ...(e.size === undefined ? {} : { size: e.size }),
        url: `${this.apiBase}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
      })),
      truncated: false,
    }
  }

  private async getTree(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const name = safeDecode(m[1] ?? '')
    const rev = isSha(name)
      ? name
      : await this.resolveRef(name).then(
          (r) => r.commit,
          () => null,
        )
    const entry = rev ? await this.git.entryAt(rev, '') : null
    if (!entry) throw new HttpError(404, 'Not Found')
    const recursive = ['1', 'true'].includes(ctx.query.get('recursive') ?? '')
    return { status: 200, body: await this.treeJson(entry.sha, recursive) }
  }

  private async createTree(ctx: Ctx): Promise<Reply> {
    const body = objectBody(ctx.body)
    if (!Array.isArray(body.tree)) throw new HttpError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.')
    const baseTree = body.base_tree
    if (
      baseTree !== undefined &&
      baseTree !== null &&
      (await this.git.objectType(String(baseTree))) !== 'tree'
    ) {
      throw new HttpError(422, 'Invalid request.\n\nbase_tree is not a valid tree oid.')
    }
    const changes = new Map<string, TreeChange>()
    for (const raw of body.tree as unknown[]) {
      const item = objectBody(raw)
      const path = typeof item.path === 'string' ? item.path : ''
      if (!path || path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) {
        throw new HttpError(422, 'tree.path contains a malformed path component')
      }
      const mode = String(item.mode ?? '')
      const type = String(item.type ?? '')
      if (!['100644', '100755', '040000', '160000', '120000'].includes(mode)) {
        throw new HttpError(422, `Invalid request.\n\n${mode} is not a valid tree.mode.`)
      }
      if (type !== 'blob' && type !== 'tree' && type !== 'commit') {
        throw new HttpError(422, `Invalid request.\n\n${type} is not a valid tree.type.`)
      }
      if (item.content !== undefined && item.sha !== undefined) {
        throw new HttpError(422, 'Invalid request.\n\nOnly one of "sha" or "content" can be supplied.')
      }
      if (typeof item.content === 'string') {
        changes.set(path, { mode, type: 'blob', sha: await this.git.writeBlob(item.content) })
      } else if (item.sha === null) {
        changes.set(path, null)
      } else if (typeof item.sha === 'string') {
        if (type !== 'commit' && (await this.git.objectType(item.sha)) !== type) {
          throw new HttpError(422, `tree.sha ${item.sha} is not a valid ${type}`)
        }
        changes.set(path, { mode, type, sha: item.sha })
      } else {
        throw new HttpError(422, 'Invalid request.\n\nEither "sha" or "content" must be supplied.')
      }
    }
    let sha: string
    try {
      sha = await this.git.updateTree(typeof baseTree === 'string' ? baseTree : null, changes)
    } catch (e) {
      if (e instanceof TreePathError) throw new HttpError(422, `Invalid request.\n\n${e.message}`)
      throw e
    }
    return {
      status: 201,
      body: await this.treeJson(sha, false),
      headers: { location: `${this.apiBase}/git/trees/${sha}` },
    }
  }

  // -- issue comments

  private storeComment(issue: number, body: string, login: string): StoredComment {
    const now = Math.floor(Date.now() / 1000)
    this.lastCommentAt = Math.max(now, this.lastCommentAt + 1) // distinct, increasing created_at
    const at = isoSeconds(this.lastCommentAt)
    const comment: StoredComment = {
      id: this.nextCommentId++,
      issue,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: at,
      updated_at: at,
    }
    this.comments_.set(comment.id, comment)
    return comment
  }

  private commentJson(c: StoredComment): Record<string, unknown> {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.apiBase}/issues/comments/${c.id}`,
      html_url: `https://github.com/${this.fullName}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `${this.apiBase}/issues/${c.issue}`,
      body: c.body,
      user: { login: c.user.login, id: loginId(c.user.login), type: c.user.type, site_admin: false },
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: 'NONE',
      performed_via_github_app: null,
    }
  }

  private findComment(m: RegExpExecArray): StoredComment {
    const comment = this.comments_.get(Number(m[1]))
    if (!comment) throw new HttpError(404, 'Not Found')
    return comment
  }

  private async listComments(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const issue = Number(m[1])
    if (!this.issues.has(issue)) throw new HttpError(404, 'Not Found')
    const all = [...this.comments_.values()].filter((c) => c.issue === issue).sort((a, b) => a.id - b.id)
    const { items, headers } = this.paginate(ctx, all)
    return { status: 200, body: items.map((c) => this.commentJson(c)), headers }
  }

  private async createComment(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const issue = Number(m[1])
    if (!this.issues.has(issue)) throw new HttpError(404, 'Not Found')
    const text = commentBody(ctx.body)
    const comment = this.storeComment(issue, text, ctx.token.login)
    return {
      status: 201,
      body: this.commentJson(comment),
      headers: { location: `${this.apiBase}/issues/comments/${comment.id}` },
    }
  }

  private async getComment(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    return { status: 200, body: this.commentJson(this.findComment(m)) }
  }

  private async updateComment(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const comment = this.findComment(m)
    comment.body = commentBody(ctx.body)
    comment.updated_at = isoSeconds(Math.floor(Date.now() / 1000))
    return { status: 200, body: this.commentJson(comment) }
  }

  private async deleteComment(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    this.comments_.delete(this.findComment(m).id)
    return { status: 204 }
  }

  // -- pulls

  private pullJson(pr: PullRequestFixture): Record<string, unknown> {
    const headRepo = pr.head_repo ?? this.fullName
    const headRef = pr.head_ref ?? `feature-${pr.number}`
    return {
      url: `${this.apiBase}/pulls/${pr.number}`,
      id: 100000 + pr.number,
      number: pr.number,
      state: pr.state ?? 'open',
      title: `Pull request #${pr.number}`,
      html_url: `https://github.com/${this.fullName}/pull/${pr.number}`,
      user: { login: headRepo.split('/')[0], type: 'User' },
      draft: false,
      merged: false,
      head: {
        label: `${headRepo.split('/')[0]}:${headRef}`,
        ref: headRef,
        sha: pr.head_sha,
        repo: { full_name: headRepo, fork: headRepo.toLowerCase() !== this.fullName.toLowerCase() },
      },
      base: {
        label: `${this.owner}:${this.defaultBranch}`,
        ref: this.defaultBranch,
        repo: { full_name: this.fullName, fork: false },
      },
    }
  }

  private async pullsForCommit(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const sha = (m[1] ?? '').toLowerCase()
    const prs = [...this.pulls.values()].filter(
      (pr) => sha.length >= 7 && pr.head_sha.toLowerCase().startsWith(sha),
    )
    return { status: 200, body: prs.map((pr) => this.pullJson(pr)) }
  }

  private async listPulls(ctx: Ctx): Promise<Reply> {
    const state = ctx.query.get('state') ?? 'open'
    const prs = [...this.pulls.values()]
      .filter((pr) => state === 'all' || (pr.state ?? 'open') === state)
      .sort((a, b) => b.number - a.number)
    const { items, headers } = this.paginate(ctx, prs)
    return { status: 200, body: items.map((pr) => this.pullJson(pr)), headers }
  }

  private async getPull(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const pr = this.pulls.get(Number(m[1]))
    if (!pr) throw new HttpError(404, 'Not Found')
    return { status: 200, body: this.pullJson(pr) }
  }

  // -- jobs

  private jobJson(job: JobFixture): Record<string, unknown> {
    const runUrl = `${this.apiBase}/actions/runs/${job.run_id}`
    return {
      run_url: runUrl,
      node_id: `CR_${job.id}`,
      head_sha: '0000000000000000000000000000000000000000',
      url: `${this.apiBase}/actions/jobs/${job.id}`,
      html_url: `https://github.com/${this.fullName}/actions/runs/${job.run_id}/job/${job.id}`,
      check_run_url: `${this.apiBase}/check-runs/${job.id}`,
      created_at: job.started_at,
      labels: ['ubuntu-latest'],
      runner_id: 1,
      runner_name: 'GitHub Actions 1',
      runner_group_id: 0,
      runner_group_name: 'GitHub Actions',
      workflow_name: 'CI',
      head_branch: this.defaultBranch,
      steps: [],
      ...job,
    }
  }

  private async jobsForAttempt(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const jobs = this.jobs.get(Number(m[1]))?.get(Number(m[2]))
    if (!jobs) throw new HttpError(404, 'Not Found')
    return this.jobsPage(ctx, jobs)
  }

  private async jobsForRun(ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const attempts = this.jobs.get(Number(m[1]))
    if (!attempts || attempts.size === 0) throw new HttpError(404, 'Not Found')
    const order = [...attempts.keys()].sort((a, b) => a - b)
    const jobs =
      ctx.query.get('filter') === 'all'
        ? order.flatMap((n) => attempts.get(n)!)
        : attempts.get(order[order.length - 1]!)!
    return this.jobsPage(ctx, jobs)
  }

  private jobsPage(ctx: Ctx, jobs: JobFixture[]): Reply {
    const { items, headers } = this.paginate(ctx, jobs)
    return {
      status: 200,
      body: { total_count: jobs.length, jobs: items.map((j) => this.jobJson(j)) },
      headers,
    }
  }

  private async getJob(_ctx: Ctx, m: RegExpExecArray): Promise<Reply> {
    const id = Number(m[1])
    for (const attempts of this.jobs.values()) {
      for (const jobs of attempts.values()) {
        const job = jobs.find((j) => j.id === id)
        if (job) return { status: 200, body: this.jobJson(job) }
      }
    }
    throw new HttpError(404, 'Not Found')
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** GitHub's pagination: per_page (default 30, max 100), page, and a Link header on every page. */
  private paginate<T>(ctx: Ctx, all: T[]): { items: T[]; headers: Record<string, string> } {
    const requested = Number.parseInt(ctx.query.get('per_page') ?? '', 10)
    const perPage = Number.isNaN(requested) || requested < 1 ? 30 : Math.min(requested, 100)
    const page = Math.max(1, Number.parseInt(ctx.query.get('page') ?? '', 10) || 1)
    const last = Math.max(1, Math.ceil(all.length / perPage))
    const link = (p: number, rel: string) => {
      const u = new URL(`${this.url}${ctx.prefix}${ctx.pathname}`)
      for (const [k, v] of ctx.query) if (k !== 'page') u.searchParams.append(k, v)
      u.searchParams.set('page', String(p))
      return `<${u.toString()}>; rel="${rel}"`
    }
    const links: string[] = []
    if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
    if (page > 1) links.push(link(1, 'first'))
    return {
      items: all.slice((page - 1) * perPage, page * perPage),
      headers: links.length ? { link: links.join(', ') } : {},
    }
  }

  /** A branch, tag, full ref or commit sha; null means the default branch. */
  private async resolveRef(ref: string | null): Promise<{ commit: string; ref: string }> {
    const name = ref ?? this.defaultBranch
    if (!ref && (await this.git.refs('refs/')).length === 0)
      throw new HttpError(404, 'This repository is empty.')
    const candidates = name.startsWith('refs/') ? [name] : [`refs/heads/${name}`, `refs/tags/${name}`]
    for (const candidate of candidates) {
      if (await this.git.refTarget(candidate)) {
        const commit = await this.git.resolveCommit(candidate)
        if (commit) return { commit, ref: name }
      }
    }
    if (isSha(name) && (await this.git.objectType(name)) === 'commit') return { commit: name, ref: name }
    throw new HttpError(404, `No commit found for the ref ${name}`)
  }

  private identities(ctx: Ctx, body: Record<string, unknown>): { author: Identity; committer: Identity } {
    const login = ctx.token.login
    const fallback: Identity = {
      name: login,
      email: login === 'github-actions[bot]' ? BOT_EMAIL : `${login}@users.noreply.github.com`,
    }
    const committer = parseIdentity(body.committer) ?? fallback
    return { committer, author: parseIdentity(body.author) ?? committer }
  }

  private graphqlWorld(): GraphQLWorld {
    return {
      owner: this.owner,
      repo: this.repo,
      commitOf: async (rev) => {
        try {
          return (await this.resolveRef(rev)).commit
        } catch {
          return null
        }
      },
      entryAt: (commit, path) => this.git.entryAt(commit, path),
      listTree: (tree) => this.git.listTree(tree),
      readBlob: (sha) => this.git.readBlob(sha),
      pullComments: (number) =>
        this.pulls.has(number)
          ? [...this.comments_.values()]
              .filter((c) => c.issue === number)
              .sort((a, b) => a.id - b.id)
              .map((c) => ({ id: c.id, body: c.body, login: c.user.login, createdAt: c.created_at }))
          : null,
      textLimit: this.graphqlTextLimit,
    }
  }

  private rateLimitBody(token: string | undefined): Record<string, unknown> {
    const state = this.rate.get(token ?? '')
    const core = {
      limit: RATE_LIMIT,
      remaining: state?.remaining ?? RATE_LIMIT,
      reset: state?.reset ?? 0,
      used: RATE_LIMIT - (state?.remaining ?? RATE_LIMIT),
      resource: 'core',
    }
    return { resources: { core }, rate: core }
  }
}

// ---- module helpers ------------------------------------------------------------------------------

function allows(perms: TokenPermissions, need: Need): boolean {
  switch (need) {
    case 'contents':
      return perms.contents === 'write'
    case 'comments':
      return perms.pullRequests === 'write' || perms.issues === 'write'
    case 'actions':
      return perms.actions === 'read'
  }
}

function errorReply(e: unknown, docs: string): Reply {
  if (e instanceof HttpError) {
    return {
      status: e.status,
      body: { message: e.message, ...e.extra, documentation_url: docs, status: String(e.status) },
    }
  }
  const message = e instanceof Error ? e.message : String(e)
  return { status: 500, body: { message: `Server Error: ${message}`, documentation_url: DOCS } }
}

function parseToken(header: string | undefined): string | undefined {
  if (!header) return undefined
  const bearer = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header)
  if (bearer) return bearer[1]
  const basic = /^basic\s+(\S+)\s*$/i.exec(header)
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8')
    return decoded.slice(decoded.indexOf(':') + 1)
  }
  return undefined
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function objectBody(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field]
  if (typeof value !== 'string') throw new HttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`)
  return value
}

function commentBody(raw: unknown): string {
  const text = requireString(objectBody(raw), 'body')
  // GitHub counts characters (code points), not UTF-16 units or bytes.
  if ([...text].length > COMMENT_MAX_CHARS) {
    throw new HttpError(422, 'Validation Failed', {
      errors: [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: `Body is too long (maximum is ${COMMENT_MAX_CHARS} characters)`,
        },
      ],
    })
  }
  return text
}

function parseIdentity(value: unknown): Identity | undefined {
  const v = objectBody(value)
  if (typeof v.name !== 'string' || typeof v.email !== 'string') return undefined
  const who: Identity = { name: v.name, email: v.email }
  if (typeof v.date === 'string') who.date = v.date
  return who
}

/** A contents path from the URL (slashes may arrive as %2F), or null when it could not exist. */
function contentPath(raw: string): string | null {
  const path = safeDecode(raw).replace(/^\/+|\/+$/g, '')
  if (path === '') return ''
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return null
  return path
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

/** Base64 the way GitHub (Ruby's Base64.encode64) sends it: a newline after every 60 characters. */
export function base64Lines(data: Buffer): string {
  const b64 = data.toString('base64')
  if (b64 === '') return ''
  return `${b64.match(/.{1,60}/g)!.join('\n')}\n`
}

function isoSeconds(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function loginId(login: string): number {
  if (login === 'github-actions[bot]') return 41898282
  let h = 0
  for (const ch of login) h = (h * 31 + ch.charCodeAt(0)) % 100000000
  return h + 1
}

function isGraphQLQuery(r: RequestRecord): boolean {
  const query = (r.body as { query?: unknown } | undefined)?.query
  return r.path.split('?')[0] === '/graphql' && typeof query === 'string' && !/^\s*mutation\b/.test(query)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
