import type { AppendResult, StoredRow } from '../core/csv.js'
import type { Column, Row } from '../core/schema.js'

export interface AppendOutcome {
  /** Where the rows went, for messages: `github:acme/widgets@governance-registry:environments/ci/latest/build_timings.csv`. */
  location: string
  appended: Row[]
  duplicates: Row[]
  droppedColumns: Column[]
  /** The commit that holds the rows (git and GitHub stores), null when nothing had to be written. */
  commit: string | null
  /**
   * Another writer of the run wrote these rows with its own while this one waited for its turn (RowShare):
   * that writer's commit holds them, and that writer brings them to the PR comment.
   */
  writtenByAnother?: boolean
}

/**
 * What a read needs (README "The registry"): latest/ and only as many of the newest history segments as
 * that takes. With nothing set, a read goes back until it holds 500 rows, or 50 of the phase with `phase`
 * (segments.ts); the whole history only with `all`.
 */
export interface ReadFilter {
  phase?: string
  /** Go back through history until this many rows are held (a trend of N runs). */
  rows?: number
  /** Go back through every segment that may hold rows started at or after this ISO-8601 time (`report --since`). */
  since?: string
  /** Every segment (push, migrate): costs the whole history. */
  all?: boolean
  /** Ask the source again even if this store has just read or written the file (it may have moved since). */
  fresh?: boolean
}

export interface RegistryRead {
  location: string
  header: string[] | null
  rows: StoredRow[]
  /** Opaque version (blob sha, mtime…): changes whenever the file changes. */
  version: string | null
}

/**
 * A registry: per env, one append-only CSV file (latest/, with its rotated history/ segments). Every store assumes another writer is racing it:
 * append merges by row key and retries on conflict, so appending the same row twice is a no-op.
 */
export interface RegistryStore {
  readonly label: string
  /**
   * The env's rows; with `only.phase`, just that phase's (the trend of one phase needs no more, and a
   * registry that grows for years should not be held whole to judge one row).
   */
  read(env: string, only?: ReadFilter): Promise<RegistryRead>
  /**
   * Appends rows not already in latest/ or the newest history segment; rotates latest/ into history/ in the
   * same commit when it would pass its size bound.
   */
  append(env: string, rows: readonly Row[], message: string): Promise<AppendOutcome>
}

/**
 * Writers of one run finishing together share the commits (README "Within GitHub's limits"): a writer that
 * has to wait for its turn offers its rows, and the writer whose turn comes writes the rows offered by the
 * writers behind it with its own. A matrix then needs far fewer commits than rows, and a writer whose row
 * another one wrote has nothing left to do. Both calls fail open: an offer not made or not found only
 * means the writer writes its own row in its turn.
 */
export interface RowShare {
  offer(env: string, rows: readonly Row[]): Promise<void>
  /** Rows offered by the writers behind this one that `registryText` (latest/ as last read) lacks. */
  gather(env: string, registryText: string): Promise<Row[]>
}

/** What `migrate` did to one env's registry file. */
export interface MigrateOutcome {
  location: string
  /** Where latest/ moved (its size in bytes), or null when it was already within the bound. */
  moved: { to: string; bytes: number } | null
  commit: string | null
}

export function outcomeFrom(location: string, result: AppendResult, commit: string | null): AppendOutcome {
  return {
    location,
    appended: result.appended,
    duplicates: result.duplicates,
    droppedColumns: result.droppedColumns,
    commit,
  }
}

/** The commit message (README "The registry"). */
export function commitMessage(
  row: Pick<Row, 'phase' | 'env' | 'status' | 'duration_seconds'>,
  count = 1,
): string {
  if (count > 1) return `build-timings: ${count} rows ${row.env} [skip ci]`
  return `build-timings: ${row.phase} ${row.env} ${row.status} ${row.duration_seconds}s [skip ci]`
}
