import { createHash } from 'node:crypto'
import { Deadline, DeadlinePassed } from '../core/deadline.js'
import { registryPath } from '../core/env.js'
import { conflictDelayMs, holdsRowIds, turnPatienceMs, turnSlotMs, type Contention } from '../core/spread.js'
import type { Row } from '../core/schema.js'
import { httpError, isConflict, isRateLimited, type GitHubClient } from '../github/octokit.js'
import {
  commitMessage,
  outcomeFrom,
  type AppendOutcome,
  type MigrateOutcome,
  type ReadFilter,
  type RegistryRead,
  type RegistryStore,
  type RowShare,
} from './port.js'
import {
  backoffMs,
  DEFAULT_RETRY,
  giveUpIfSpent,
  realTiming,
  type RetryPolicy,
  type Timing,
} from './retry.js'
import {
  DEFAULT_ROTATE_BYTES,
  historyDir,
  rowBytes,
  newestFirst,
  planAppend,
  planMigration,
  readSegment,
  segmentName,
  wantsMore,
  YOUNG_SHARE,
} from './segments.js'

export interface GitHubStoreOptions {
  client: GitHubClient
  owner: string
  repo: string
  branch: string
  pathTemplate: string
  retry?: RetryPolicy
  timing?: Timing
  /** latest/ rotates into history/ before an append would take it past this size (default 1 MiB). */
  rotateBytes?: number
  /** No conflict backoff that would end after it (README "Inputs", `max-wait`). */
  deadline?: Deadline
  /**
   * Spread writes by what the caller knows of the other writers (see conflictDelayMs); waits are then
   * measured in write times, not fixed milliseconds. Absent: full-jitter backoff.
   */
  spread?: {
    contention: (registryText: string) => Contention | null
    /** Writers of the run share commits: rows are offered while waiting, gathered when the turn comes. */
    share?: RowShare
  }
}

interface FileState {
  branchExists: boolean
  bytes: Buffer | null
  sha: string | null
  /** The ETag of the contents answer, for a conditional re-read. */
  etag?: string
}

interface TreeEntry {
  path: string
  mode: '100644'
  type: 'blob'
  content?: string
  sha?: string
}

/**
 * How often a writer that offered its rows looks whether they landed: any commit ahead may hold them, and
 * a look at an unchanged file is a 304 (no primary budget, no content-creating request).
 */
const OFFERED_LOOK_MS = 250

/** How a writer's turn ended: rows offered by the writers behind it, or its own rows landed already. */
interface Turn {
  gathered: Row[]
  landed: boolean
}

interface Segment {
  name: string
  sha: string
}

/**
 * latest/, the history/ listing beside it and whether the branch exists, in one GraphQL query: what the
 * contents API needs three requests for (file, folder, ref), and GraphQL's budget is not REST's 1,000 an
 * hour. Blob.oid is the blob sha a contents PUT asks for.
 */
const SNAPSHOT = `query ($owner: String!, $repo: String!, $branch: String!, $file: String!, $history: String!) {
  repository(owner: $owner, name: $repo) {
    branch: ref(qualifiedName: $branch) { target { oid } }
    file: object(expression: $file) { __typename ... on Blob { oid byteSize isBinary isTruncated text } }
    history: object(expression: $history) { ... on Tree { entries { name type oid } } }
  }
}`

interface SnapshotAnswer {
  repository: {
    branch: { target: { oid: string } | null } | null
    file: {
      __typename: string
      oid?: string
      byteSize?: number
      isTruncated?: boolean
      text?: string | null
    } | null
    history: { entries?: { name: string; type: string; oid: string }[] | null } | null
  } | null
}

