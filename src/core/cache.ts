export type CacheResult = 'exact' | 'partial' | 'miss'

export interface CacheEntry {
  name: string
  result: CacheResult
}

export interface CacheSummary {
  entries: CacheEntry[]
  hits: number
  lookups: number
  /** hits / lookups, or null with no lookups. */
  rate: number | null
  verdict: 'met' | 'not_met' | 'alert' | 'none'
}

/**
 * The `cache-hits` input: `name=value` lines where value is actions/cache's `cache-hit` output:
 * `true` exact hit, `false` hit through a restore key, empty a miss (docs/architecture.md "Caches").
 * Returns the entries and the lines it could not read.
 */
export function parseCacheHits(text: string): { entries: CacheEntry[]; invalid: string[] } {
  const entries: CacheEntry[] = []
  const invalid: string[] = []
  for (const raw of text.split(/\r?\n|,(?=[^,=]+=)/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    if (eq <= 0) {
      invalid.push(line)
      continue
    }
    const name = line.slice(0, eq).trim()
    const value = line
      .slice(eq + 1)
      .trim()
      .toLowerCase()
    if (value === 'true') entries.push({ name, result: 'exact' })
    else if (value === 'false') entries.push({ name, result: 'partial' })
    else if (value === '' || value === 'miss') entries.push({ name, result: 'miss' })
    else invalid.push(line)
  }
  return { entries, invalid }
}

export function summariseCache(
  entries: readonly CacheEntry[],
  targets: { hitRateTarget?: number; hitRateAlert?: number },
): CacheSummary {
  const lookups = entries.length
  const hits = entries.filter((e) => e.result !== 'miss').length
  const rate = lookups ? hits / lookups : null
  let verdict: CacheSummary['verdict'] = 'none'
  if (rate !== null && (targets.hitRateTarget !== undefined || targets.hitRateAlert !== undefined)) {
    if (targets.hitRateAlert !== undefined && rate < targets.hitRateAlert) verdict = 'alert'
    else if (targets.hitRateTarget !== undefined && rate < targets.hitRateTarget) verdict = 'not_met'
    else verdict = 'met'
  }
  return { entries: [...entries], hits, lookups, rate, verdict }
}
