import { parse } from 'csv-parse/sync'
import type { StoredRow } from './csv.js'
import { RegistryParseError } from './errors.js'

/**
 * A registry reader for large files: `report` over a million rows spent ~9 µs a row in csv-parse's general
 * streaming parser, which builds every cell of every row. Registry rows are nearly always plain (no quotes),
 * so this scanner splits plain lines at their commas over the raw bytes and builds only the cells asked for;
 * a line with a quote is read as RFC 4180 (quoted cells, doubled quotes, quoted newlines), and anything
 * irregular goes to csv-parse itself. It
 * accepts what csv-parse accepts (a BOM, CRLF, empty lines) and refuses a row whose cell count differs from
 * the header's, as the store's csv-parse reader does. bench/report.bench.mjs measures it against DuckDB.
 */
export interface ScanOptions {
  /** Where the bytes come from, for error messages. */
  location: string
  /** Only rows whose env cell is this. */
  env?: string
  /** Only these cells are built (others are left out of each row); all when absent. */
  columns?: readonly string[]
}

const NL = 10
const CR = 13
const COMMA = 44
const QUOTE = 34
/** Node's Buffer has latin1Slice (what toString('latin1') calls after checking its arguments) untyped. */
type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string }
/** Wider lines (never a registry's) take the slow path. */
const MAX_CELLS = 1024
/** Distinct values remembered per column before it is taken to be one of unique values. */
const INTERN_MAX = 4096

export class CsvScanner {
  private header: string[] | null = null
  /** For each cell index, the column name to build, or null to skip it. */
  private wanted: (string | null)[] = []
  private envIndex = -1
  private rest: Buffer | null = null
  private line = 0
  private picks: number[] = []
  private readonly ends = new Int32Array(MAX_CELLS + 1)
  private interned: (Map<number, string> | undefined)[] = []

  constructor(private readonly opts: ScanOptions) {}

  get columns(): readonly string[] | null {
    return this.header
  }

  /** Rows completed by this chunk; a partial last line waits for the next chunk. */
  push(chunk: Buffer): StoredRow[] {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk
    const out: StoredRow[] = []
    const consumed = this.lines(buf, false, out)
    this.rest = consumed < buf.length ? Buffer.from(buf.subarray(consumed)) : null
    return out
  }

  end(): StoredRow[] {
    const out: StoredRow[] = []
    if (this.rest) this.lines(this.rest, true, out)
    this.rest = null
    return out
  }

  /** Handles every complete record in buf; returns how many bytes were consumed. */
  private lines(buf: Buffer, final: boolean, out: StoredRow[]): number {
    let start = 0
    const n = buf.length
    // Lines before the next quote are plain: one native search per quote, not a test per byte.
    let nextQuote = buf.indexOf(QUOTE)
    if (nextQuote === -1) nextQuote = n
    const ends = this.ends
    while (start < n) {
      let nl = buf.indexOf(NL, start)
      if (nl === -1) {
        if (!final) return start
        nl = n
      }
      // A BOM at the start of the file.
      if (this.line === 0 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf)
        start += 3
      const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl
      this.line++
      if (end <= start) {
        start = nl + 1
        continue
      }
      if (nextQuote < nl) {
        const record = this.quotedRecord(buf, start, final)
        if (record === null) return start
        this.take(record.cells, out)
        start = record.next
        nextQuote = buf.indexOf(QUOTE, start)
        if (nextQuote === -1) nextQuote = n
        continue
      }
      // Cell ends: the only test most bytes get.
      let cells = 0
      for (let i = start; i < end; i++) {
        if (buf[i] === COMMA) {
          if (cells < MAX_CELLS) ends[cells] = i
          cells++
        }
      }
      if (cells >= MAX_CELLS) {
        this.take(this.decode(buf, start, end), out)
      } else {
        ends[cells] = end
        this.plain(buf, start, cells + 1, out)
      }
      start = nl + 1
    }
    return n
  }

  /** A record that holds a quote: up to the newline that closes its quotes, parsed by csv-parse. */
  /**
   * A record that holds a quote (RFC 4180: quoted cells, "" inside them, newlines inside them). Null when the
   * buffer ends before the record does. Anything irregular (a quote inside an unquoted cell, text after a
   * closing quote, an unclosed quote at the end) goes to csv-parse, whose error then names the problem.
   */
  private quotedRecord(buf: Buffer, start: number, final: boolean): { cells: string[]; next: number } | null {
    const n = buf.length
    const cells: string[] = []
    let i = start
    for (;;) {
      if (i < n && buf[i] === QUOTE) {
        let value = ''
        let from = i + 1
        for (;;) {
          const q = buf.indexOf(QUOTE, from)
          if (q === -1 || (q + 1 >= n && !final)) return final ? this.parsedRecord(buf, start) : null
          if (buf[q + 1] === QUOTE) {
            value += buf.toString('utf8', from, q + 1)
            from = q + 2
            continue
          }
          value += buf.toString('utf8', from, q)
          i = q + 1
          break
        }
        cells.push(value)
      } else {
        let j = i
        while (j < n && buf[j] !== COMMA && buf[j] !== NL) {
          if (buf[j] === QUOTE) return this.parsedRecord(buf, start, final)
          j++
        }
        if (j === n && !final) return null
        cells.push(buf.toString('utf8', i, j > i && buf[j - 1] === CR && j < n ? j - 1 : j))
        i = j
      }
      if (i >= n) {
        if (!final) return null
        return this.counted(cells, buf, start, n)
      }
      const c = buf[i]
      if (c === COMMA) i++
      else if (c === NL) return this.counted(cells, buf, start, i + 1)
      else if (c === CR && buf[i + 1] === NL) return this.counted(cells, buf, start, i + 2)
      else if (c === CR && i + 1 >= n && !final) return null
      else return this.parsedRecord(buf, start, final)
    }
  }