/**
 * The registry over the GitHub contents API: read at the branch, merge by row key, PUT with the blob sha.
 * Every PUT is one commit, and concurrent PUTs to one branch conflict even on different files
 * (docs/architecture.md "GitHub contents API"), so a conflict means: re-read, merge again, retry after a
 * jittered backoff, within bounds. latest/ stays under `rotateBytes` (README "The registry"): the append
 * that would pass it moves the file, as the same blob, to history/ in one Git Data API commit, so no read
 * or write of the contents API grows with the history.
 *
 * Write economy (README "Within GitHub's limits"): latest/ as this store last read or wrote it is
 * remembered, so one read feeds the trend, the merge and the comment; the first write goes out on it, and
 * a re-read after a conflict is conditional (ETag).
 */
export class GitHubContentsStore implements RegistryStore {
  readonly label: string
  private readonly retry: RetryPolicy
  private readonly timing: Timing
  private readonly rotateBytes: number
  private readonly deadline: Deadline
  private readonly known = new Map<string, FileState>()
  /** history/ listings at the branch, as read during this store's life (the trend and the append share one). */
  private readonly listed = new Map<string, Segment[]>()
  private lastReadMs = 0
  /** False once GraphQL failed this store (an older GitHub Enterprise, a proxy, a token it refuses): REST then. */
  private graphqlWorks = true

  constructor(private readonly opts: GitHubStoreOptions) {
    this.label = `github:${opts.owner}/${opts.repo}@${opts.branch}`
    this.retry = opts.retry ?? DEFAULT_RETRY
    this.timing = opts.timing ?? realTiming
    this.rotateBytes = opts.rotateBytes ?? DEFAULT_ROTATE_BYTES
    this.deadline = opts.deadline ?? Deadline.never()
  }

  location(env: string): string {
    return `${this.label}:${registryPath(this.opts.pathTemplate, env)}`
  }

  async read(env: string, only?: ReadFilter): Promise<RegistryRead> {
    const path = registryPath(this.opts.pathTemplate, env)
    const location = this.location(env)
    const state = (!only?.fresh && this.known.get(path)) || (await this.readFile(path))
    const latest = readSegment(state.bytes?.toString('utf8') ?? '', location, only)
    let rows = latest.rows
    if (state.bytes && wantsMore(only, rows, null)) {
      let oldest: string | null = null
      for (const segment of await this.history(historyDir(path), this.opts.branch)) {
        // A rotation between the two reads makes the latest/ just read a segment: it is not read twice.
        if (segment.sha === state.sha) continue
        const text = (await this.blob(segment.sha)).toString('utf8')
        rows = [...readSegment(text, `${this.label}:${historyDir(path)}/${segment.name}`, only).rows, ...rows]
        oldest = segment.name.replace(/(-\d+)?\.csv$/, '')
        if (!wantsMore(only, rows, oldest)) break
      }
    }
    return { location, header: latest.header, rows, version: state.sha }
  }

