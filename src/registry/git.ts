import { execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse'
import { appendRows, parseRegistry, type StoredRow } from '../core/csv.js'
import { DEFAULT_PATH_TEMPLATE, registryPath } from '../core/env.js'
import { errorMessage, InputError, RegistryParseError } from '../core/errors.js'
import type { Row } from '../core/schema.js'
import type { RowScan } from './file.js'
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

export interface GitStoreOptions {
  /** A directory inside the repository. */
  cwd: string
  branch: string
  pathTemplate?: string
  retry?: RetryPolicy
  timing?: Timing
  /** The environment git runs with (the process's, by default). */
  env?: NodeJS.ProcessEnv
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
 * a writer that lost the race re-reads, merges by row key and tries again, like the GitHub stores.
 */
export class GitStore implements RegistryStore, RowScan {
  readonly label: string
  private readonly ref: string
  private readonly template: string
  private readonly retry: RetryPolicy
  private readonly timing: Timing
  private identityChecked: Promise<NodeJS.ProcessEnv> | null = null

  constructor(private readonly opts: GitStoreOptions) {
    this.label = `git:${opts.branch}`
    this.ref = `refs/heads/${opts.branch}`
    this.template = opts.pathTemplate ?? DEFAULT_PATH_TEMPLATE
    this.retry = opts.retry ?? { ...DEFAULT_RETRY, baseMs: 20, capMs: 500 }
    this.timing = opts.timing ?? realTiming
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
    const tip = await this.tip()
    const text = tip ? await this.blobText(tip, path) : null
    const parsed = parseRegistry(text ?? '', this.location(env), only?.phase)
    return { location: this.location(env), header: parsed.header, rows: parsed.rows, version: tip }
  }

  async append(env: string, rows: readonly Row[], message: string): Promise<AppendOutcome> {
    const path = registryPath(this.template, env)
    const location = this.location(env)
    const started = this.timing.now()
    for (let attempt = 1; ; attempt++) {
      const tip = await this.tip()
      const existing = tip ? await this.blobText(tip, path) : null
      const merged = appendRows(existing ?? '', rows, location)
      if (merged.appended.length === 0) return outcomeFrom(location, merged, null)
      const blob = (await this.run(['hash-object', '-w', '--stdin'], merged.text)).trim()
      const tree = await this.treeWith(tip, path, blob)
      const commitArgs = ['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-']
      const commit = (await this.run(commitArgs, message, await this.identityEnv())).trim()
      const swap = await this.exec(['update-ref', '-m', message, this.ref, commit, tip ?? ZERO])
      if (swap.code === 0) return outcomeFrom(location, merged, commit)
      const elapsed = this.timing.now() - started
      if (attempt >= this.retry.maxAttempts || elapsed >= this.retry.maxTotalMs) {
        throw new ConflictRetriesExhausted(attempt, elapsed)
      }
      await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random))
    }
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

  /** Rows one at a time, streamed out of `git cat-file` through the CSV parser. */
  async *scan(env?: string): AsyncGenerator<StoredRow> {
    const tip = await this.tip()
    if (!tip) return
    for (const e of env === undefined ? await this.envs() : [env]) {
      const path = registryPath(this.template, e)
      if ((await this.exec(['cat-file', '-e', `${tip}:${path}`])).code !== 0) continue
      const child = spawn('git', ['cat-file', 'blob', `${tip}:${path}`], {
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
              throw new RegistryParseError(this.location(e), 'its first line is not a build_timings header')
            header = cells
            continue
          }
          const row: StoredRow = {}
          for (let i = 0; i < header.length; i++) row[header[i] as string] = cells[i] ?? ''
          yield row
        }
      } catch (err) {
        if (err instanceof RegistryParseError) throw err
        throw new RegistryParseError(this.location(e), errorMessage(err))
      } finally {
        child.kill()
      }
    }
  }

  private async tip(): Promise<string | null> {
    const r = await this.exec(['rev-parse', '--verify', '--quiet', `${this.ref}^{commit}`])
    if (r.code === 0) return r.stdout.trim()
    if (r.code === 1) return null
    throw new GitFailure(['rev-parse'], r.code, r.stderr)
  }

  private async blobText(commit: string, path: string): Promise<string | null> {
    const r = await this.exec(['cat-file', 'blob', `${commit}:${path}`])
    return r.code === 0 ? r.stdout : null
  }

  /** The commit's tree with one blob put at `path`, built in a throwaway index (or from nothing: an orphan). */
  private async treeWith(tip: string | null, path: string, blob: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'build-timings-index-'))
    const env = { ...this.gitEnv(), GIT_INDEX_FILE: join(dir, 'index') }
    try {
      await this.run(tip ? ['read-tree', tip] : ['read-tree', '--empty'], undefined, env)
      await this.run(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`], undefined, env)
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
    input?: string,
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

  private async run(args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<string> {
    const r = await this.exec(args, input, env)
    if (r.code !== 0) throw new GitFailure(args, r.code, r.stderr)
    return r.stdout
  }
}
