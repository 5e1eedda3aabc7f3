import { EventEmitter } from 'node:events'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { runCli as main } from '../../src/cli/dispatch.js'
import type { CliIO } from '../../src/cli/io.js'

class Collect extends Writable {
  text = ''
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString()
    done()
  }
}

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export interface CliOptions {
  cwd: string
  env?: NodeJS.ProcessEnv
  now?: () => Date
  stdinIsTTY?: boolean
  stderrIsTTY?: boolean
  signals?: EventEmitter
}

/** The whole CLI in-process, with a scrubbed environment (no inherited registry, env or token). */
export async function cli(argv: string[], opts: CliOptions): Promise<CliResult> {
  const stdout = new Collect()
  const stderr = new Collect()
  const base = { ...process.env }
  for (const k of [
    'BUILD_TIMINGS_ENV',
    'BUILD_TIMINGS_REGISTRY',
    'GITHUB_TOKEN',
    'GH_TOKEN',
    'GITHUB_API_URL',
  ])
    delete base[k]
  const io: CliIO = {
    stdout,
    stderr,
    env: { ...base, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...opts.env },
    cwd: opts.cwd,
    now: opts.now ?? (() => new Date()),
    stdinIsTTY: opts.stdinIsTTY ?? false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
    signals: opts.signals ?? new EventEmitter(),
  }
  const code = await main(argv, io)
  return { code, stdout: stdout.text, stderr: stderr.text }
}

export async function tempDir(prefix = 'bt-cli-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/** Parses a registry CSV the simple way (cells in these tests hold no commas or quotes). */
export function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split('\n')
  const names = (head ?? '').split(',')
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [names[i] ?? `${i}`, c])))
}
