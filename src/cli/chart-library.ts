import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { UsageError } from './io.js'

/**
 * Chart.js's browser build, inlined into the dashboard. The CLI bundle carries it as a file next to
 * itself (scripts/bundle.mjs copies it there); run from source, it comes from node_modules. The names are
 * built at run time so that the bundler leaves both look-ups alone.
 */
const FILE = ['chart', 'umd', 'min', 'js'].join('.')
const PACKAGE = ['chart', 'js'].join('.')

export async function chartLibrary(): Promise<string> {
  const candidates: (() => string | URL)[] = [
    () => new URL(`./${FILE}`, import.meta.url),
    // The package exports only its modules: find its dist/ through the CommonJS entry, which lives there.
    () => join(dirname(createRequire(import.meta.url).resolve(PACKAGE)), FILE),
  ]
  for (const where of candidates) {
    try {
      return await readFile(where(), 'utf8')
    } catch {
      // next place
    }
  }
  throw new UsageError(
    `the dashboard's chart library (${FILE}) is missing next to the CLI; reinstall build-timings, or use --format table|markdown|json|csv`,
  )
}
