import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseRegistry, rowsAsCsv } from '../core/csv.js'
import { cleanRow } from '../core/row.js'
import type { Row } from '../core/schema.js'

/**
 * What the carrier (carry-cache.ts) and the offers of a matrix (offer-cache.ts) share of the Actions cache:
 * loading @actions/cache only when a job has a cache service, one CSV file of rows per archived folder, a
 * key part per registry file, and bounded waits.
 */
export type Cache = typeof import('@actions/cache')

/** The cache client, loaded on first use; null when this job has no cache service (nothing is loaded then). */
export function cacheService(env: NodeJS.ProcessEnv): (() => Promise<Cache | null>) | null {
  if (!env.ACTIONS_RUNTIME_TOKEN || !(env.ACTIONS_RESULTS_URL || env.ACTIONS_CACHE_URL)) return null
  let loaded: Promise<Cache | null> | null = null
  return () =>
    (loaded ??= import('@actions/cache').then((c) => {
      demoteForeignAnnotations()
      return c.isFeatureAvailable() ? c : null
    }))
}

/** Where @actions/cache resolves an archive's relative paths: the workspace, else the working directory. */
export function inWorkspace(path: string): string {
  return resolve(process.env.GITHUB_WORKSPACE ?? process.cwd(), path)
}

/** A key part that names one registry file (repository, branch, env) without spelling out any of them. */
export function registryKey(registry: { owner: string; repo: string; branch: string }, env: string): string {
  const { owner, repo, branch } = registry
  return createHash('sha256').update(`${owner}/${repo}\n${branch}\n${env}`).digest('hex').slice(0, 16)
}

const FILE = 'rows.csv'

/** The folder `dir` afresh, holding `rows` as one CSV file (an empty file for no rows). */
export function writeRowsIn(dir: string, rows: readonly Row[]): void {
  clearDir(dir)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, FILE), rows.length ? rowsAsCsv(rows) : '')
}

/** The folder gone (before a restore into it, after a save from it). */
export function clearDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/**
 * The rows a restored folder holds (null: the archive had no rows file); the folder is removed. An archive
 * is input like any other: its rows are cleaned as every write cleans them.
 */
export function takeRowsFrom(dir: string, label: string): Row[] | null {
  const file = join(dir, FILE)
  try {
    if (!existsSync(file)) return null
    return parseRegistry(readFileSync(file, 'utf8'), label).rows.map((r) => cleanRow(r) as Row)
  } finally {
    clearDir(dir)
  }
}

/** `fn`, or a rejection after `ms` (the call itself is not stopped: the cache client cannot be cancelled). */
export function bounded<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000}s`)), ms)
    timer.unref()
  })
  return Promise.race([fn(), late]).finally(() => clearTimeout(timer))
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * @actions/cache reports its own trouble as `::warning::`/`::error::` annotations, even after a call it
 * makes was given up on (its retries run on). The cache's trouble must stay one info line (the row is
 * still in the job summary), so from its first load on, annotations that are not this action's own
 * (every one of ours starts with `build-timings:`) become plain lines.
 */
let demoting = false
function demoteForeignAnnotations(): void {
  if (demoting) return
  demoting = true
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text =
      typeof chunk === 'string'
        ? chunk.replace(/^::(?:warning|error)[^:]*::(?!build-timings:)/gm, 'build-timings: cache: ')
        : chunk
    return (write as (c: unknown, ...r: unknown[]) => boolean)(text, ...rest)
  }) as typeof process.stdout.write
}
