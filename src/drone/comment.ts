import type { StoredRow } from '../core/csv.js'
import { cleanCell } from '../core/sanitize.js'
import type { Row } from '../core/schema.js'
import type { GitHubClient } from '../github/octokit.js'
import type { RegistryStore } from '../registry/port.js'
import type { CiContext, PluginContext } from './context.js'
import type { PluginDeps } from './deps.js'
import type { Log } from './output.js'
import { commentProblem } from './tell.js'

/** Created, updated or unchanged; null when there was nothing to do or it failed (one line said why). */
export type CommentAction = 'created' | 'updated' | 'unchanged' | null

/** The PR comment of this build: the rows of every stage of the build, rendered by the shared use case. */
export async function comment(
  ctx: PluginContext,
  deps: PluginDeps,
  log: Log,
  target: { client: GitHubClient; store: RegistryStore; prNumber: number; row: Row; secrets: string[] },
): Promise<CommentAction> {
  const { ci, settings } = ctx
  const { row, prNumber } = target
  const prefix = `${ci.platform}/${row.repository}/${cleanCell(ci.buildNumber, target.secrets)}/`
  const selectRun = (r: StoredRow): boolean =>
    r.source === ci.platform &&
    r.repository === row.repository &&
    (r.row_id ? r.row_id.startsWith(prefix) : r.build_id === row.build_id)
  try {
    const res = await deps.upsertRunComment({
      client: target.client,
      owner: ci.owner,
      repo: ci.name,
      prNumber,
      workflow: workflowName(ci),
      store: target.store,
      env: row.env,
      selectRun,
      budgets: settings.budgets,
      log: (line) => log.say(line),
    })
    if (!res) return null
    log.say(`PR #${prNumber}: comment ${res.action}`)
    return res.action
  } catch (e) {
    log.say(commentProblem(e, prNumber))
    return null
  }
}

function workflowName(ci: CiContext): string {
  return `${ci.platform} ${ci.repo}${ci.stageName ? ` ${ci.stageName}` : ''}`
}
