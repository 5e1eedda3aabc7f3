import type { Writable } from 'node:stream'
import { redactor, safeLine, secretsFromEnv, type Redact } from '../core/sanitize.js'

/** Everything the CLI touches outside itself, injected so commands run in-process under test. */
export interface CliIO {
  stdout: Writable
  stderr: Writable
  env: NodeJS.ProcessEnv
  cwd: string
  now: () => Date
  stdinIsTTY: boolean
  stderrIsTTY: boolean
  /** Where SIGINT/SIGTERM arrive (the process, in real use). */
  signals: SignalSource
}

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown
  off(signal: NodeJS.Signals, listener: () => void): unknown
}

export const EXIT_OK = 0
/** The CLI's own trouble at run time (a registry that refused a push, a report that could not be read). */
export const EXIT_FAILURE = 1
/** Wrong usage: unknown flags, a missing `--`, a bad registry spec, an unreadable file. */
export const EXIT_USAGE = 2

/** A usage problem: printed as one line `build-timings: <what>; <fix>`, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

let redactKnown: Redact = redactor([])

/** The process's known secrets (GITHUB_TOKEN, *_PASSWORD…): never printed, whatever message carries them. */
export function knowSecretsOf(env: NodeJS.ProcessEnv): void {
  redactKnown = redactor(secretsFromEnv(env))
}

/** Every line the CLI prints about itself: one line, no control sequence, no credential (README "The registry"). */
export function say(stream: Writable, line: string): void {
  stream.write(`build-timings: ${redactKnown(safeLine(line))}\n`)
}