  /** The record's newlines past its first line (quoted ones) count in the line numbers of messages. */
  private counted(
    cells: string[],
    buf: Buffer,
    start: number,
    next: number,
  ): { cells: string[]; next: number } {
    for (let k = buf.indexOf(NL, start); k !== -1 && k < next - 1; k = buf.indexOf(NL, k + 1)) this.line++
    return { cells, next }
  }

  /** The slow, exact way: csv-parse on the record's text, for records the fast way does not take. */
  private parsedRecord(buf: Buffer, start: number, final = true): { cells: string[]; next: number } | null {
    let inQuotes = false
    let i = start
    for (; i < buf.length; i++) {
      const c = buf[i]
      if (c === QUOTE) inQuotes = !inQuotes
      else if (c === NL && !inQuotes) break
    }
    if (i === buf.length && !final) return null
    const text = buf.toString('utf8', start, i > start && buf[i - 1] === CR ? i - 1 : i)
    this.line += countNewlines(text)
    let records: string[][]
    try {
      records = parse(text, { relax_column_count: true }) as string[][]
    } catch (e) {
      throw new RegistryParseError(
        this.opts.location,
        `${(e as Error).message.split('\n')[0]} near line ${this.line}`,
      )
    }
    return { cells: records[0] ?? [], next: i + 1 }
  }

  private decode(buf: Buffer, start: number, end: number): string[] {
    return buf.toString('utf8', start, end).split(',')
  }

  private plain(buf: Buffer, start: number, count: number, out: StoredRow[]): void {
    if (this.header === null) {
      this.take(this.decode(buf, start, this.ends[count - 1] as number), out)
      return
    }
    if (count !== this.header.length) this.badLength(count)
    if (this.envIndex !== -1 && this.cell(buf, start, this.envIndex) !== this.opts.env) return
    const row: StoredRow = {}
    const picks = this.picks
    for (let p = 0; p < picks.length; p++) {
      const k = picks[p] as number
      row[this.wanted[k] as string] =
        k === this.envIndex ? (this.opts.env as string) : this.cell(buf, start, k)
    }
    out.push(row)
  }

  /**
   * Cell k of the current line. A value seen before in that column comes back as the same string: phases,
   * envs, statuses and durations repeat, and building a string costs more than comparing a few bytes.
   */
  private cell(buf: Buffer, lineStart: number, k: number): string {
    const from = k === 0 ? lineStart : (this.ends[k - 1] as number) + 1
    const to = this.ends[k] as number
    const len = to - from
    if (len === 0) return ''
    const seen = this.interned[k]
    // Length and the bytes at both ends tell most repeated values apart; equal keys are checked in full.
    const h = seen
      ? (((len * 31 + (buf[from] as number)) * 31 + (buf[to - 1] as number)) * 31 +
          (buf[to - 2 >= from ? to - 2 : from] as number)) *
          31 +
        (buf[(from + to) >> 1] as number)
      : 0
    if (seen) {
      const known = seen.get(h)
      if (known !== undefined && known.length === len) {
        let same = true
        for (let i = 0; i < len; i++) {
          if (known.charCodeAt(i) !== buf[from + i]) {
            same = false
            break
          }
        }
        if (same) return known
      }
    }
    let ascii = true
    for (let i = from; i < to; i++) {
      if ((buf[i] as number) >= 0x80) {
        ascii = false
        break
      }
    }
    if (!ascii) return buf.toString('utf8', from, to)
    const value = (buf as Latin1Buffer).latin1Slice(from, to)
    if (seen) {
      // A column of mostly new values (times, shas) is not worth remembering.
      if (seen.size < INTERN_MAX) seen.set(h, value)
      else this.interned[k] = undefined
    }
    return value
  }

  /** A row given as cells (the header, a quoted record, or a very wide line). */
  private take(cells: string[], out: StoredRow[]): void {
    if (this.header === null) {
      if (!cells.includes('start_time_utc'))
        throw new RegistryParseError(this.opts.location, 'its first line is not a build_timings header')
      this.header = cells
      const only = this.opts.columns ? new Set(this.opts.columns) : null
      this.wanted = cells.map((c) => (only === null || only.has(c) ? c : null))
      this.picks = this.wanted.flatMap((c, k) => (c === null ? [] : [k]))
      this.interned = cells.map(() => new Map())
      this.envIndex = this.opts.env === undefined ? -1 : cells.indexOf('env')
      return
    }
    if (cells.length !== this.header.length) this.badLength(cells.length)
    if (this.envIndex !== -1 && cells[this.envIndex] !== this.opts.env) return
    const row: StoredRow = {}
    for (let k = 0; k < cells.length; k++) {
      const name = this.wanted[k]
      if (name != null) row[name] = cells[k] as string
    }
    out.push(row)
  }

  private badLength(got: number): never {
    throw new RegistryParseError(
      this.opts.location,
      `Invalid Record Length: expect ${this.header?.length ?? 0}, got ${got} on line ${this.line}`,
    )
  }
}

function countNewlines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}
