/**
 * The Actions cache service for code that runs in the test's own process (the carrier, the offers): a
 * local GitHub with its cache service, and the runner's variables @actions/cache reads from the process
 * (`ACTIONS_RESULTS_URL`, `ACTIONS_RUNTIME_TOKEN`, a workspace it archives from and extracts to, which is
 * also the working directory, as on a runner). Call once at the top of a test file; each test gets a
 * fresh server and workspace, and the process's variables and directory are put back after it.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FakeGitHub } from './github-server.js'

const RUNTIME_TOKEN = 'runtime-token-for-the-cache-service'
const VARS = [
  'HOME',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
]

export interface InProcessCache {
  readonly server: FakeGitHub
  readonly workspace: string
}

export function useInProcessCache(): InProcessCache {
  const saved = Object.fromEntries(VARS.map((v) => [v, process.env[v]]))
  const cwd = process.cwd()
  let server: FakeGitHub | undefined
  let workspace: string | undefined
  beforeEach(async () => {
    server = await FakeGitHub.start()
    server.addToken(RUNTIME_TOKEN, {})
    workspace = mkdtempSync(join(tmpdir(), 'bt-cache-home-'))
    Object.assign(process.env, {
      HOME: workspace,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: workspace,
      ACTIONS_CACHE_SERVICE_V2: 'true',
      ACTIONS_RESULTS_URL: `${server.url}/`,
      ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
    })
    process.chdir(workspace)
  })
  afterEach(async () => {
    process.chdir(cwd)
    // process.env is kept (not replaced): os.homedir() reads the real environment.
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
    if (workspace) rmSync(workspace, { recursive: true, force: true })
    await server?.close()
  })
  return {
    get server() {
      if (!server) throw new Error('the cache service starts in beforeEach')
      return server
    },
    get workspace() {
      if (!workspace) throw new Error('the workspace is made in beforeEach')
      return workspace
    },
  }
}
