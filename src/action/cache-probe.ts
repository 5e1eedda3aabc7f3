import type { CacheEntry } from '../core/cache.js'
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