  async append(env: string, rows: readonly Row[], message: string): Promise<AppendOutcome> {
    const path = registryPath(this.opts.pathTemplate, env)
    const location = this.location(env)
    const started = this.timing.now()
    const { gathered, landed } = await this.takeTurn(path, env, rows)
    const theirs = landed ? this.writtenByAnother(this.known.get(path)?.bytes ?? null, rows, location) : null
    if (theirs) return theirs
    if (gathered.length) {
      rows = [...rows, ...gathered]
      message = commitMessage(rows[0] as Row, rows.length)
    }
    for (let attempt = 1; ; attempt++) {
      // The first attempt merges into what this post already read; a conflict means that was stale.
      if (attempt > 1) this.listed.clear()
      const state = (attempt === 1 && this.known.get(path)) || (await this.readFile(path))
      const writeStarted = this.timing.now()
      // A retry across a rotation must still be a no-op: while latest/ is young, rows are also looked for in
      // the newest segment.
      const young = state.bytes !== null && rowBytes(state.bytes) < this.rotateBytes * YOUNG_SHARE
      const newest = young ? (await this.history(historyDir(path), this.opts.branch))[0] : undefined
      const plan = planAppend({
        latest: state.bytes,
        newest: newest ? await this.blob(newest.sha) : null,
        rows,
        location,
        rotateBytes: this.rotateBytes,
        now: () => new Date(this.timing.now()),
      })
      if (!plan.content) return outcomeFrom(location, plan.result, null)
      try {
        const layout = plan.segments.length > 0 || (plan.rotate !== null && state.sha !== null)
        const simple = state.branchExists && !layout
        const written = !state.branchExists
          ? { commit: await this.createBranch(path, plan.content, message, plan.segments), blob: null }
          : layout
            ? { commit: (await this.rotate(path, state.sha, plan, message))?.commit ?? null, blob: null }
            : await this.put(path, plan.content, state.sha, message)
        if (written.commit) {
          if (simple && written.blob)
            this.known.set(path, { branchExists: true, bytes: plan.content, sha: written.blob })
          else {
            this.known.delete(path)
            this.listed.clear()
          }
          return outcomeFrom(location, plan.result, written.commit)
        }
      } catch (e) {
        if (isRateLimited(e)) {
          // Refused for the minute's writes: in a crowd another writer (the one that took this offer, a
          // mode: run job) may have written these rows meanwhile. A read creates nothing; if it holds
          // them, nothing was lost and nothing is to be kept.
          const now = await this.readFile(path).catch(() => null)
          const done = now ? this.writtenByAnother(now.bytes, rows, location) : null
          if (done) return done
        }
        // A 404 on PUT means the branch vanished between read and write: start over like a conflict.
        if (!isConflict(e) && httpError(e)?.status !== 404) throw e
      }
      giveUpIfSpent(this.retry, attempt, this.timing.now() - started)
      const { spread } = this.opts
      const wait = spread
        ? conflictDelayMs(
            attempt,
            this.timing.now() - writeStarted,
            spread.contention(state.bytes?.toString('utf8') ?? ''),
            this.timing.random,
          )
        : backoffMs(this.retry, attempt, this.timing.random)
      await this.timing.sleep(this.waitWithin(wait, this.timing.now() - writeStarted))
    }
  }

  /** The outcome when latest/ (these bytes) holds every row already: another writer wrote them. */
  private writtenByAnother(
    latest: Buffer | null,
    rows: readonly Row[],
    location: string,
  ): AppendOutcome | null {
    const plan = planAppend({
      latest,
      newest: null,
      rows,
      location,
      rotateBytes: this.rotateBytes,
      now: () => new Date(this.timing.now()),
    })
    return plan.content ? null : { ...outcomeFrom(location, plan.result, null), writtenByAnother: true }
  }

