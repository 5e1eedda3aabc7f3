// Runs the committed plugin bundle (dist/drone) as a child process, the way a pipeline step runs it.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const BUNDLE = join(process.cwd(), 'dist/drone/index.js')
import { MACHINE_NODE } from '../support/runtimes.js'
export { NODE24 } from '../support/runtimes.js'

export interface BundleRun {
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

/** Starts `node dist/drone/index.js` with exactly `env` (plus PATH), never the test's own environment. */
export function runBundle(
  env: Record<string, string>,
  opts: { node?: string; cwd?: string } = {},
): Promise<BundleRun> {
  if (!existsSync(BUNDLE))
    throw new Error(`${BUNDLE} is missing: build it with "node scripts/bundle.mjs drone"`)
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(opts.node ?? MACHINE_NODE, [BUNDLE], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      cwd: opts.cwd ?? process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }))
  })
}

/** Every encoding of a secret that could leak into a log. */
export function leakForms(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.from('\0'.repeat(shift) + secret).toString('base64')
    forms.push(b64.slice(Math.ceil((shift * 4) / 3), Math.floor(((shift + secret.length) * 4) / 3)))
  }
  return forms
}

export function assertNoLeak(run: BundleRun, secrets: readonly string[]): void {
  const text = run.stdout + run.stderr
  for (const secret of secrets) {
    for (const form of leakForms(secret)) {
      if (text.includes(form)) throw new Error(`secret leaked in the output as ${JSON.stringify(form)}`)
    }
  }
}

/** Lines the plugin writes for people. */
export const sayLines = (out: string): string[] =>
  out.split('\n').filter((l) => l.startsWith('build-timings: '))

/**
 * Drone's card escape sequence (docs/architecture.md "Drone and Woodpecker"): ESC]1338; base64 ESC]0m,
 * with the payload captured.
 */
const ESC = String.fromCharCode(27)
export const CARD_SEQUENCE = new RegExp(`${ESC}\\]1338;([A-Za-z0-9+/=]+)${ESC}\\]0m\\n`)
