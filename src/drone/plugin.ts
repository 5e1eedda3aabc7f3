import { enforced, recordTiming, type RecordResult } from '../app/record.js'
import type { FailOn } from '../core/budgets.js'
import { errorMessage } from '../core/errors.js'
import type { BudgetStatus, Row } from '../core/schema.js'
import { humanDuration } from '../core/time.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import type { AppendOutcome } from '../registry/port.js'
import { comment, type CommentAction } from './comment.js'
import { connect, pullRequestOf } from './connect.js'
import { readContext, type PluginContext } from './context.js'
import type { PluginDeps } from './deps.js'
import { stepTimings, timingEvent } from './event.js'
import { knownScrubber, Log, scrubber } from './output.js'
import { pluginSettings } from './settings.js'
import { tellCard, tellTiming, tellWhere, verdictText } from './tell.js'
import { exportStage } from './export.js'

export type { PluginDeps, UpsertRunComment } from './deps.js'

/** What one run decided; the exit code is derived from it in exactly one place (exitCodeFor). */
export interface PluginOutcome {
  row: Row | null
  verdict: BudgetStatus
  failOn: FailOn
  /** The one line shown when the row was not recorded. */
  problem: string | null
  recorded: AppendOutcome | null
  prNumber: number | null
  comment: CommentAction
}

/** Exit 0 unless fail_on triggers. The plugin's own trouble never fails the pipeline. */
export function exitCodeFor(outcome: PluginOutcome | null): number {
  if (!outcome) return 0
  return enforced(outcome.verdict, outcome.failOn) ? 1 : 0
}

/** Settings whose name says they hold a credential are secrets even before they are parsed. */
function secretsIn(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = []
  for (const [name, value] of pluginSettings(env)) {
    if (/token|secret|password|passwd|credential|api_?key/i.test(name)) out.push(value.trim(), value)
  }
  return out.filter((v) => v.length >= 4)
}

async function execute(ctx: PluginContext, deps: PluginDeps, log: Log): Promise<PluginOutcome> {
  const { ci, settings } = ctx
  const secrets = [settings.githubToken, settings.droneToken, ...secretsIn(deps.env)].filter(
    (s) => s.length >= 4,
  )
  for (const note of ctx.notes) log.say(note)
  for (const p of ctx.problems.filter((p) => !p.blocking)) log.say(p.message)
  const blocking = ctx.problems.filter((p) => p.blocking)
  const end = deps.now()
  const timings = await stepTimings(ctx, deps, log)
  const { client, problem: unconnected } = blocking.length
    ? {
        client: null,
        problem: `settings not usable: ${blocking.map((p) => p.message).join('; ')}. Fix the step's settings; nothing was recorded`,
      }
    : await connect(ctx, deps, log)
  const prNumber = await pullRequestOf(ctx, client)
  const store =
    client && !settings.dryRun
      ? new GitHubContentsStore({
          client,
          owner: settings.registryOwner,
          repo: settings.registryRepo,
          branch: settings.registryBranch,
          pathTemplate: settings.registryPath,
        })
      : null
  const result = await recordTiming({
    event: timingEvent(ctx, end, timings, prNumber, secrets),
    budgets: settings.budgets,
    cacheEntries: settings.cacheEntries,
    store,
    failOn: settings.failOn,
  })
  const problem = unconnected ?? result.problem
  tellTiming(ctx, result, timings, log)
  tellWhere(result, problem, settings.dryRun, log)
  tellCard(ctx, result, timings.steps, deps, log)
  const commented =
    settings.comment === 'auto' && client && store && result.outcome && prNumber && ci.owner && ci.name
      ? await comment(ctx, deps, log, { client, store, prNumber, row: result.row, secrets })
      : null
  await exportStage(ctx, { result, timings, secrets }, log)
  if (result.fails) log.say(failLine(ctx, result))
  return {
    row: result.row,
    verdict: result.verdict,
    failOn: settings.failOn,
    problem,
    recorded: result.outcome,
    prNumber,
    comment: commented,
  }
}

function failLine(ctx: PluginContext, result: RecordResult): string {
  const { row } = result
  return `fail_on ${ctx.settings.failOn}: ${row.phase} took ${humanDuration(Number(row.duration_seconds))}, ${verdictText(result)}: failing the step`
}

/** Validate (read the context once), then Execute; whatever goes wrong, the exit code comes from exitCodeFor. */
export async function runPlugin(deps: PluginDeps): Promise<number> {
  const early = secretsIn(deps.env)
  let log = new Log(deps.stdout, scrubber(early), knownScrubber(early))
  let outcome: PluginOutcome | null = null
  try {
    const ctx = readContext(deps.env, deps.readFile, { runEnvPath: deps.runEnvPath, cwd: deps.cwd })
    const secrets = [ctx.settings.githubToken, ctx.settings.droneToken, ...early]
    log = new Log(deps.stdout, scrubber(secrets), knownScrubber(secrets))
    outcome = await execute(ctx, deps, log)
  } catch (e) {
    log.say(`unexpected error, nothing recorded: ${errorMessage(e)}. Please report it with this line`)
  }
  return exitCodeFor(outcome)
}
