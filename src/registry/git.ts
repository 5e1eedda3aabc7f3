import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse'
import type { StoredRow } from '../core/csv.js'
import { DEFAULT_PATH_TEMPLATE, registryPath } from '../core/env.js'
import { errorMessage, InputError, RegistryParseError } from '../core/errors.js'
import type { Row } from '../core/schema.js'
import type { RowScan } from './file.js'
import {
  outcomeFrom,
  type AppendOutcome,
  type MigrateOutcome,
  type ReadFilter,
  type RegistryRead,
  type RegistryStore,
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
  newestFirst,
  planAppend,
  planMigration,
  readSegment,
  segmentName,
  wantsMore,
} from './segments.js'

export interface GitStoreOptions {
  /** A directory inside the repository. */
  cwd: string
  branch: string
  pathTemplate?: string
  retry?: RetryPolicy
  timing?: Timing
  /** The environment git runs with (the process's, by default). */
  env?: NodeJS.ProcessEnv
  /** latest/ rotates into history/ before an append would take it past this size (default 1 MiB). */
  rotateBytes?: number
}

const ZERO = '0000000000000000000000000000000000000000'
const FALLBACK_IDENTITY = { name: 'build-timings', email: 'build-timings@localhost' }

class GitFailure extends Error {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} failed (${code}): ${stderr.trim().split('\n')[0] ?? ''}`)
    this.name = 'GitFailure'
  }
}

/**
 * `git:BRANCH`: the registry as commits on a branch of the local repository, written with plumbing only
 * (hash-object, read-tree into a temporary GIT_INDEX_FILE, commit-tree, update-ref with the old value), so
 * the working tree and the real index are never touched. update-ref's old-value check is a compare-and-swap:
 * a writer that lost the race re-reads, merges by row key and tries again, like the GitHub stores. The layout
 * is the GitHub store's (README "The registry"): latest/ rotates into history/ as the same blob.
 */
export class GitStore implements RegistryStore, RowScan {
  readonly label: string
  private readonly ref: string
  private readonly template: string
  private readonly retry: RetryPolicy
  private readonly timing: Timing
  private identityChecked: Promise<NodeJS.ProcessEnv> | null = null
  private readonly rotateBytes: number

  constructor(private readonly opts: GitStoreOptions) {
    this.label = `git:${opts.branch}`
    this.ref = `refs/heads/${opts.branch}`
    this.template = opts.pathTemplate ?? DEFAULT_PATH_TEMPLATE
    this.retry = opts.retry ?? { ...DEFAULT_RETRY, baseMs: 20, capMs: 500 }
    this.timing = opts.timing ?? realTiming
    this.rotateBytes = opts.rotateBytes ?? DEFAULT_ROTATE_BYTES
  }

  location(env: string): string {
    return `${this.label}:${registryPath(this.template, env)}`
  }

  /** Fails with the fix when this is no usable branch of a repository (checked before a command runs). */
  async check(): Promise<void> {
    const inside = await this.exec(['rev-parse', '--git-dir'])
    if (inside.code !== 0) {
      throw new InputError(
        'registry',
        `${this.label} needs a git repository, but ${this.opts.cwd} is not inside one; run from the repository or use --registry file:PATH`,
      )
    }
    if ((await this.exec(['check-ref-format', this.ref])).code !== 0) {
      throw new InputError(
        'registry',
        `"${this.opts.branch}" is not a valid branch name; use e.g. --registry git:governance-registry`,
      )
    }
    // Moving a checked-out branch under a work tree would make its files look changed: refuse.
    const worktrees = await this.exec(['worktree', 'list', '--porcelain'])
    if (worktrees.code === 0 && worktrees.stdout.split('\n').includes(`branch ${this.ref}`)) {
      throw new InputError(
        'registry',
        `branch ${this.opts.branch} is checked out in a work tree; record to a branch that is not checked out, e.g. --registry git:governance-registry`,
      )
    }
  }

  async read(env: string, only?: ReadFilter): Promise<RegistryRead> {
    const path = registryPath(this.template, env)
    const location = this.location(env)
    const tip = await this.tip()
    const bytes = tip ? await this.blobBytes(`${tip}:${path}`) : null
    const latest = readSegment(bytes?.toString('utf8') ?? '', location, only)
    let rows = latest.rows
    if (tip && bytes && wantsMore(only, rows, null)) {
      for (const segment of await this.history(tip, historyDir(path))) {
        const text = ((await this.blobBytes(segment.sha)) ?? Buffer.alloc(0)).toString('utf8')
        rows = [...readSegment(text, `${this.label}:${historyDir(path)}/${segment.name}`, only).rows, ...rows]
        if (!wantsMore(only, rows, segment.name.replace(/(-\d+)?\.csv$/, ''))) break
      }
    }
    return { location, header: latest.header, rows, version: tip }
  }

  async append(env: string, rows: readonly Row[], message: string): Promise<AppendOutcome> {
    const path = registryPath(this.template, env)
    const location = this.location(env)
    const dir = historyDir(path)
    const started = this.timing.now()
    for (let attempt = 1; ; attempt++) {
      const tip = await this.tip()
      const existing = tip ? await this.blobBytes(`${tip}:${path}`) : null
      // Locally the newest segment costs one cat-file: duplicates are always looked for there too.
      const segments = tip && existing ? await this.history(tip, dir) : []
      const plan = planAppend({
        latest: existing,
        newest: segments[0] ? await this.blobBytes(segments[0].sha) : null,
        rows,
        location,
        rotateBytes: this.rotateBytes,
        now: () => new Date(this.timing.now()),
      })
      if (!plan.content) return outcomeFrom(location, plan.result, null)
      const entries: { path: string; blob: string }[] = []
      const taken = new Set(segments.map((s) => s.name))
      const name = (ts: string) => {
        const n = segmentName(ts, (x) => taken.has(x))
        taken.add(n)
        return `${dir}/${n}`
      }
      if (plan.rotate && tip && existing) {
        // The same blob moves: `rev-parse` names it without reading it.
        const blob = (await this.run(['rev-parse', `${tip}:${path}`])).trim()
        entries.push({ path: name(plan.rotate.ts), blob })
      }
      for (const segment of plan.segments) {
        const blob = (await this.run(['hash-object', '-w', '--stdin'], segment.content)).trim()
        entries.push({ path: name(segment.ts), blob })
      }
      entries.push({ path, blob: (await this.run(['hash-object', '-w', '--stdin'], plan.content)).trim() })
      const tree = await this.treeWith(tip, entries)
      const commitArgs = ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-']
      const commit = (await this.run(commitArgs, message, await this.identityEnv())).trim()
      const swap = await this.exec(['update-ref', '-m', message, this.ref, commit, tip ?? ZERO])
      if (swap.code === 0) return outcomeFrom(location, plan.result, commit)
      giveUpIfSpent(this.retry, attempt, this.timing.now() - started)
      await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random))
    }
  }

  /** `build-timings migrate`: an oversized latest/ moves to history/ in one commit, no row added. */
  async migrate(env: string, message: string): Promise<MigrateOutcome> {
    const path = registryPath(this.template, env)
    const location = this.location(env)
    const dir = historyDir(path)
    const started = this.timing.now()
    for (let attempt = 1; ; attempt++) {
      const tip = await this.tip()
      const existing = tip ? await this.blobBytes(`${tip}:${path}`) : null
      const plan = planMigration(existing, location, this.rotateBytes, () => new Date(this.timing.now()))
      if (!tip || !plan) return { location, moved: null, commit: null }
      const taken = new Set((await this.history(tip, dir)).map((s) => s.name))
      const to = `${dir}/${segmentName(plan.rotate.ts, (n) => taken.has(n))}`
      const moved = (await this.run(['rev-parse', `${tip}:${path}`])).trim()
      const header = (await this.run(['hash-object', '-w', '--stdin'], plan.content)).trim()
      const tree = await this.treeWith(tip, [
        { path: to, blob: moved },
        { path, blob: header },
      ])
      const commit = (
        await this.run(['commit-tree', tree, '-p', tip, '-F', '-'], message, await this.identityEnv())
      ).trim()
      const swap = await this.exec(['update-ref', '-m', message, this.ref, commit, tip])
      if (swap.code === 0) return { location, moved: { to, bytes: existing?.length ?? 0 }, commit }
      giveUpIfSpent(this.retry, attempt, this.timing.now() - started)
      await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random))
    }
  }

  /**
   * One file of the branch set to `content` in one commit (the dashboard page): no commit when it already
   * holds those bytes. Retries a moved branch like an append.
   */
  async putFile(path: string, content: Buffer, message: string): Promise<{ commit: string | null }> {
    const started = this.timing.now()
    const blob = (await this.run(['hash-object', '-w', '--stdin'], content)).trim()
    for (let attempt = 1; ; attempt++) {
      const tip = await this.tip()
      const now = tip ? await this.exec(['rev-parse', '--verify', '--quiet', `${tip}:${path}`]) : null
      if (now?.code === 0 && now.stdout.trim() === blob) return { commit: null }
      const tree = await this.treeWith(tip, [{ path, blob }])
      const commitArgs = ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-']
      const commit = (await this.run(commitArgs, message, await this.identityEnv())).trim()
      const swap = await this.exec(['update-ref', '-m', message, this.ref, commit, tip ?? ZERO])
      if (swap.code === 0) return { commit }
      giveUpIfSpent(this.retry, attempt, this.timing.now() - started)
      await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random))
    }
  }

  /** The segments under `dir` at `tip`, newest first. */
  private async history(tip: string, dir: string): Promise<{ name: string; sha: string }[]> {
    const r = await this.exec(['ls-tree', '-z', '--full-tree', `${tip}`, `${dir}/`])
    if (r.code !== 0) return []
    const files = new Map<string, string>()
    for (const line of r.stdout.split('\0')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line)
      if (m) files.set((m[2] as string).slice(dir.length + 1), m[1] as string)
    }
    return newestFirst(files.keys()).map((name) => ({ name, sha: files.get(name) as string }))
  }

  /** The envs that have a registry file on the branch. */
  async envs(): Promise<string[]> {
    const tip = await this.tip()
    if (!tip) return []
    const [prefix = '', suffix = ''] = this.template.split('{env}')
    const listing = await this.run(['ls-tree', '-r', '-z', '--name-only', '--full-tree', tip])
    return listing
      .split('\0')
      .filter((p) => p.startsWith(prefix) && p.endsWith(suffix) && p.length > prefix.length + suffix.length)
      .map((p) => p.slice(prefix.length, p.length - suffix.length))
      .filter((env) => !env.includes('/'))
      .sort()
  }

  /**
   * Rows one at a time, streamed out of `git cat-file` through the CSV parser: each env's history segments
   * (oldest first; with `only.since`, only those that may hold rows of the window), then latest/.
   */
  async *scan(env?: string, only?: Pick<ReadFilter, 'since'>): AsyncGenerator<StoredRow> {
    const tip = await this.tip()
    if (!tip) return
    for (const e of env === undefined ? await this.envs() : [env]) {
      const path = registryPath(this.template, e)
      if ((await this.exec(['cat-file', '-e', `${tip}:${path}`])).code !== 0) continue
      const segments = await this.history(tip, historyDir(path))
      const wanted: { name: string; sha: string }[] = []
      for (const segment of segments) {
        wanted.push(segment)
        const ts = segment.name.replace(/(-\d+)?\.csv$/, '')
        if (only?.since !== undefined && !wantsMore({ since: only.since }, [], ts)) break
      }
      for (const segment of wanted.reverse()) {
        yield* this.streamBlob(segment.sha, `${this.label}:${historyDir(path)}/${segment.name}`)
      }
      yield* this.streamBlob(`${tip}:${path}`, this.location(e))
    }
  }

  private async *streamBlob(object: string, location: string): AsyncGenerator<StoredRow> {
    const child = spawn('git', ['cat-file', 'blob', object], {
      cwd: this.opts.cwd,
      env: this.gitEnv(),
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const parser = child.stdout.pipe(parse({ bom: true, skip_empty_lines: true }))
    let header: string[] | null = null
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        if (!header) {
          if (!cells.includes('start_time_utc'))
            throw new RegistryParseError(location, 'its first line is not a build_timings header')
          header = cells
          continue
        }
        const row: StoredRow = {}
        for (let i = 0; i < header.length; i++) row[header[i] as string] = cells[i] ?? ''
        yield row
      }
    } catch (err) {
      if (err instanceof RegistryParseError) throw err
      throw new RegistryParseError(location, errorMessage(err))
    } finally {
      child.kill()
    }
  }

  private async tip(): Promise<string | null> {
    const r = await this.exec(['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`])
    if (r.code === 0) return r.stdout.trim()
    if (r.code === 1) return null
    throw new GitFailure(['rev-parse'], r.code, r.stderr)
  }

  /** A blob's bytes (`TIP:PATH` or a sha), never decoded: bytes that are not UTF-8 stay as they are. */
  private blobBytes(object: string): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        ['cat-file', 'blob', object],
        { cwd: this.opts.cwd, env: this.gitEnv(), encoding: 'buffer', maxBuffer: 1024 * 1024 * 1024 },
        (error, stdout) => {
          if (error && typeof error.code !== 'number') return reject(error)
          resolve(error ? null : stdout)
        },
      )
    })
  }

  /** The commit's tree with blobs put at paths, built in a throwaway index (or from nothing: an orphan). */
  private async treeWith(tip: string | null, entries: { path: string; blob: string }[]): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'build-timings-index-'))
    const env = { ...this.gitEnv(), GIT_INDEX_FILE: join(dir, 'index') }
    try {
      await this.run(tip ? ['read-tree', tip] : ['read-tree', '--empty'], undefined, env)
      for (const { path, blob } of entries) {
        await this.run(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], undefined, env)
      }
      return (await this.run(['write-tree'], undefined, env)).trim()
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /** The user's git identity when configured; otherwise a neutral one, rather than failing the record. */
  private identityEnv(): Promise<NodeJS.ProcessEnv> {
    this.identityChecked ??= this.exec(['var', 'GIT_COMMITTER_IDENT']).then((r) => {
      const env = this.gitEnv()
      if (r.code === 0) return env
      return {
        ...env,
        GIT_AUTHOR_NAME: env.GIT_AUTHOR_NAME || FALLBACK_IDENTITY.name,
        GIT_AUTHOR_EMAIL: env.GIT_AUTHOR_EMAIL || FALLBACK_IDENTITY.email,
        GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME || FALLBACK_IDENTITY.name,
        GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL || FALLBACK_IDENTITY.email,
      }
    })
    return this.identityChecked
  }

  private gitEnv(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...(this.opts.env ?? process.env),
      GIT_TERMINAL_PROMPT: '0',
      LC_ALL: 'C',
    }
    // Our own index only ever comes from treeWith; an inherited one (git hooks set it) must not leak in.
    delete env.GIT_INDEX_FILE
    return env
  }

  private exec(
    args: string[],
    input?: string | Buffer,
    env?: NodeJS.ProcessEnv,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        args,
        { cwd: this.opts.cwd, env: env ?? this.gitEnv(), encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') return reject(error)
          resolve({ code: error ? (error.code as number) : 0, stdout, stderr })
        },
      )
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(input ?? '')
    })
  }

  private async run(args: string[], input?: string | Buffer, env?: NodeJS.ProcessEnv): Promise<string> {
    const r = await this.exec(args, input, env)
    if (r.code !== 0) throw new GitFailure(args, r.code, r.stderr)
    return r.stdout
  }
}
