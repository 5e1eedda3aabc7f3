// Thin async wrapper over the git plumbing commands the fake GitHub server needs. Every write goes
// through object-creating plumbing (hash-object, mktree, commit-tree) and update-ref with the old value,
// so ref moves are compare-and-swap exactly as on a real git host.
import { execFile } from 'node:child_process'

export const ZERO_SHA = '0000000000000000000000000000000000000000'
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904'
const SHA_RE = /^[0-9a-f]{40}$/

export function isSha(value: unknown): value is string {
  return typeof value === 'string' && SHA_RE.test(value)
}

export interface GitResult {
  code: number
  stdout: Buffer
  stderr: string
}

export interface Identity {
  name: string
  email: string
  /** ISO-8601; defaults to now */
  date?: string
}

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  /** blob size in bytes; undefined for trees and submodules */
  size?: number
  path: string
}

export interface CommitInfo {
  sha: string
  tree: string
  parents: string[]
  author: Identity & { date: string }
  committer: Identity & { date: string }
  message: string
}

/** A change applied by updateTree: an entry to set at a path, or null to remove the path. */
export type TreeChange = { mode: string; type: 'blob' | 'tree' | 'commit'; sha: string } | null

export class GitError extends Error {
  constructor(
    message: string,
    readonly result: GitResult,
  ) {
    super(message)
  }
}

/** Thrown by updateTree when a path cannot be placed (e.g. a file stands where a directory must go). */
export class TreePathError extends Error {}

/**
 * Answers about git objects never change (a sha names its content), nor does whether a string is a valid
 * ref name: they are remembered, so the local GitHub spends its CPU on what a request changes, not on
 * spawning git for the same blob again (a matrix of posts re-reads one file dozens of times a second).
 * Refs move, so anything that reads a ref is asked every time. Misses (an object not there yet) are never
 * remembered.
 */
class Memo<V> {
  private readonly values = new Map<string, V>()
  constructor(private readonly limit: number) {}
  async get(key: string, load: () => Promise<V | null>, keep = (_: V) => true): Promise<V | null> {
    const known = this.values.get(key)
    if (known !== undefined) return known
    const value = await load()
    if (value === null || !keep(value)) return value
    if (this.values.size >= this.limit) this.values.delete(this.values.keys().next().value as string)
    this.values.set(key, value)
    return value
  }
}

/** Blobs up to this size are remembered (a registry's latest/ is bounded at 1 MiB by default). */
const MEMO_BLOB_BYTES = 2 * 1024 * 1024

export class GitRepo {
  private readonly blobs = new Memo<Buffer>(64)
  private readonly entries = new Memo<TreeEntry>(1024)
  private readonly refNames = new Memo<boolean>(1024)

  constructor(readonly gitDir: string) {}

  static async initBare(gitDir: string): Promise<GitRepo> {
    const repo = new GitRepo(gitDir)
    await repo.run(['init', '--quiet', '--bare', '--initial-branch=main', gitDir])
    return repo
  }

