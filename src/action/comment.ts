import type { Budgets } from '../core/budgets.js'
import type { GitHubClient } from '../github/octokit.js'
import { upsertRunComment } from '../app/pr-comment.js'
import type { RegistryStore } from '../registry/port.js'
import type { RunContext } from './context.js'

/**
 * The PR comment of this workflow run, rendered from the registry rows of the run so that every job of a
 * matrix appears in it (SPEC §4 "PR comment"). Never throws.
 */
export async function postComment(opts: {
  client: GitHubClient
  ctx: RunContext
  store: RegistryStore
  env: string
  budgets: Budgets
  log: (line: string) => void
}): Promise<void> {
  const { ctx } = opts
  if (!ctx.prNumber) return
  const result = await upsertRunComment({
    client: opts.client,
    owner: ctx.owner,
    repo: ctx.repo,
    prNumber: ctx.prNumber,
    workflow: ctx.workflow,
    store: opts.store,
    env: opts.env,
    selectRun: (row) =>
      row.repository === ctx.repository &&
      row.run_id === ctx.runId &&
      (row.run_attempt || '1') === ctx.runAttempt,
    budgets: opts.budgets,
    log: opts.log,
  })
  if (result) opts.log(`PR #${ctx.prNumber} comment ${result.action} (id ${result.commentId})`)
}
