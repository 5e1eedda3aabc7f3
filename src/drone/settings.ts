import type { CacheEntry, CacheResult } from '../core/cache.js'
import { parseCacheHits } from '../core/cache.js'

/**
 * Every setting of the step (drone-plugin/README.md "Settings"), named as users write them under
 * `settings:`.
 */
export const SETTING = {
  githubToken: 'github_token',
  phase: 'phase',
  environment: 'environment',
  buildId: 'build_id',
  flags: 'flags',
  registryRepository: 'registry_repository',
  registryBranch: 'registry_branch',
  registryPath: 'registry_path',
  budgetsFile: 'budgets_file',
  budgets: 'budgets',
  cacheHits: 'cache_hits',
  comment: 'comment',
  failOn: 'fail_on',
  githubApiUrl: 'github_api_url',
  dryRun: 'dry_run',
  droneToken: 'drone_token',
  maxWait: 'max_wait',
  export: 'export',
  alertWebhook: 'alert_webhook',
} as const

/**
 * The step's `settings:` as a map from the setting's name (`registry_repository`) to its value. Drone
 * upper-cases the key and turns `.`/`-` into `_`; Woodpecker does the same (docs/architecture.md "Drone and
 * Woodpecker"). Keys are folded the same way here so a hand-written `PLUGIN_REGISTRY-BRANCH` still counts;
 * empty values mean unset.
 */
export function pluginSettings(env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(env)) {
    if (!/^plugin_/i.test(key) || value === undefined || value.trim() === '') continue
    const name = key.slice('PLUGIN_'.length).replace(/[-. ]/g, '_').toLowerCase()
    out.set(name, value)
  }
  return out
}

function cacheResult(value: unknown): CacheResult | null {
  if (value === true) return 'exact'
  if (value === false) return 'partial'
  if (value === null || value === undefined) return 'miss'
  if (typeof value !== 'string') return null
  const v = value.trim().toLowerCase()
  if (v === 'true' || v === 'exact' || v === 'hit') return 'exact'
  if (v === 'false' || v === 'partial') return 'partial'
  if (v === '' || v === 'miss') return 'miss'
  return null
}

/**
 * `cache_hits` in every shape a pipeline can send it: a YAML map (arrives as JSON, values possibly turned
 * into strings by Woodpecker), a YAML list of `name=value` (arrives comma-joined, or as a JSON array), or
 * `name=value` lines. Values follow actions/cache's `cache-hit`: true exact, false partial, empty a miss.
 */
export function parseCacheHitsSetting(text: string): { entries: CacheEntry[]; invalid: string[] } {
  const trimmed = text.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(trimmed)
    } catch {
      return { entries: [], invalid: [trimmed] }
    }
    const entries: CacheEntry[] = []
    const invalid: string[] = []
    if (Array.isArray(parsed)) {
      for (const item of parsed) {
        if (typeof item === 'string') {
          const one = parseCacheHits(item)
          entries.push(...one.entries)
          invalid.push(...one.invalid)
        } else if (
          item &&
          typeof item === 'object' &&
          typeof (item as { name?: unknown }).name === 'string'
        ) {
          const o = item as Record<string, unknown>
          const result = cacheResult(o['cache-hit'] ?? o.cache_hit ?? o.hit ?? o.value)
          if (result) entries.push({ name: o.name as string, result })
          else invalid.push(JSON.stringify(item))
        } else {
          invalid.push(JSON.stringify(item))
        }
      }
      return { entries, invalid }
    }
    if (parsed && typeof parsed === 'object') {
      for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
        const result = cacheResult(value)
        if (result) entries.push({ name, result })
        else invalid.push(`${name}=${JSON.stringify(value)}`)
      }
      return { entries, invalid }
    }
    return { entries: [], invalid: [trimmed] }
  }
  return parseCacheHits(text)
}