  private env(identity?: { author?: Identity; committer?: Identity }): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GIT_DIR: this.gitDir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
    }
    for (const name of ['GIT_INDEX_FILE', 'GIT_WORK_TREE', 'GIT_OBJECT_DIRECTORY', 'GIT_NAMESPACE'])
      delete env[name]
    const author = identity?.author ?? identity?.committer
    const committer = identity?.committer ?? identity?.author
    if (author) Object.assign(env, identityEnv('AUTHOR', author))
    if (committer) Object.assign(env, identityEnv('COMMITTER', committer))
    return env
  }

  /** Runs git and resolves whatever the exit code; never rejects for a non-zero exit. */
  exec(
    args: string[],
    input?: string | Buffer,
    identity?: { author?: Identity; committer?: Identity },
  ): Promise<GitResult> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { env: this.env(identity), encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
          if (error && typeof error.code !== 'number') return reject(error)
          resolve({ code, stdout, stderr: stderr.toString('utf8') })
        },
      )
      child.stdin?.on('error', () => {}) // git may exit before reading all input
      child.stdin?.end(input ?? '')
    })
  }

  /** Runs git and rejects with a GitError on a non-zero exit. */
  async run(
    args: string[],
    input?: string | Buffer,
    identity?: { author?: Identity; committer?: Identity },
  ): Promise<Buffer> {
    const result = await this.exec(args, input, identity)
    if (result.code !== 0) {
      throw new GitError(`git ${args[0]} failed (${result.code}): ${result.stderr.trim()}`, result)
    }
    return result.stdout
  }

  private async text(args: string[], input?: string | Buffer): Promise<string> {
    return (await this.run(args, input)).toString('utf8').trim()
  }

  /** The commit a revision (branch, tag, full ref or sha) points at, or null. */
  async resolveCommit(rev: string): Promise<string | null> {
    if (rev.startsWith('-')) return null
    const r = await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null
  }

  async branchTip(branch: string): Promise<string | null> {
    return this.refTarget(`refs/heads/${branch}`)
  }

  /** The object a full ref name points at, or null if the ref does not exist. */
  async refTarget(ref: string): Promise<string | null> {
    if (!(await this.isValidRefName(ref))) return null
    const r = await this.exec(['rev-parse', '--verify', '--quiet', '--end-of-options', ref])
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null
  }

  async isValidRefName(ref: string): Promise<boolean> {
    if (!ref.startsWith('refs/')) return false
    const valid = await this.refNames.get(
      ref,
      async () => (await this.exec(['check-ref-format', ref])).code === 0,
    )
    return valid === true
  }

  /** Refs whose full name starts with the prefix, as [ref, sha] pairs. */
  async refs(prefix: string): Promise<{ ref: string; sha: string }[]> {
    const out = await this.text(['for-each-ref', '--format=%(refname) %(objectname)'])
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', sha = ''] = line.split(' ')
        return { ref, sha }
      })
      .filter(({ ref }) => ref.startsWith(prefix))
  }

  async objectType(sha: string): Promise<string | null> {
    if (!isSha(sha)) return null
    const r = await this.exec(['cat-file', '-t', sha])
    return r.code === 0 ? r.stdout.toString('utf8').trim() : null
  }

  async readBlob(sha: string): Promise<Buffer | null> {
    if (!isSha(sha)) return null
    const blob = await this.blobs.get(
      sha,
      async () => {
        const r = await this.exec(['cat-file', 'blob', sha])
        return r.code === 0 ? r.stdout : null
      },
      (b) => b.length <= MEMO_BLOB_BYTES,
    )
    // Callers may change what they are given: each gets its own copy.
    return blob ? Buffer.from(blob) : null
  }

  async writeBlob(data: string | Buffer): Promise<string> {
    return this.text(['hash-object', '-w', '--stdin'], data)
  }

  async readCommit(sha: string): Promise<CommitInfo | null> {
    if (!isSha(sha)) return null
    const r = await this.exec(['cat-file', 'commit', sha])
    return r.code === 0 ? parseCommit(sha, r.stdout.toString('utf8')) : null
  }

  /** The tree entry at a path inside a commit or tree ('' is the root tree itself). */
  async entryAt(treeish: string, path: string): Promise<TreeEntry | null> {
    // Only a commit or tree named by its sha is immutable; a branch name is not.
    if (!isSha(treeish)) return this.entryAtNow(treeish, path)
    const entry = await this.entries.get(`${treeish}\0${path}`, () => this.entryAtNow(treeish, path))
    return entry ? { ...entry } : null
  }

  private async entryAtNow(treeish: string, path: string): Promise<TreeEntry | null> {
    if (path === '') {
      const r = await this.exec(['rev-parse', '--verify', '--quiet', `${treeish}^{tree}`])
      if (r.code !== 0) return null
      return { mode: '040000', type: 'tree', sha: r.stdout.toString('utf8').trim(), path: '' }
    }
    const r = await this.exec(['ls-tree', '-z', '-l', '--full-tree', treeish, '--', path])
    if (r.code !== 0) return null
    // ls-tree matches path prefixes loosely; keep only the exact entry.
    return parseLsTree(r.stdout.toString('utf8')).find((e) => e.path === path) ?? null
  }

  /** Entries of a tree (a tree sha, or a commit whose tree is listed), optionally recursive. */
  async listTree(treeish: string, recursive = false): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '-l', '--full-tree']
    if (recursive) args.push('-r', '-t')
    const r = await this.exec([...args, treeish])
    if (r.code !== 0) throw new GitError(`git ls-tree ${treeish} failed: ${r.stderr.trim()}`, r)
    return parseLsTree(r.stdout.toString('utf8'))
  }

  /**
   * Writes a new tree: `base` (a tree sha, or null for an empty tree) with `changes` applied. Paths may
   * contain slashes; intermediate trees are created as needed and trees left empty are dropped, as git
   * stores no empty directories.
   */
  async updateTree(base: string | null, changes: Map<string, TreeChange>): Promise<string> {
    const entries = new Map<string, { mode: string; type: string; sha: string }>()
    if (base) {
      for (const e of await this.listTree(base)) entries.set(e.path, e)
    }
    const nested = new Map<string, Map<string, TreeChange>>()
    for (const [path, change] of changes) {
      const slash = path.indexOf('/')
      if (slash === -1) {
        if (change) entries.set(path, change)
        else entries.delete(path)
        continue
      }
      const dir = path.slice(0, slash)
      if (!nested.has(dir)) nested.set(dir, new Map())
      nested.get(dir)!.set(path.slice(slash + 1), change)
    }
    for (const [dir, subChanges] of nested) {
      const existing = entries.get(dir)
      if (existing && existing.type !== 'tree') throw new TreePathError(`${dir} is not a directory`)
      const sub = await this.updateTree(existing?.sha ?? null, subChanges)
      if (sub === EMPTY_TREE) entries.delete(dir)
      else entries.set(dir, { mode: '040000', type: 'tree', sha: sub })
    }
    const input = [...entries].map(([name, e]) => `${e.mode} ${e.type} ${e.sha}\t${name}\0`).join('')
    return this.text(['mktree', '-z'], input)
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    identity: { author?: Identity; committer: Identity },
  ): Promise<string> {
    const args = ['commit-tree', tree]
    for (const p of parents) args.push('-p', p)
    args.push('-F', '-')
    return (await this.run(args, message, identity)).toString('utf8').trim()
  }

  /**
   * Compare-and-swap of a ref: moves `ref` to `next` only if it still points at `expected`
   * (null = the ref must not exist yet). Returns the ref's current value when the swap lost.
   */
  async casRef(
    ref: string,
    next: string,
    expected: string | null,
  ): Promise<{ ok: true } | { ok: false; current: string | null }> {
    const r = await this.exec(['update-ref', ref, next, expected ?? ZERO_SHA])
    if (r.code === 0) return { ok: true }
    return { ok: false, current: await this.refTarget(ref) }
  }

  async deleteRef(ref: string, expected: string): Promise<boolean> {
    return (await this.exec(['update-ref', '-d', ref, expected])).code === 0
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.exec(['merge-base', '--is-ancestor', ancestor, descendant])).code === 0
  }

  /** Commits reachable from a ref, newest first. */
  async log(ref: string): Promise<{ sha: string; message: string; parents: string[] }[]> {
    const r = await this.exec(['log', '--topo-order', '--format=%H%x00%P%x00%B%x1e', ref, '--'])
    if (r.code !== 0) return []
    return r.stdout
      .toString('utf8')
      .split('\x1e')
      .map((record) => record.replace(/^\n/, ''))
      .filter(Boolean)
      .map((record) => {
        const [sha = '', parents = '', message = ''] = record.split('\0')
        return { sha, parents: parents.split(' ').filter(Boolean), message: message.replace(/\n+$/, '') }
      })
  }
}

