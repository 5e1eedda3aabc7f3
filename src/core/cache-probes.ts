import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml'
import type { CacheResult } from './cache.js'

/** A cache declared by key and paths, to be looked up (not downloaded) when the job ends. */
export interface CacheProbe {
  name: string
  key: string
  paths: string[]
  restoreKeys: string[]
}

export class CacheProbesError extends Error {
  constructor(detail: string) {
    super(`cache-probes: ${detail}`)
    this.name = 'CacheProbesError'
  }
}

/** A string, a YAML list, or a multi-line string (as actions/cache's `path` input). */
function list(node: unknown, what: string): string[] {
  if (node === null || node === undefined) return []
  if (isScalar(node)) {
    return String(node.value ?? '')
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter(Boolean)
  }
  if (isSeq(node)) return node.items.flatMap((item) => list(item, what))
  throw new CacheProbesError(`${what} must be a string or a list of strings`)
}

/**
 * The `cache-probes` input: a YAML mapping of name → { key, path, restore-keys }, with the same key, path
 * and restore-keys as the actions/cache step (the paths are part of the cache version, so they must match).
 */
export function parseCacheProbes(text: string): CacheProbe[] {
  if (!text.trim()) return []
  const doc = parseDocument(text)
  const first = doc.errors[0]
  if (first) throw new CacheProbesError(`not valid YAML (${first.message.split('\n')[0]})`)
  if (!isMap(doc.contents)) {
    throw new CacheProbesError(
      'expected a mapping like `npm: { key: npm-…, path: ~/.npm, restore-keys: npm- }`',
    )
  }
  return doc.contents.items.map((pair) => {
    const name = isScalar(pair.key) ? String(pair.key.value) : ''
    const value = pair.value as YamlNode | null
    if (!name || !isMap(value))
      throw new CacheProbesError(`"${name}" must map to { key, path, restore-keys }`)
    const get = (k: string): unknown => value.get(k, true)
    const [key] = list(get('key'), `${name}.key`)
    const paths = list(get('path') ?? get('paths'), `${name}.path`)
    if (!key) throw new CacheProbesError(`"${name}" needs a key`)
    if (!paths.length)
      throw new CacheProbesError(`"${name}" needs a path (the same as its actions/cache step)`)
    return { name, key, paths, restoreKeys: list(get('restore-keys'), `${name}.restore-keys`) }
  })
}

/**
 * What a lookup answered: the primary key (matched case-insensitively, as the cache service does) is an
 * exact hit, any other key a restore-key hit, nothing a miss (docs/architecture.md "Caches").
 */
export function probeResult(primaryKey: string, matchedKey: string | undefined): CacheResult {
  if (!matchedKey) return 'miss'
  return matchedKey.toLowerCase() === primaryKey.toLowerCase() ? 'exact' : 'partial'
}
