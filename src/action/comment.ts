import type { Budgets } from '../core/budgets.js'
import type { GitHubClient } from '../github/octokit.js'
import type { RegistryStore } from '../registry/port.js'
import type { RunContext } from './context.js'

export async function postComment(_opts: {
  client: GitHubClient
  ctx: RunContext
  store: RegistryStore
  env: string
  budgets: Budgets
  log: (line: string) => void
}): Promise<string | null> {
  return null
}
