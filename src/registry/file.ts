import { constants, createReadStream } from 'node:fs'
import { access, mkdir, open, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { parse } from 'csv-parse'
import { appendRows, type StoredRow } from '../core/csv.js'
import { CsvScanner } from '../core/csv-scan.js'
import { errorMessage, InputError, RegistryParseError } from '../core/errors.js'
import type { Row } from '../core/schema.js'
import {
  outcomeFrom,
  type AppendOutcome,
  type ReadFilter,
  type RegistryRead,
  type RegistryStore,
} from './port.js'

export interface FileStoreOptions {
  /** How long to wait for another writer's lock before giving up. */
  lockTimeoutMs?: number
  /** A lock older than this is taken to be left behind by a crashed writer. */
  staleLockMs?: number
  /** How the store names itself in messages (default `file:PATH`). */
  label?: string
}

/** What a scan needs beyond the env. */
export interface ScanOnly {
  /** Only these cells are needed (report reads 8 of 29): a store may leave the others out of each row. */
  columns?: readonly string[]
  /**
   * Only rows started at or after this ISO-8601 time are wanted (`report --since`): a store that keeps
   * history in segments may skip the older ones. Rows are still filtered by their reader.
   */
  since?: string
}

/** Stores that can stream their rows one at a time (report, push), optionally one env's only. */
export interface RowScan {
  scan(env?: string, only?: ScanOnly): AsyncIterable<StoredRow>
}

/** A file that exists but cannot be read (a directory, no permission): the user must fix the path. */
export class RegistryFileError extends InputError {
  constructor(path: string, e: unknown) {
    const code = (e as { code?: string }).code
    super(
      'registry',
      `cannot read registry file ${path} (${code ?? errorMessage(e)}); pass --registry file:PATH naming a readable CSV file`,
    )
    this.name = 'RegistryFileError'
  }
}

/**
 * `file:PATH`: one CSV holding every env's rows (the CLI's default, so that it works with nothing set up).
 * Appends go through the core's appendRows, under a lock file created with O_EXCL, and land by writing a
 * temporary file and renaming it over the old one: two `run`s finishing together on one machine both keep
 * their row, and a crash mid-write leaves the old file whole.
 */
export class FileStore implements RegistryStore, RowScan {
  readonly label: string
  private readonly lockTimeoutMs: number
  private readonly staleLockMs: number

  constructor(
    readonly path: string,
    opts: FileStoreOptions = {},
  ) {
    this.label = opts.label ?? `file:${path}`
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 30_000
    this.staleLockMs = opts.staleLockMs ?? 120_000
  }

  /** A path that exists but is no readable, writable file is a usage error, found before a command runs. */
  async check(): Promise<void> {
    let isFile: boolean
    try {
      isFile = (await stat(this.path)).isFile()
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
      throw new RegistryFileError(this.path, e)
    }
    if (!isFile) throw new RegistryFileError(this.path, { code: 'EISDIR' })
    try {
      await access(this.path, constants.R_OK | constants.W_OK)
    } catch (e) {
      throw new RegistryFileError(this.path, e)
    }
  }

  /** This env's rows. Streams the file, so only the env's rows are ever held. */
  async read(env: string, only?: ReadFilter): Promise<RegistryRead> {
    const rows: StoredRow[] = []
    let header: string[] | null = null
    for await (const row of this.records(env, (h) => (header = h), only?.phase)) rows.push(row)
    return { location: this.label, header, rows, version: await this.version() }
  }

  scan(env?: string, only?: ScanOnly): AsyncIterable<StoredRow> {
    return this.scanned(env, only)
  }

  async append(_env: string, rows: readonly Row[], _message: string): Promise<AppendOutcome> {
    await mkdir(dirname(this.path) || '.', { recursive: true })
    const release = await this.lock()
    try {
      const existing = await this.readText()
      const merged = appendRows(existing.text, rows, this.label)
      if (merged.appended.length === 0) return outcomeFrom(this.label, merged, null)
      // A symlinked registry keeps its link: the rename lands on the file it points to.
      const target = await realpath(this.path).catch(() => this.path)
      const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`)
      try {
        const handle = await open(temp, 'wx', existing.mode ?? 0o644)
        try {
          await handle.writeFile(merged.text, 'utf8')
          await handle.sync()
        } finally {
          await handle.close()
        }
        await rename(temp, target)
      } catch (e) {
        await unlink(temp).catch(() => undefined)
        throw e
      }
      return outcomeFrom(this.label, merged, null)
    } finally {
      await release()
    }
  }

  private async *records(
    env: string | undefined,
    onHeader?: (h: string[]) => void,
    phase?: string,
  ): AsyncGenerator<StoredRow> {
    const stream = createReadStream(this.path)
    const opened = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      stream.once('ready', () => resolve(null))
      stream.once('error', (e) => resolve(e as NodeJS.ErrnoException))
    })
    if (opened?.code === 'ENOENT') return
    if (opened) throw new RegistryFileError(this.path, opened)
    const parser = stream.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }))
    stream.on('error', (e) => parser.destroy(e))
    let header: string[] | null = null
    let envIndex = -1
    let phaseIndex = -1
    try {
      for await (const cells of parser as AsyncIterable<string[]>) {
        if (!header) {
          if (!cells.includes('start_time_utc'))
            throw new RegistryParseError(this.label, 'its first line is not a build_timings header')
          header = cells
          envIndex = header.indexOf('env')
          phaseIndex = header.indexOf('phase')
          onHeader?.(header)
          continue
        }
        if (env !== undefined && cells[envIndex] !== env) continue
        if (phase !== undefined && cells[phaseIndex] !== phase) continue
        const row: StoredRow = {}
        for (let i = 0; i < header.length; i++) row[header[i] as string] = cells[i] ?? ''
        yield row
      }
    } catch (e) {
      if (e instanceof RegistryParseError || e instanceof InputError) throw e
      const code = (e as NodeJS.ErrnoException).code
      if (code && !code.startsWith('CSV_')) throw new RegistryFileError(this.path, e)
      throw new RegistryParseError(this.label, errorMessage(e))
    } finally {
      stream.destroy()
    }
  }

  /** The fast reader for whole-file scans (report, push over a million rows): see core/csv-scan.ts. */
  private async *scanned(env: string | undefined, only?: ScanOnly): AsyncGenerator<StoredRow> {
    for await (const batch of this.scanBatches(env, only)) yield* batch
  }

  /**
   * The rows a chunk of the file completes, a few thousand at a time: a report over a million rows pays
   * an await per chunk rather than per row.
   */
  async *scanBatches(env?: string, only?: ScanOnly): AsyncGenerator<StoredRow[]> {
    const stream = createReadStream(this.path, { highWaterMark: 1 << 20 })
    const scanner = new CsvScanner({
      location: this.label,
      ...(env === undefined ? {} : { env }),
      ...(only?.columns ? { columns: only.columns } : {}),
    })
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) yield scanner.push(chunk)
      yield scanner.end()
    } catch (e) {
      if (e instanceof RegistryParseError || e instanceof InputError) throw e
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return
      throw new RegistryFileError(this.path, e)
    } finally {
      stream.destroy()
    }
  }

  private async version(): Promise<string | null> {
    try {
      const s = await stat(this.path)
      return `${s.mtimeMs}:${s.size}`
    } catch {
      return null
    }
  }

  private async readText(): Promise<{ text: string; mode: number | null }> {
    try {
      const [text, s] = await Promise.all([readFile(this.path, 'utf8'), stat(this.path)])
      return { text, mode: s.mode & 0o777 }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { text: '', mode: null }
      throw new RegistryFileError(this.path, e)
    }
  }

  /** O_EXCL lock file next to the registry; stale locks (dead pid on this host, or too old) are broken. */
  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.path}.lock`
    const started = Date.now()
    const owner = `${process.pid} ${hostname()} ${new Date().toISOString()}\n`
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(lockPath, owner, { flag: 'wx' })
        return () => unlink(lockPath).catch(() => undefined)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
      if (await this.isStale(lockPath)) {
        await unlink(lockPath).catch(() => undefined)
        continue
      }
      if (Date.now() - started > this.lockTimeoutMs) {
        throw new Error(
          `registry file ${this.path} stayed locked for ${Math.round(this.lockTimeoutMs / 1000)}s by another writer; if no build-timings is running, delete ${lockPath}`,
        )
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(200, 10 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random())),
      )
    }
  }

  private async isStale(lockPath: string): Promise<boolean> {
    try {
      const [text, s] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)])
      if (Date.now() - s.mtimeMs > this.staleLockMs) return true
      const [pid, host] = text.split(' ')
      if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false
      try {
        process.kill(Number(pid), 0)
        return false
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === 'ESRCH'
      }
    } catch {
      // Vanished between EEXIST and now, or half-written: try again rather than break it.
      return false
    }
  }
}
