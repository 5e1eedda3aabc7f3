import { appendRows, parseRegistry } from '../core/csv.js'
import { registryPath } from '../core/env.js'
import type { Row } from '../core/schema.js'
import { httpError, isConflict, type GitHubClient } from '../github/octokit.js'
import {
  outcomeFrom,
  type AppendOutcome,
  type ReadFilter,
  type RegistryRead,
  type RegistryStore,
} from './port.js'
import {
  backoffMs,
  ConflictRetriesExhausted,
  DEFAULT_RETRY,
  realTiming,
  type RetryPolicy,
  type Timing,
} from './retry.js'

export interface GitHubStoreOptions {
  client: GitHubClient
  owner: string
  repo: string
  branch: string
  pathTemplate: string
  retry?: RetryPolicy
  timing?: Timing
}

interface FileState {
  branchExists: boolean
  text: string | null
  sha: string | null
}

/**
 * The registry over the GitHub contents API: read at the branch, merge by row key, PUT with the blob sha.
 * Every PUT is one commit, and concurrent PUTs to one branch conflict even on different files
 * (docs/architecture.md "GitHub contents API"), so a conflict means: re-read, merge again, retry after a
 * jittered backoff, within bounds.
 */
export class GitHubContentsStore implements RegistryStore {
  readonly label: string
  private readonly retry: RetryPolicy
  private readonly timing: Timing

  constructor(private readonly opts: GitHubStoreOptions) {
    this.label = `github:${opts.owner}/${opts.repo}@${opts.branch}`
    this.retry = opts.retry ?? DEFAULT_RETRY
    this.timing = opts.timing ?? realTiming
  }

  location(env: string): string {
    return `${this.label}:${registryPath(this.opts.pathTemplate, env)}`
  }

  async read(env: string, only?: ReadFilter): Promise<RegistryRead> {
    const path = registryPath(this.opts.pathTemplate, env)
    const state = await this.readFile(path)
    const parsed = parseRegistry(state.text ?? '', this.location(env), only?.phase)
    return { location: this.location(env), header: parsed.header, rows: parsed.rows, version: state.sha }
  }

  async append(env: string, rows: readonly Row[], message: string): Promise<AppendOutcome> {
    const path = registryPath(this.opts.pathTemplate, env)
    const location = this.location(env)
    const started = this.timing.now()
    for (let attempt = 1; ; attempt++) {
      const state = await this.readFile(path)
      const merged = appendRows(state.text ?? '', rows, location)
      if (merged.appended.length === 0) return outcomeFrom(location, merged, null)
      try {
        const commit = state.branchExists
          ? await this.put(path, merged.text, state.sha, message)
          : await this.createBranch(path, merged.text, message)
        if (commit) return outcomeFrom(location, merged, commit)
      } catch (e) {
        // A 404 on PUT means the branch vanished between read and write: start over like a conflict.
        if (!isConflict(e) && httpError(e)?.status !== 404) throw e
      }
      const elapsed = this.timing.now() - started
      if (attempt >= this.retry.maxAttempts || elapsed >= this.retry.maxTotalMs) {
        throw new ConflictRetriesExhausted(attempt, elapsed)
      }
      await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random))
    }
  }

  private async readFile(path: string): Promise<FileState> {
    const { client, owner, repo, branch } = this.opts
    let data: { type?: string; sha?: string; content?: string; encoding?: string; size?: number }
    try {
      const res = await client.rest.repos.getContent({ owner, repo, path, ref: branch })
      data = res.data as typeof data
    } catch (e) {
      const h = httpError(e)
      if (h?.status === 404) {
        const branchExists = !/no commit found for the ref/i.test(h.message) && (await this.branchExists())
        return { branchExists, text: null, sha: null }
      }
      throw e
    }
    if (data.type !== 'file' || !data.sha) throw new Error(`${path} on ${branch} is not a file`)
    if (data.encoding === 'base64' && (data.content || data.size === 0)) {
      return {
        branchExists: true,
        text: Buffer.from(data.content ?? '', 'base64').toString('utf8'),
        sha: data.sha,
      }
    }
    // Over 1 MB the JSON answer carries no content (docs/architecture.md "GitHub contents API"): read the
    // same blob raw. Reading by blob sha keeps content and sha consistent even if the branch moves in
    // between.
    const raw = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
      owner,
      repo,
      file_sha: data.sha,
      headers: { accept: 'application/vnd.github.raw' },
    })
    return { branchExists: true, text: blobText(raw.data), sha: data.sha }
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

  private async put(path: string, text: string, sha: string | null, message: string): Promise<string | null> {
    const { client, owner, repo, branch } = this.opts
    const res = await client.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path,
      branch,
      message,
      content: Buffer.from(text, 'utf8').toString('base64'),
      ...(sha ? { sha } : {}),
    })
    return res.data.commit.sha ?? null
  }

  /**
   * A missing registry branch becomes an orphan whose first commit holds only the registry file (README
   * "Inputs", `registry-branch`). A racing creator's 422 "Reference already exists" returns null: the caller
   * re-reads and appends.
   */
  private async createBranch(path: string, text: string, message: string): Promise<string | null> {
    const { client, owner, repo, branch } = this.opts
    const tree = await client.rest.git.createTree({
      owner,
      repo,
      tree: [{ path, mode: '100644', type: 'blob', content: text }],
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

/** The raw media type gives the bytes; a server that ignores it answers the JSON blob in base64. */
function blobText(body: unknown): string {
  if (typeof body === 'string') return body
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body))
    return Buffer.from(body as ArrayBuffer).toString('utf8')
  const blob = body as { content?: string; encoding?: string }
  if (blob && typeof blob.content === 'string' && blob.encoding === 'base64')
    return Buffer.from(blob.content, 'base64').toString('utf8')
  throw new Error('the registry blob could not be read (unexpected answer to the raw media type)')
}
