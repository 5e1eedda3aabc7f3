import type { StoredRow } from '../core/csv.js'
import { FileStore, type ScanOnly } from './file.js'
import type { Registry } from './spec.js'

const BATCH = 4096

/** A registry's rows in arrays: the file store reads them so; other stores' rows are grouped as they come. */
export async function* scanBatches(
  registry: Registry,
  env?: string,
  only?: ScanOnly,
): AsyncGenerator<StoredRow[]> {
  if (registry.store instanceof FileStore) {
    yield* registry.store.scanBatches(env, only)
    return
  }
  let batch: StoredRow[] = []
  for await (const row of registry.scan(env, only)) {
    batch.push(row)
    if (batch.length === BATCH) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}
