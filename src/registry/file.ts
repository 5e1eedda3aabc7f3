import { constants, createReadStream } from 'node:fs'
import { access, mkdir, open, readFile, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { parse } from 'csv-parse'
import { appendRows, parseRegistry, type AppendResult, type StoredRow } from '../core/csv.js'
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
import { DEFAULT_PHASE_ROWS, DEFAULT_READ_ROWS, surelyAbsent } from './segments.js'

export interface FileStoreOptions {
  /** How long to wait for another writer's lock before giving up. */
  lockTimeoutMs?: number
  /** A lock older than this is taken to be left behind by a crashed writer. */
  staleLockMs?: number
  /** How the store names itself in messages (default `file:PATH`). */
  label?: string
  /** How many bytes at the end of the file an append checks for the same rows (default 2 MiB). */
  dedupeWindowBytes?: number
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
 * Appends go through the core's appendRows, under a lock file created with O_EXCL, and land in place after
 * the last byte (README "The registry"): two `run`s finishing together on one machine both keep their
 * row, an append costs the same at a million rows as at ten thousand, and a crash mid-write can only tear
 * the new last line, which the next append repairs.
 */
export class FileStore implements RegistryStore, RowScan {
  readonly label: string
  private readonly lockTimeoutMs: number
  private readonly staleLockMs: number
  private readonly dedupeWindowBytes: number

  constructor(
    readonly path: string,
    opts: FileStoreOptions = {},
  ) {
    this.label = opts.label ?? `file:${path}`
    this.lockTimeoutMs = opts.lockTimeoutMs ?? 30_000
    this.staleLockMs = opts.staleLockMs ?? 120_000
    this.dedupeWindowBytes = opts.dedupeWindowBytes ?? DEFAULT_DEDUPE_WINDOW_BYTES
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
  /**
   * This env's rows. Without `all` or `since`, read back from the end of the file only until enough rows of
   * the env (and phase) are held, like the branch stores read latest/ and the newest segments: a trend costs
   * the same at a million rows. Otherwise the file is streamed, so only the env's rows are ever held.
   */
  async read(env: string, only?: ReadFilter): Promise<RegistryRead> {
    if (!only?.all && only?.since === undefined) {
      const want = only?.rows ?? (only?.phase === undefined ? DEFAULT_READ_ROWS : DEFAULT_PHASE_ROWS)
      const recent = await this.readBack(env, only?.phase, want)
      if (recent) return { location: this.label, ...recent, version: await this.version() }
    }
    const rows: StoredRow[] = []
    let header: string[] | null = null
    for await (const row of this.records(env, (h) => (header = h), only?.phase)) rows.push(row)
    return { location: this.label, header, rows, version: await this.version() }
  }

  /**
   * The last `want` rows of env (and phase), read in chunks from the end. Null when the file is small (a
   * forward read costs no more), missing, or a chunk does not parse on its own (a quoted cell spanning lines):
   * the caller then streams the whole file, which also reports a file that is not CSV.
   */
  private async readBack(
    env: string,
    phase: string | undefined,
    want: number,
  ): Promise<{ header: string[] | null; rows: StoredRow[] } | null> {
    let handle: FileHandle
    try {
      handle = await open(this.path, 'r')
    } catch {
      return null
    }
    try {
      const size = (await handle.stat()).size
      if (size <= READ_BACK_CHUNK) return null
      const headerLine = await readHeaderLine(handle, size)
      const headerBytes = Buffer.byteLength(headerLine)
      if (!headerLine.endsWith('\n')) return null
      let end = size
      let carry = Buffer.alloc(0)
      let rows: StoredRow[] = []
      let header: string[] | null = null
      while (end > headerBytes && rows.length < want) {
        const start = Math.max(headerBytes, end - READ_BACK_CHUNK)
        const chunk = Buffer.concat([await readRange(handle, start, end - start), carry])
        // The chunk's first line may be cut: keep it for the next (earlier) chunk.
        const cut = start > headerBytes ? chunk.indexOf(0x0a) + 1 : 0
        if (start > headerBytes && cut === 0) return null
        carry = chunk.subarray(0, cut)
        const parsed = parseRegistry(headerLine + chunk.subarray(cut).toString('utf8'), this.label, phase)
        header = parsed.header
        rows = [...parsed.rows.filter((r) => r.env === env), ...rows]
        end = start
      }
      return { header, rows }
    } catch (e) {
      if (e instanceof RegistryParseError) return null
      throw e
    } finally {
      await handle.close()
    }
  }

  scan(env?: string, only?: ScanOnly): AsyncIterable<StoredRow> {
    return this.scanned(env, only)
  }

  async append(_env: string, rows: readonly Row[], _message: string): Promise<AppendOutcome> {
    await mkdir(dirname(this.path) || '.', { recursive: true })
    const release = await this.lock()
    try {
      const handle = await openForAppend(this.path)
      try {
        return await this.appendUnderLock(handle, rows)
      } finally {
        await handle.close()
      }
    } finally {
      await release()
    }
  }

  /**
   * Reads the header and a bounded tail (the rows a retry can repeat), never the whole file, and writes the new
   * rows after the last byte in one write: the cost does not grow with the rows already present, and the old
   * bytes (valid UTF-8 or not) are never rewritten.
   */
  private async appendUnderLock(handle: FileHandle, rows: readonly Row[]): Promise<AppendOutcome> {
    let size = (await handle.stat()).size
    const headerLine = size === 0 ? '' : await readHeaderLine(handle, size)
    if (headerLine.trim() === '' || !headerLine.endsWith('\n')) {
      // No header (an empty file, blanks, or one line without its newline): nothing to keep but this text.
      const whole = size === 0 ? '' : (await readRange(handle, 0, size)).toString('utf8')
      const merged = appendRows(whole, rows, this.label)
      if (merged.appended.length === 0) return outcomeFrom(this.label, merged, null)
      const tail = Buffer.from(merged.text.startsWith(whole) ? merged.text.slice(whole.length) : merged.text)
      if (!merged.text.startsWith(whole)) {
        await handle.truncate(0)
        size = 0
      }
      await writeAt(handle, tail, size)
      return outcomeFrom(this.label, merged, null)
    }
    size = await this.repairTornLine(handle, size, headerLine)
    const headerBytes = Buffer.byteLength(headerLine)
    const from = Math.max(headerBytes, size - this.dedupeWindowBytes)
    let window = (await readRange(handle, from, size - from)).toString('utf8')
    // A window that starts mid-file starts mid-line: its first partial line is dropped.
    if (from > headerBytes) window = window.slice(window.indexOf('\n') + 1)
    // Most appends are of rows never seen: when no row's id occurs in the window's text at all, the window
    // need not be parsed (an id can only be stored verbatim, or quoted with its quotes doubled).
    if (surelyAbsent(headerLine + window, rows)) {
      // A last row without its newline stays: appendRows starts the new rows on a line of their own.
      window = window.slice(window.lastIndexOf('\n') + 1)
    }
    let existing = headerLine + window
    let merged: AppendResult
    try {
      merged = appendRows(existing, rows, this.label)
    } catch (e) {
      // The window cut through a quoted cell that spans lines: judge against the whole file instead.
      if (!(e instanceof RegistryParseError) || from === headerBytes) throw e
      existing = (await readRange(handle, 0, size)).toString('utf8')
      merged = appendRows(existing, rows, this.label)
    }
    if (merged.appended.length === 0) return outcomeFrom(this.label, merged, null)
    await writeAt(handle, Buffer.from(merged.text.slice(existing.length), 'utf8'), size)
    return outcomeFrom(this.label, merged, null)
  }

  /**
   * A file that does not end in a newline ends either in a complete row typed by hand (kept, and the next
   * row starts on a new line) or in a row torn by a crash mid-append, which was never acknowledged: its bytes
   * move to a side file (`PATH.torn-TIME`) and the file is cut back to its last whole line.
   */
  private async repairTornLine(handle: FileHandle, size: number, headerLine: string): Promise<number> {
    const last = await readRange(handle, size - 1, 1)
    if (last[0] === 0x0a) return size
    const from = Math.max(0, size - TAIL_PROBE_BYTES)
    const tail = await readRange(handle, from, size - from)
    const cut = tail.lastIndexOf(0x0a)
    if (cut === -1 && from > 0) return size // one line longer than the probe: leave it be
    const start = from + cut + 1
    const fragment = tail.subarray(cut + 1)
    if (isWholeRecord(headerLine, fragment.toString('utf8'))) return size
    await writeFile(`${this.path}.torn-${Date.now()}`, fragment, { flag: 'wx' })
    await handle.truncate(start)
    return start
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

/** A backward read takes the file in chunks of this size. */
const READ_BACK_CHUNK = 1024 * 1024
/** Enough to hold any one row: a torn last line is looked for within this many bytes of the end. */
const TAIL_PROBE_BYTES = 64 * 1024
/** The rows an append is checked against: about latest/ plus the newest segment of the branch stores. */
export const DEFAULT_DEDUPE_WINDOW_BYTES = 2 * 1024 * 1024

async function openForAppend(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r+')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return open(path, 'wx+', 0o644).catch(() => open(path, 'r+'))
    throw new RegistryFileError(path, e)
  }
}

async function readRange(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length)
  let done = 0
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done)
    if (bytesRead === 0) break
    done += bytesRead
  }
  return buffer.subarray(0, done)
}

/** The first line with its newline (or all of a one-line file), read in small chunks. */
async function readHeaderLine(handle: FileHandle, size: number): Promise<string> {
  const chunks: Buffer[] = []
  for (let at = 0; at < size; at += 4096) {
    const chunk = await readRange(handle, at, Math.min(4096, size - at))
    const nl = chunk.indexOf(0x0a)
    if (nl !== -1) {
      chunks.push(chunk.subarray(0, nl + 1))
      break
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function writeAt(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done)
    done += bytesWritten
  }
  await handle.sync()
}

function isWholeRecord(headerLine: string, line: string): boolean {
  try {
    const parsed = parseRegistry(`${headerLine}${line}\n`, '')
    return parsed.rows.length === 1 && Object.keys(parsed.rows[0] ?? {}).length === parsed.header?.length
  } catch {
    return false
  }
}
