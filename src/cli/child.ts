import { spawn } from 'node:child_process'
import { mkdir, open } from 'node:fs/promises'
import { constants } from 'node:os'
import { join, relative, isAbsolute } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { errorMessage } from '../core/errors.js'
import { secretsFromEnv } from '../core/sanitize.js'
import { ResourceCountScanner } from '../core/terraform.js'
import { say, type CliIO } from './io.js'
import { resolvePath } from './options.js'
import { Destination, LogWriter } from './tee.js'

const STDIO_GRACE_MS = 1000

/** `{phase}-{build_id}-{stamp}.log` must be one safe file name whatever the user passed. */
export function fileSafe(value: string): string {
  const safe = value
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[.-]+/, '')
    .slice(0, 80)
  return safe || '_'
}

/** `20260124T101503Z`. */
export function compactStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '')
}

/** Exit code of a finished child as a shell reports it: its own code, or 128 + the signal's number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (constants.signals[signal] ?? 0)
  return code ?? 1
}

export type RunLog = { writer: LogWriter; shown: string } | null

interface Ran {
  exitCode: number
  /** Stopped on request (ours, or a stop signal), as opposed to failing or crashing. */
  stopped: boolean
  /** When the command ended, not when its output was drained or the log closed. */
  end: Date | null
  counts: ReturnType<ResourceCountScanner['result']>
}

/**
 * Copies a child's stream to ours and to the log, and feeds the resource scanner; resolves when it closes. A
 * closed terminal or a full disk drops that destination only (tee.ts): the command's output is always read.
 */
function tee(
  from: NodeJS.ReadableStream,
  to: Destination,
  log: RunLog,
  scanner: ResourceCountScanner,
): Promise<void> {
  const decoder = new StringDecoder('utf8')
  from.on('data', (chunk: Buffer) => {
    to.write(chunk)
    log?.writer.write(chunk)
    scanner.push(decoder.write(chunk))
  })
  return new Promise((resolve) => from.on('close', resolve).on('end', resolve))
}

/** Runs the command with its output teed to the terminal, the log and the resource scanners. */
export async function supervise(file: string, args: string[], io: CliIO, log: RunLog): Promise<Ran> {
  const outScan = new ResourceCountScanner()
  const errScan = new ResourceCountScanner()
  const child = spawn(file, args, { cwd: io.cwd, env: io.env, stdio: ['inherit', 'pipe', 'pipe'] })
  const piped = Promise.all([
    tee(child.stdout, new Destination(io.stdout), log, outScan),
    tee(child.stderr, new Destination(io.stderr), log, errScan),
  ])

  // SIGTERM (CI cancelling, `kill`) reaches only us: pass it on. A terminal's Ctrl-C already reaches the
  // child, which shares our foreground process group; sending SIGINT again would make Terraform abandon its
  // graceful stop (its second interrupt), so SIGINT is forwarded only when stdin is not a terminal.
  let interrupted = false
  const forward = (signal: NodeJS.Signals) => () => {
    interrupted = true
    if (signal === 'SIGINT' && io.stdinIsTTY) return
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
  }
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const)
  for (const [s, h] of handlers) io.signals.on(s, h)

  let exitCode: number
  let killedBy: NodeJS.Signals | null = null
  // The end is when the command ended, not when its output was drained or the log closed.
  let end: Date | null = null
  try {
    exitCode = await new Promise<number>((resolve) => {
      child.once('error', (e: NodeJS.ErrnoException) => {
        end = io.now()
        const code = e.code === 'ENOENT' ? 127 : 126
        say(
          io.stderr,
          `cannot run "${file}" (${e.code ?? errorMessage(e)}); check the command after "--" (exit ${code} recorded)`,
        )
        resolve(code)
      })
      child.once('exit', (code, signal) => {
        end = io.now()
        killedBy = signal
        resolve(exitCodeOf(code, signal))
      })
    })
    // A daemon the command left behind may hold its stdout open for ever: drain what is buffered, then go.
    if (child.pid !== undefined) {
      const grace = new Promise<'timeout'>((resolve) =>
        setTimeout(resolve, STDIO_GRACE_MS, 'timeout').unref(),
      )
      if ((await Promise.race([piped, grace])) === 'timeout') {
        child.stdout.destroy()
        child.stderr.destroy()
      }
    }
  } finally {
    for (const [s, h] of handlers) io.signals.off(s, h)
    await log?.writer.end()
  }
  const stopped = interrupted || (killedBy !== null && ['SIGINT', 'SIGTERM', 'SIGHUP'].includes(killedBy))
  return { exitCode, stopped, end, counts: outScan.result() ?? errScan.result() }
}

/** The log file, created without clobbering one of the same second; a log that cannot be made is a warning. */
export async function openLog(
  dir: string,
  phase: string,
  buildId: string,
  start: Date,
  io: CliIO,
): Promise<RunLog> {
  const absDir = resolvePath(dir, io)
  const base = `${fileSafe(phase)}-${fileSafe(buildId)}-${compactStamp(start)}`
  try {
    await mkdir(absDir, { recursive: true })
    for (let n = 0; n < 100; n++) {
      const path = join(absDir, n ? `${base}-${n}.log` : `${base}.log`)
      try {
        // 0600: a log holds whatever the command printed, which the redaction of known secrets may not cover.
        const handle = await open(path, 'wx', 0o600)
        const rel = relative(io.cwd, path)
        const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
        const writer = new LogWriter(handle.createWriteStream(), secretsFromEnv(io.env), (e) =>
          say(
            io.stderr,
            `warning: the log ${shown} stopped at ${e.code ?? errorMessage(e)} (a full disk?); the command went on, its log is incomplete`,
          ),
        )
        return { writer, shown }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      }
    }
    throw new Error('too many logs with the same name')
  } catch (e) {
    say(
      io.stderr,
      `warning: cannot write a log in ${dir} (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}); running without one, pass --log-dir to choose another folder`,
    )
    return null
  }
}