function identityEnv(role: 'AUTHOR' | 'COMMITTER', who: Identity): Record<string, string> {
  const env: Record<string, string> = { [`GIT_${role}_NAME`]: who.name, [`GIT_${role}_EMAIL`]: who.email }
  if (who.date) env[`GIT_${role}_DATE`] = who.date
  return env
}

function parseLsTree(out: string): TreeEntry[] {
  return out
    .split('\0')
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf('\t')
      const [mode = '', type = '', sha = '', size = '-'] = record.slice(0, tab).trim().split(/\s+/)
      const entry: TreeEntry = { mode, type: type as TreeEntry['type'], sha, path: record.slice(tab + 1) }
      if (size !== '-') entry.size = Number(size)
      return entry
    })
}

function parseIdentity(value: string): Identity & { date: string } {
  const m = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value)
  if (!m) return { name: value, email: '', date: new Date(0).toISOString() }
  // GitHub reports commit dates in UTC with second precision.
  const date = new Date(Number(m[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return { name: m[1] ?? '', email: m[2] ?? '', date }
}

function parseCommit(sha: string, raw: string): CommitInfo {
  const split = raw.indexOf('\n\n')
  const headerText = split === -1 ? raw : raw.slice(0, split)
  const message = split === -1 ? '' : raw.slice(split + 2)
  const commit: CommitInfo = {
    sha,
    tree: '',
    parents: [],
    author: parseIdentity(''),
    committer: parseIdentity(''),
    message: message.replace(/\n$/, ''),
  }
  for (const line of headerText.split('\n')) {
    if (line.startsWith(' ')) continue // continuation of a multi-line header (gpgsig)
    const space = line.indexOf(' ')
    const key = line.slice(0, space)
    const value = line.slice(space + 1)
    if (key === 'tree') commit.tree = value
    else if (key === 'parent') commit.parents.push(value)
    else if (key === 'author') commit.author = parseIdentity(value)
    else if (key === 'committer') commit.committer = parseIdentity(value)
  }
  return commit
}
