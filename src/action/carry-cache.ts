import type { Carrier } from '../app/carry.js'
import type { Kept } from '../app/spool.js'
import { errorMessage } from '../core/errors.js'
import type { Row } from '../core/schema.js'
import {
  bounded,
  cacheService,
  clearDir,
  inWorkspace,
  registryKey,
  sleep,
  takeRowsFrom,
  writeRowsIn,
  type Cache,
} from './actions-cache.js'

/**
 * Carries rows a post could not write to a later post of the same branch through the Actions cache
 * (SPEC §4 `max-wait`). A run restores caches of its own ref (and the default and base branch), so a later
 * job of the run or a later run on the ref finds them.
 *
 * The archive holds `.build-timings-carry/rows.csv` in the workspace (the job's own: runners sharing a
 * HOME would share `~`); post steps run in reverse order, so this post usually runs last, and the folder is
 * removed as soon as it is read or saved.
 *
 * Keys: `build-timings-carry-v1-{hash of registry and env}-{ms}-{run}-{attempt}-{job}-{rows|done}`. Entries
 * are immutable and a restore-key prefix gives only the newest entry, so a post that keeps rows saves
 * everything it carried plus its own row under a new key, and a post that wrote carried rows saves a newer,
 * empty `-done` entry. Why not DELETE /actions/caches?key=…: it needs `actions: write`, which the default
 * token often lacks, and it is a content-creating request of the REST budget that issue 9 is about; the
 * `-done` entry costs the cache service 3 requests and GitHub's budgets nothing. The suffix is in the key,
 * so a post whose newest entry is `-done` knows it from the lookup alone (1 request, no download, no tar).
 * Before saving, keep and settle look up the newest entry again (1 request): rows another post kept since
 * this post's take are merged into the new entry, and a newer entry is never hidden behind `-done`.
 * Posts that keep rows at the same moment (a matrix whose posts all hit max-wait together) each save an
 * entry, and only the newest is restored: after its save, a keep looks again a few times, a second or so
 * apart, and folds its rows into a newer entry that lacks them. Left: a keeper that saves after every
 * other keeper's last look, yet from an older newest, can still hide their rows (they stay in those
 * jobs' summaries).
 */
export const CARRY_PATH = '.build-timings-carry'
/**
 * A healthy cache service answers a lookup in well under a second; its client retries 5xx for ~25 s. The
 * take holds up the row's append, so it gives up sooner than a keep or a settle, which come after it. The
 * client's retries still run out in the background and can hold the process that long (SDK behaviour).
 */
const TAKE_TIMEOUT_MS = 5_000
const SAVE_TIMEOUT_MS = 15_000
/** Looks after a keep's save, each about this far apart (jittered): long enough for another save to land. */
const CONVERGE_LOOKS = 3
const CONVERGE_MS = 700

export interface CacheCarrierOptions {
  registry: { owner: string; repo: string; branch: string }
  runId: string
  runAttempt: string
  job: string
  env: NodeJS.ProcessEnv
  log: (line: string) => void
}

/** The Actions cache as a carrier, or null when this job has no cache service (nothing is loaded then). */
export function cacheCarrier(opts: CacheCarrierOptions): Carrier | null {
  const load = cacheService(opts.env)
  if (!load) return null
  const dir = inWorkspace(CARRY_PATH)
  const prefix = (env: string): string => `build-timings-carry-v1-${registryKey(opts.registry, env)}-`
  const keyOf = (env: string, kind: 'rows' | 'done'): string =>
    `${prefix(env)}${Date.now()}-${opts.runId}-${opts.runAttempt}-${opts.job.replace(/[^\w.-]/g, '_')}-${kind}`
  const say = (what: string, e: unknown): void => opts.log(`carry: ${what} (${errorMessage(e)})`)

  const save = async (env: string, kind: 'rows' | 'done', rows: readonly Row[]): Promise<string> => {
    const cache = await load()
    if (!cache) throw new Error('the Actions cache service is not available to this job')
    writeRowsIn(dir, rows)
    const key = keyOf(env, kind)
    try {
      const id = await cache.saveCache([CARRY_PATH], key)
      if (id === -1) throw new Error(`the cache service did not save ${key}`)
      return key
    } finally {
      clearDir(dir)
    }
  }

  /** The key of the newest entry for env (one lookup, no download). */
  const newest = async (cache: Cache, env: string): Promise<string | undefined> => {
    const p = prefix(env)
    return cache.restoreCache([CARRY_PATH], `${p}newest`, [p], { lookupOnly: true })
  }
  const rowsIn = async (cache: Cache, key: string): Promise<Row[]> => {
    if (key.endsWith('-done')) return []
    clearDir(dir)
    const got = await cache.restoreCache([CARRY_PATH], key, [])
    const rows = got === key ? takeRowsFrom(dir, key) : null
    if (!rows) throw new Error(`${key} could not be restored`)
    return rows
  }
  // The newest key each env's take saw: keep and settle look again, and a newer entry saved meanwhile by
  // another post is merged (keep) or left for the next post (settle) rather than hidden behind ours.
  const taken = new Map<string, string | undefined>()

  return {
    take: async (env) => {
      try {
        return await bounded(TAKE_TIMEOUT_MS, async () => {
          const cache = await load()
          if (!cache) return []
          const key = await newest(cache, env)
          taken.set(env, key)
          const rows = key ? await rowsIn(cache, key) : []
          if (rows.length) opts.log(`carry: ${rows.length} row(s) kept by earlier posts come with this one`)
          return rows
        })
      } catch (e) {
        say('rows kept by earlier posts could not be read; they stay in the cache', e)
        return []
      }
    },
    keep: async (env, rows): Promise<Kept> => {
      try {
        const key = await bounded(SAVE_TIMEOUT_MS, async () => {
          const cache = await load()
          const now = cache ? await newest(cache, env) : undefined
          const meanwhile = cache && now && now !== taken.get(env) ? await rowsIn(cache, now) : []
          let saved = await save(env, 'rows', union(rows, meanwhile))
          for (let look = 1; cache && look <= CONVERGE_LOOKS; look++) {
            await sleep(CONVERGE_MS * (0.5 + Math.random()))
            try {
              const latest = await newest(cache, env)
              if (!latest || latest === saved) continue
              const theirs = await rowsIn(cache, latest)
              const held = new Set(theirs.map((r) => r.row_id))
              saved = rows.every((r) => held.has(r.row_id))
                ? latest
                : await save(env, 'rows', union(theirs, rows))
            } catch {
              // Our rows are saved already; a failed look only leaves the race open.
              break
            }
          }
          return saved
        })
        opts.log(`carry: row(s) kept in the Actions cache as ${key}`)
        return { where: 'the Actions cache for the next post on this branch', error: null }
      } catch (e) {
        say('the row could not be kept in the Actions cache', e)
        return { where: null, error: errorMessage(e) }
      }
    },
    settle: async (env) => {
      try {
        await bounded(SAVE_TIMEOUT_MS, async () => {
          const cache = await load()
          if (cache && (await newest(cache, env)) !== taken.get(env)) {
            opts.log('carry: another post kept rows meanwhile; the next post writes them')
            return
          }
          await save(env, 'done', [])
        })
      } catch (e) {
        say('written rows could not be marked done; the next post will find them already there', e)
      }
    },
  }
}

/** `a`, then the rows of `b` that `a` lacks (by row_id). */
function union(a: readonly Row[], b: readonly Row[]): Row[] {
  const ids = new Set(a.map((r) => r.row_id))
  return [...a, ...b.filter((r) => !ids.has(r.row_id))]
}
