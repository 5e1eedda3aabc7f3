import { errorMessage } from '../core/errors.js'
import type { Row } from '../core/schema.js'
import { landedIn, writersBehind, type Writers } from '../core/spread.js'
import type { RowShare } from '../registry/port.js'
import {
  bounded,
  cacheService,
  clearDir,
  inWorkspace,
  registryKey,
  takeRowsFrom,
  writeRowsIn,
  type Cache,
} from './actions-cache.js'

/**
 * The posts of a matrix share commits through the Actions cache (README "Within GitHub's limits"). A post
 * that has to wait for its turn saves its row under a key the other posts of the run can name from what
 * they already know (the Jobs API's job ids); the post whose turn comes restores the offers of the writers
 * behind it and writes their rows with its own, in one commit. Those posts then find their rows landed and
 * need no write of their own: a 24-job matrix needs a handful of commits instead of 24.
 *
 * Keys: `build-timings-offer-v1-{hash of registry and env}-{run}-{attempt}-{job id}`, one per post, and
 * the folder `.build-timings-offer/{job id}` in the workspace (one per job, so restores of several offers
 * at once do not meet). The cache service spends none of GitHub's REST budget: an offer is 3 of its
 * requests, and a gather is 1 per writer behind plus 1 download per offer found.
 *
 * Everything fails open and is bounded: an offer not saved or not found in time only means its post
 * writes its own row in its turn, and the append merges by row_id, so a row offered and also written by
 * its own post lands once.
 */
export const OFFER_PATH = '.build-timings-offer'
/** How long the post whose turn it is looks for offers before it writes what it has: every writer behind waits on it. */
const GATHER_MS = 1_500
const OFFER_MS = 10_000
/** Restores at once: one lookup, one download and one tar each. */
const PARALLEL = 8

export interface CacheOffersOptions {
  registry: { owner: string; repo: string; branch: string }
  run: { repository: string; runId: string; runAttempt: string }
  /** This job and the run's writers (the Jobs API's first page). */
  writers: Writers
  env: NodeJS.ProcessEnv
  log: (line: string) => void
}

/** Offers through the Actions cache, or null when this job has no cache service. */
export function cacheOffers(opts: CacheOffersOptions): RowShare | null {
  const load = cacheService(opts.env)
  if (!load) return null
  const { run } = opts
  const keyOf = (env: string, job: number): string =>
    `build-timings-offer-v1-${registryKey(opts.registry, env)}-${run.runId}-${run.runAttempt || '1'}-${job}`
  const pathOf = (job: number): string => `${OFFER_PATH}/${job}`
  const say = (what: string, e: unknown): void => opts.log(`offer: ${what} (${errorMessage(e)})`)

  const restore = async (cache: Cache, env: string, job: number): Promise<Row[]> => {
    const key = keyOf(env, job)
    // Not cleared first: a found archive overwrites the folder's one file, and a post that shares this
    // workspace (the bench runs posts in one process) may still be writing its own offer there.
    if ((await cache.restoreCache([pathOf(job)], key, [])) !== key) return []
    const dir = inWorkspace(pathOf(job))
    // Only that job's rows of this env: an entry is never a way to write rows of another job or run.
    const own = `gh/${run.repository}/${run.runId}/${run.runAttempt || '1'}/${job}/`
    return (takeRowsFrom(dir, key) ?? []).filter((r) => r.env === env && r.row_id.startsWith(own))
  }

  return {
    offer: async (env, rows) => {
      const dir = inWorkspace(pathOf(opts.writers.self))
      try {
        await bounded(OFFER_MS, async () => {
          const cache = await load()
          if (!cache) return
          writeRowsIn(dir, rows)
          await cache.saveCache([pathOf(opts.writers.self)], keyOf(env, opts.writers.self))
        })
      } catch (e) {
        say('the row could not be offered to the other jobs of the run; this job writes it in its turn', e)
      } finally {
        clearDir(dir)
      }
    },
    gather: async (env, registryText) => {
      const behind = writersBehind(opts.writers, landedIn(registryText, run))
      const found: Row[] = []
      if (!behind.length) return found
      const queue = [...behind]
      try {
        const cache = await load()
        if (!cache) return found
        const worker = async (): Promise<void> => {
          for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
            try {
              found.push(...(await restore(cache, env, job)))
            } catch {
              // An offer that cannot be read is its post's own to write.
            }
          }
        }
        await bounded(GATHER_MS, () =>
          Promise.all(Array.from({ length: Math.min(PARALLEL, behind.length) }, worker)),
        )
      } catch (e) {
        // What was found in time comes with this write; the rest write their own.
        queue.length = 0
        say('stopped looking for the offers of the jobs behind; they write their own rows', e)
      }
      if (found.length) opts.log(`offer: ${found.length} row(s) of other jobs of this run come with this one`)
      return [...found]
    },
  }
}
