import type { UseCaseLog } from '../app/ports.js'
import { parseCacheHits, type CacheEntry } from '../core/cache.js'
import type { ActionInputs } from './inputs.js'
import { probeResult, type CacheProbe } from '../core/cache-probes.js'
import { errorMessage } from '../core/errors.js'

/**
 * Looks the declared caches up with `restoreCache(…, { lookupOnly: true })`: the matched key, no download.
 * @actions/cache (and the storage SDK behind it) is loaded only when probes are declared, so jobs that do
 * not use them do not pay for it. Never throws: a probe that cannot run is reported and left out.
 */
export async function probeCaches(
  probes: readonly CacheProbe[],
  log: (line: string) => void,
): Promise<CacheEntry[]> {
  if (!probes.length) return []
  const cache = await import('@actions/cache')
  if (!cache.isFeatureAvailable()) {
    log('cache-probes skipped: the Actions cache service is not available to this job')
    return []
  }
  const entries: CacheEntry[] = []
  for (const probe of probes) {
    try {
      const matched = await cache.restoreCache([...probe.paths], probe.key, [...probe.restoreKeys], {
        lookupOnly: true,
      })
      entries.push({ name: probe.name, result: probeResult(probe.key, matched) })
    } catch (e) {
      log(`cache probe "${probe.name}" could not run: ${errorMessage(e)}`)
    }
  }
  return entries
}

/** A cache named in cache-hits keeps that answer; probes fill in the caches declared by key and paths. */
export async function cacheEntries(inputs: ActionInputs, log: UseCaseLog): Promise<CacheEntry[]> {
  const cache = parseCacheHits(inputs.cacheHits)
  const probed = (await probeCaches(inputs.cacheProbes, log.info)).filter(
    (p) => !cache.entries.some((e) => e.name === p.name),
  )
  if (cache.invalid.length) {
    log.warning(
      `cache-hits lines not understood: ${cache.invalid.join('; ')} — use name=\${{ steps.<id>.outputs.cache-hit }}`,
    )
  }
  return [...cache.entries, ...probed]
}
