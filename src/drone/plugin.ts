import { enforced, recordTiming, type RecordResult } from '../app/record.js'
import type { FailOn } from '../core/budgets.js'
import type { StoredRow } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import { exitCodeForStatus, type TimingEvent } from '../core/row.js'
import { cleanCell } from '../core/sanitize.js'
import type { BudgetStatus, Row, Status } from '../core/schema.js'
import { humanDuration } from '../core/time.js'
import type { GitHubClient } from '../github/octokit.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import type { AppendOutcome, RegistryStore } from '../registry/port.js'
import { connect, pullRequestOf } from './connect.js'
import { readContext, type CiContext, type PluginContext } from './context.js'
import type { PluginDeps } from './deps.js'
import { fetchStageTimings } from './drone-api.js'
import { knownScrubber, Log, scrubber } from './output.js'
import { pluginSettings } from './settings.js'
import { commentProblem, tellCard, tellTiming, tellWhere, verdictText, type Timings } from './tell.js'

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
  comment: 'created' | 'updated' | 'unchanged' | null
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

const appendFlag = (flags: string, flag: string): string => (flags.trim() ? `${flags.trim()} ${flag}` : flag)

async function stepTimings(ctx: PluginContext, deps: PluginDeps, log: Log): Promise<Timings> {
  const { ci, settings } = ctx
  const none = { steps: [], failed: false, queueSeconds: null }
  if (!settings.droneToken) return none
  if (ci.platform !== 'drone' || !ci.server || !ci.owner || !ci.name) {
    log.say('drone_token is only used on Drone with DRONE_SYSTEM_HOST set: going on without per-step timings')
    return none
  }
  try {
    return await fetchStageTimings({
      fetch: deps.fetch,
      server: ci.server,
      token: settings.droneToken,
      owner: ci.owner,
      name: ci.name,
      buildNumber: ci.buildNumber,
      stageNumber: ci.stageNumber,
    })
  } catch (e) {
    log.say(
      `per-step timings unavailable from ${ci.server} (${errorMessage(e)}): check drone_token; going on without them`,
    )
    return none
  }
}

/** The step's timing as the use case's event: the settings and the CI's variables, nothing judged. */
function timingEvent(
  ctx: PluginContext,
  end: Date,
  timings: Timings,
  prNumber: number | null,
  secrets: string[],
): Omit<TimingEvent, 'budget' | 'cache'> {
  const { ci, settings } = ctx
  let status: Status = ci.status
  if (timings.failed && (status === 'success' || status === 'unknown')) status = 'failure'
  return {
    source: ci.platform,
    phase: settings.phase,
    env: settings.env,
    buildId: settings.buildId,
    start: ci.start ?? end,
    end,
    exitCode: exitCodeForStatus(status),
    status,
    flags: ci.start ? settings.flags : appendFlag(settings.flags, 'start=unknown'),
    repository: ci.repo || `${settings.registryOwner}/${settings.registryRepo}`,
    runId: ci.buildNumber,
    jobId: ci.stageNumber,
    jobKey: ci.stageNumber,
    ref: ci.ref,
    sha: ci.sha,
    prNumber: prNumber ?? undefined,
    runner: ci.runner,
    queueSeconds: timings.queueSeconds ?? ci.queueSeconds ?? undefined,
    secrets,
  }
}

/** The PR comment of this build: the rows of every stage of the build, rendered by the shared use case. */
async function comment(
  ctx: PluginContext,
  deps: PluginDeps,
  log: Log,
  target: { client: GitHubClient; store: RegistryStore; prNumber: number; row: Row; secrets: string[] },
): Promise<PluginOutcome['comment']> {
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