  /**
   * Writers known to be finishing together take turns by watching the registry: while writers ahead of this
   * one have not landed their rows, latest/ is re-read conditionally (an unchanged file is a 304, no
   * content-creating request) a fair share of the expected wait apart; the write goes out once they have
   * landed. A writer ahead that lands nothing for `turnPatienceMs` (it died, kept its row, or is not a
   * writer after all) is not waited for. With a share, the rows are offered while waiting and the re-reads
   * come one write apart, since any commit ahead may hold them; once they have landed there is nothing
   * left to write. When the turn comes, the rows the writers behind offered meanwhile are returned, to be
   * written with this writer's own. What this store knows of latest/ afterwards is current.
   */
  private async takeTurn(path: string, env: string, rows: readonly Row[]): Promise<Turn> {
    const none = { gathered: [], landed: false }
    const { spread } = this.opts
    let state = spread ? this.known.get(path) : undefined
    if (!spread || !state) return none
    const text = (s: FileState): string => s.bytes?.toString('utf8') ?? ''
    let ahead = spread.contention(text(state))?.position ?? 0
    if (ahead === 0) return none
    const { share } = spread
    const ids = rows.map((r) => r.row_id ?? '').filter(Boolean)
    // Not awaited: the offer is saved while this writer watches (it fails open, and is only a chance).
    const offered = share && ids.length === rows.length ? share.offer(env, rows).catch(() => undefined) : null
    let slot = turnSlotMs(2 * this.lastReadMs)
    let progressAt = this.timing.now()
    // Writers ahead passed over: the first one ahead landed nothing for a whole patience (it died, kept its
    // row, or is a job that records nothing). Only that one is passed over, and the patience starts again:
    // every writer behind it passes it at about the same moment, so they keep their order instead of all
    // writing at once.
    let passed = 0
    while (ahead - passed > 0) {
      // Once one writer ahead proved idle, the next one is given half the patience: idle jobs come together.
      const patience = turnPatienceMs(slot) / (passed > 0 ? 2 : 1)
      if (this.timing.now() - progressAt > patience) {
        passed++
        progressAt = this.timing.now()
        continue
      }
      // A writer whose turn cannot come before the deadline keeps its row (the caller does): writing out of
      // turn would only make the writers in turn conflict, and spend the minute's content-creating budget.
      const room = this.deadline.remainingMs() - 2 * slot
      if (room <= 0) throw new DeadlinePassed(this.deadline)
      const expected = offered
        ? Math.min(slot, OFFERED_LOOK_MS)
        : slot * Math.max(0.5, (ahead - passed - 1) / 2)
      const wait = Math.round(expected * (0.75 + this.timing.random() / 2))
      await this.timing.sleep(Math.min(wait, room))
      state = await this.readFile(path)
      // latest/ is up to 1 MiB, looked at a few times a second: decoded once per look.
      const now = text(state)
      if (offered && holdsRowIds(now, ids)) return { gathered: [], landed: true }
      const left = spread.contention(now)?.position ?? 0
      if (left < ahead) {
        // The commits observed teach how long one holds the branch.
        slot = turnSlotMs((this.timing.now() - progressAt) / (ahead - left))
        progressAt = this.timing.now()
        // A writer passed over that lands after all is no longer ahead: it is not passed over twice.
        passed = Math.min(passed, left)
      }
      ahead = left
    }
    return { gathered: share ? await share.gather(env, text(state)) : [], landed: false }
  }

  /**
   * The wait, or when it would outlast the deadline a random part of the time left that still leaves room
   * for one more write: a late try may land, giving up keeps the row for later anyway.
   */
  private waitWithin(wait: number, writeMs: number): number {
    if (this.deadline.allows(wait + writeMs)) return wait
    const room = this.deadline.remainingMs() - 2 * writeMs
    if (room <= 0) throw new DeadlinePassed(this.deadline)
    return Math.round(this.timing.random() * room)
  }

  /**
   * One file of the branch set to `content` (the dashboard page): its sha is read, and no commit is made when
   * it already holds those bytes (a git blob sha says so without downloading it). A missing branch is created.
   */
  async putFile(path: string, content: Buffer, message: string): Promise<{ commit: string | null }> {
    const started = this.timing.now()
    for (let attempt = 1; ; attempt++) {
      const state = await this.fetchFile(path, this.opts.branch, false, undefined)
      if (state.sha === gitBlobSha(content)) return { commit: null }
      try {
        const commit = state.branchExists
          ? (await this.put(path, content, state.sha, message)).commit
          : await this.createBranch(path, content, message, [])
        if (commit) return { commit }
      } catch (e) {
        if (!isConflict(e) && httpError(e)?.status !== 404) throw e
      }
      giveUpIfSpent(this.retry, attempt, this.timing.now() - started)
      await this.timing.sleep(this.waitWithin(backoffMs(this.retry, attempt, this.timing.random), 0))
    }
  }

