import type { UpsertOptions, UpsertResult } from '../app/pr-comment.js'
import type { ClientOptions, GitHubClient } from '../github/octokit.js'
import type { ReadFile } from './context.js'
import type { Fetch } from './drone-api.js'

/** The PR comment use case shared with the action (src/app/pr-comment.ts), injectable for tests. */
export type UpsertRunComment = (opts: UpsertOptions) => Promise<UpsertResult>

/** Everything the plugin touches outside itself, so tests run it with plain values. */
export interface PluginDeps {
  env: Readonly<Record<string, string | undefined>>
  readFile: ReadFile
  writeFile: (path: string, text: string) => void
  stdout: (text: string) => void
  now: () => Date
  cwd: string
  runEnvPath?: string
  fetch: Fetch
  createClient: (opts: ClientOptions) => GitHubClient
  upsertRunComment: UpsertRunComment
}
