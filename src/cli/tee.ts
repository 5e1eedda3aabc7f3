import type { WriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { redactor } from '../core/sanitize.js'

/**
 * The streams of `run` (docs/security.md): a destination that fails (stderr closed by `| head -1`, a log file on a full
 * disk or over `ulimit -f`) is dropped after its first error, which is reported once; the others go on. The
 * command's pipes are always read to the end, so the command never gets SIGPIPE because of us.
 */
export class Destination {
  private failed: NodeJS.ErrnoException | null = null

  constructor(
    private readonly stream: Writable,
    private readonly onFailure: (e: NodeJS.ErrnoException) => void = () => undefined,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => this.fail(e))
  }

  get ok(): boolean {
    return this.failed === null && !this.stream.destroyed && !this.stream.writableEnded
  }

  write(chunk: Buffer | string): void {
    if (!this.ok) return
    try {
      this.stream.write(chunk)
    } catch (e) {
      this.fail(e as NodeJS.ErrnoException)
    }
  }

  private fail(e: NodeJS.ErrnoException): void {
    if (this.failed) return
    this.failed = e
    this.onFailure(e)
  }
}

/** Longest line kept waiting for its end before it is written anyway (a progress bar without newlines). */
const MAX_PENDING = 64 * 1024

/**
 * The captured log: written line by line, each line with the known secrets redacted. Bytes go through
 * latin1, which maps each byte to one character and back, so the command's bytes are kept exactly as they
 * were (not valid UTF-8 included) apart from what is redacted.
 */
export class LogWriter {
  private readonly out: Destination
  private pending = ''
  private readonly redact: (text: string) => string

  constructor(
    private readonly stream: WriteStream,
    knownSecrets: readonly string[],
    onFailure: (e: NodeJS.ErrnoException) => void,
  ) {
    this.out = new Destination(stream, onFailure)
    // The secrets as the log's latin1 view shows their UTF-8 bytes.
    const known = knownSecrets.map((s) => Buffer.from(s, 'utf8').toString('latin1'))
    this.redact = redactor(known, { heuristics: false })
  }

  write(chunk: Buffer): void {
    if (!this.out.ok) return
    const text = this.pending + chunk.toString('latin1')
    const cut = text.lastIndexOf('\n') + 1
    this.pending = text.slice(cut)
    if (cut) this.flushText(text.slice(0, cut))
    if (this.pending.length > MAX_PENDING) {
      this.flushText(this.pending)
      this.pending = ''
    }
  }

  private flushText(text: string): void {
    this.out.write(Buffer.from(this.redact(text), 'latin1'))
  }

  /** Writes what is left and closes the file; never rejects (a failed log was reported already). */
  async end(): Promise<void> {
    if (this.pending) this.flushText(this.pending)
    this.pending = ''
    await new Promise<void>((resolve) => {
      if (this.stream.closed || this.stream.destroyed) return resolve()
      this.stream.once('close', () => resolve())
      this.stream.end()
    })
  }
}