  /** `build-timings migrate`: an oversized latest/ moves to history/ in one commit, no row added. */
  async migrate(env: string, message: string): Promise<MigrateOutcome> {
    const path = registryPath(this.opts.pathTemplate, env)
    const location = this.location(env)
    const started = this.timing.now()
    for (let attempt = 1; ; attempt++) {
      const state = await this.readFile(path)
      const plan = planMigration(state.bytes, location, this.rotateBytes, () => new Date(this.timing.now()))
      if (!plan || !state.sha) return { location, moved: null, commit: null }
      try {
        const done = await this.rotate(path, state.sha, plan, message)
        if (done) {
          const moved = { to: done.moved ?? '', bytes: state.bytes?.length ?? 0 }
          return { location, moved, commit: done.commit }
        }
      } catch (e) {
        if (!isConflict(e)) throw e
      }
      giveUpIfSpent(this.retry, attempt, this.timing.now() - started)
      await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random))
    }
  }

  /**
   * One commit that moves latest/ (blob `sha`, read at the branch) to history/ unchanged, adds the plan's new
   * segments and writes the new latest/: ref, commit, a check that latest/ is still that blob at the tip, the
   * segment names, tree, commit, ref update without force. Null when the branch moved: the caller re-reads.
   */
  private async rotate(
    path: string,
    sha: string | null,
    plan: {
      rotate: { ts: string } | null
      segments: { ts: string; content: Buffer }[]
      content: Buffer | null
    },
    message: string,
  ): Promise<{ commit: string; moved: string | null } | null> {
    const { client, owner, repo, branch } = this.opts
    const ref = await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })
    const tip = ref.data.object.sha
    const [base, atTip] = await Promise.all([
      client.rest.git.getCommit({ owner, repo, commit_sha: tip }),
      this.readFile(path, tip, false),
    ])
    if (atTip.sha !== sha) return null
    const dir = historyDir(path)
    const taken = new Set((await this.history(dir, tip)).map((s) => s.name))
    const entries = await this.segmentEntries(dir, taken, plan.segments)
    const moved = plan.rotate && sha ? `${dir}/${segmentName(plan.rotate.ts, (n) => taken.has(n))}` : null
    if (moved) entries.unshift({ path: moved, mode: '100644', type: 'blob', sha: sha as string })
    const tree = await client.rest.git.createTree({
      owner,
      repo,
      base_tree: base.data.tree.sha,
      tree: [
        ...entries,
        { path, mode: '100644', type: 'blob', ...(await this.blobEntry(plan.content ?? Buffer.alloc(0))) },
      ],
    })
    const commit = await client.rest.git.createCommit({
      owner,
      repo,
      message,
      tree: tree.data.sha,
      parents: [tip],
    })
    await client.rest.git.updateRef({
      owner,
      repo,
      ref: `heads/${branch}`,
      sha: commit.data.sha,
      force: false,
    })
    return { commit: commit.data.sha, moved }
  }

  /** Tree entries for new segments, named by their last row and kept apart from the names `taken`. */
  private async segmentEntries(
    dir: string,
    taken: Set<string>,
    segments: { ts: string; content: Buffer }[],
  ): Promise<TreeEntry[]> {
    const entries: TreeEntry[] = []
    for (const segment of segments) {
      const name = segmentName(segment.ts, (n) => taken.has(n))
      taken.add(name)
      entries.push({
        path: `${dir}/${name}`,
        mode: '100644',
        type: 'blob',
        ...(await this.blobEntry(segment.content)),
      })
    }
    return entries
  }

  /** Content inline when it is text that round-trips, else a blob uploaded as base64 (bytes kept exactly). */
  private async blobEntry(content: Buffer): Promise<{ content: string } | { sha: string }> {
    const text = content.toString('utf8')
    return Buffer.from(text, 'utf8').equals(content)
      ? { content: text }
      : { sha: await this.createBlob(content) }
  }

  private async createBlob(content: Buffer): Promise<string> {
    const { client, owner, repo } = this.opts
    const res = await client.rest.git.createBlob({
      owner,
      repo,
      content: content.toString('base64'),
      encoding: 'base64',
    })
    return res.data.sha
  }

  /** The env's history segments at `ref`, newest first (none when there is no history/ yet). */
  private async history(dir: string, ref: string): Promise<Segment[]> {
    const atBranch = ref === this.opts.branch
    const seen = atBranch ? this.listed.get(dir) : undefined
    if (seen) return seen
    const segments = await this.listHistory(dir, ref)
    if (atBranch) this.listed.set(dir, segments)
    return segments
  }

  private async listHistory(dir: string, ref: string): Promise<Segment[]> {
    const { client, owner, repo } = this.opts
    let entries: unknown
    try {
      entries = (await client.rest.repos.getContent({ owner, repo, path: dir, ref })).data
    } catch (e) {
      if (httpError(e)?.status === 404) return []
      throw e
    }
    if (!Array.isArray(entries)) return []
    const files = new Map<string, string>()
    for (const e of entries as { type?: string; name?: string; sha?: string }[]) {
      if (e.type === 'file' && e.name && e.sha) files.set(e.name, e.sha)
    }
    return newestFirst(files.keys()).map((name) => ({ name, sha: files.get(name) as string }))
  }

  /** A blob's bytes by sha, raw (up to 100 MB); reading by sha keeps content and sha consistent. */
  private async blob(sha: string): Promise<Buffer> {
    const { client, owner, repo } = this.opts
    // GitHub labels raw bytes `charset=utf-8`, which Octokit would decode as text: non-UTF-8 bytes would not
    // survive. The body is taken as it came instead.
    const raw = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      owner,
      repo,
      file_sha: sha,
      headers: { accept: 'application/vnd.github.raw' },
      request: { parseSuccessResponseBody: false },
    })
    const headers = raw.headers as Record<string, unknown> | undefined
    return blobBytes(await bodyOf(raw.data, String(headers?.['content-type'] ?? '')))
  }

  /** latest/ at the branch, remembered; asked conditionally when this store knows its ETag. */
  private async readFile(path: string, ref = this.opts.branch, withContent = true): Promise<FileState> {
    const current = ref === this.opts.branch && withContent
    const started = this.timing.now()
    const known = current ? this.known.get(path) : undefined
    // The first read asks GraphQL for latest/ and history/ at once; re-reads are conditional REST reads.
    const state =
      (current && !known && (await this.snapshot(path))) ||
      (await this.fetchFile(path, ref, withContent, known))
    if (current) {
      this.lastReadMs = this.timing.now() - started
      this.known.set(path, state)
    }
    return state
  }

  /**
   * latest/ at the branch with the history/ listing (remembered for the trend and the append), or null when
   * GraphQL cannot say: the REST reads then answer, with their own errors (404, 401, a denied token).
   */
  private async snapshot(path: string): Promise<FileState | null> {
    if (!this.graphqlWorks) return null
    const { client, owner, repo, branch } = this.opts
    const dir = historyDir(path)
    let repository: SnapshotAnswer['repository']
    try {
      const vars = {
        owner,
        repo,
        branch: `refs/heads/${branch}`,
        file: `${branch}:${path}`,
        history: `${branch}:${dir}`,
      }
      repository = (await client.graphql<SnapshotAnswer>(SNAPSHOT, vars)).repository
    } catch {
      repository = null
    }
    if (!repository) {
      this.graphqlWorks = false
      return null
    }
    if (!repository.branch?.target) {
      this.listed.set(dir, [])
      return { branchExists: false, bytes: null, sha: null }
    }
    const files = new Map<string, string>()
    for (const e of repository.history?.entries ?? []) if (e.type === 'blob') files.set(e.name, e.oid)
    this.listed.set(
      dir,
      newestFirst(files.keys()).map((name) => ({ name, sha: files.get(name) as string })),
    )
    const file = repository.file
    if (!file) return { branchExists: true, bytes: null, sha: null }
    if (file.__typename !== 'Blob' || !file.oid) return null
    // Text that is whole and round-trips to its byte size is the file; anything else is read as raw bytes.
    const whole =
      typeof file.text === 'string' &&
      !file.isTruncated &&
      Buffer.byteLength(file.text, 'utf8') === file.byteSize
    const bytes = whole ? Buffer.from(file.text as string, 'utf8') : await this.blob(file.oid)
    return { branchExists: true, bytes, sha: file.oid }
  }

  private async fetchFile(
    path: string,
    ref: string,
    withContent: boolean,
    known: FileState | undefined,
  ): Promise<FileState> {
    const { client, owner, repo, branch } = this.opts
    let data: { type?: string; sha?: string; content?: string; encoding?: string; size?: number }
    let etag: string | undefined
    try {
      const res = await client.rest.repos.getContent({
        owner,
        repo,
        path,
        ref,
        ...(known?.etag ? { headers: { 'if-none-match': known.etag } } : {}),
      })
      data = res.data as typeof data
      etag = (res.headers as Record<string, string> | undefined)?.etag
    } catch (e) {
      const h = httpError(e)
      if (h?.status === 304 && known) return known
      if (h?.status === 404) {
        const branchExists = !/no commit found for the ref/i.test(h.message) && (await this.branchExists())
        return { branchExists, bytes: null, sha: null }
      }
      throw e
    }
    if (data.type !== 'file' || !data.sha) throw new Error(`${path} on ${branch} is not a file`)
    if (!withContent) return { branchExists: true, bytes: null, sha: data.sha }
    if (data.encoding === 'base64' && (data.content || data.size === 0)) {
      const bytes = Buffer.from(data.content ?? '', 'base64')
      return { branchExists: true, bytes, sha: data.sha, ...(etag ? { etag } : {}) }
    }
    // Over 1 MB the JSON answer carries no content (docs/architecture.md "GitHub contents API"): only a
    // registry from before rotation gets here, and its first append rotates it.
    return { branchExists: true, bytes: await this.blob(data.sha), sha: data.sha }
  }

  private async branchExists(): Promise<boolean> {
    const { client, owner, repo, branch } = this.opts
    try {
      await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` })
      return true
    } catch (e) {
      if (httpError(e)?.status === 404) return false
      throw e
    }
  }

  private async put(
    path: string,
    content: Buffer,
    sha: string | null,
    message: string,
  ): Promise<{ commit: string | null; blob: string | null }> {
    const { client, owner, repo, branch } = this.opts
    const res = await client.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path,
      branch,
      message,
      content: content.toString('base64'),
      ...(sha ? { sha } : {}),
    })
    return { commit: res.data.commit.sha ?? null, blob: res.data.content?.sha ?? null }
  }

  /**
   * A missing registry branch becomes an orphan whose first commit holds only the registry file (README
   * "Inputs", `registry-branch`). A racing creator's 422 "Reference already exists" returns null: the caller
   * re-reads and appends.
   */
  private async createBranch(
    path: string,
    content: Buffer,
    message: string,
    segments: { ts: string; content: Buffer }[],
  ): Promise<string | null> {
    const { client, owner, repo, branch } = this.opts
    const tree = await client.rest.git.createTree({
      owner,
      repo,
      tree: [
        ...(await this.segmentEntries(historyDir(path), new Set(), segments)),
        { path, mode: '100644', type: 'blob', content: content.toString('utf8') },
      ],
    })
    const commit = await client.rest.git.createCommit({
      owner,
      repo,
      message,
      tree: tree.data.sha,
      parents: [],
    })
    try {
      await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.data.sha })
      return commit.data.sha
    } catch (e) {
      const h = httpError(e)
      if (h?.status === 422 && /already exists/i.test(h.message)) return null
      throw e
    }
  }
}

/** The sha git (and GitHub) give a blob of these bytes. */
function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}

/** An unparsed answer's bytes (a web stream), or its JSON when the server answered JSON; anything else as it is. */
async function bodyOf(data: unknown, contentType: string): Promise<unknown> {
  if (!data || typeof (data as ReadableStream).getReader !== 'function') return data
  const bytes = Buffer.from(await new Response(data as ReadableStream).arrayBuffer())
  return /json/i.test(contentType) ? (JSON.parse(bytes.toString('utf8')) as unknown) : bytes
}

/** The raw media type gives the bytes; a server that ignores it answers the JSON blob in base64. */
function blobBytes(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const blob = body as { content?: string; encoding?: string }
  if (blob && typeof blob.content === 'string' && blob.encoding === 'base64')
    return Buffer.from(blob.content, 'base64')
  throw new Error('the registry blob could not be read (unexpected answer to the raw media type)')
}
