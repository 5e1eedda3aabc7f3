import { failsJob, type FailOn } from '../core/budgets.js'
import { rowsAsCsv, type StoredRow } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import { exitCodeForStatus, type TimingEvent } from '../core/row.js'
import { cleanCell } from '../core/sanitize.js'
import type { BudgetStatus, Row, Status } from '../core/schema.js'
import { humanDuration } from '../core/time.js'
import { recordTiming, type RecordResult } from '../app/record.js'
import { httpError, type ClientOptions, type GitHubClient } from '../github/octokit.js'
import { findPullRequestForCommit } from '../github/pulls.js'
import type { UpsertOptions, UpsertResult } from '../app/pr-comment.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import type { AppendOutcome } from '../registry/port.js'
import { buildCard, writeCard } from './card.js'
import { readContext, type CiContext, type PluginContext, type ReadFile } from './context.js'
import { fetchStageTimings, type Fetch, type StepTiming } from './drone-api.js'
import { knownScrubber, Log, scrubber } from './output.js'
import { pluginSettings } from './settings.js'

/** The PR comment shared with the action (src/app/pr-comment.ts), injectable for tests. */
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

/** SPEC §5: exit 0 unless fail_on triggers. The plugin's own trouble never fails the pipeline. */
export function exitCodeFor(outcome: PluginOutcome | null): number {
  if (!outcome) return 0
  return failsJob(outcome.verdict, outcome.failOn) ? 1 : 0
}

/** Settings whose name says they hold a credential are secrets even before they are parsed. */
function secretsIn(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = []
  for (const [name, value] of pluginSettings(env)) {
    if (/token|secret|password|passwd|credential|api_?key/i.test(name)) out.push(value.trim(), value)
  }
  return out.filter((v) => v.length >= 4)
}

/** No HTTP answer at all (refused, DNS, timeout) as opposed to an HTTP error. */
function unreachableReason(e: unknown): string | null {
  const h = httpError(e)
  const hasResponse =
    typeof e === 'object' &&
    e !== null &&
    'response' in e &&
    (e as { response?: unknown }).response !== undefined
  if (h && (hasResponse || h.status !== 500)) return null
  const cause = (e as { cause?: { cause?: { code?: string }; code?: string } } | null)?.cause
  return cause?.cause?.code ?? cause?.code ?? errorMessage(e)
}

/**
 * One cheap request without retries before anything else: an unreachable API otherwise costs every later
 * call the retry plugin's full backoff. `GET /rate_limit` does not count against the rate limit.
 */
async function probe(client: GitHubClient): Promise<string | null> {
  try {
    await client.request('GET /rate_limit', { request: { retries: 0, signal: AbortSignal.timeout(15_000) } })
    return null
  } catch (e) {
    return unreachableReason(e)
  }
}

const appendFlag = (flags: string, flag: string): string => (flags.trim() ? `${flags.trim()} ${flag}` : flag)

function verdictText(result: RecordResult): string {
  const b = result.budget
  if (result.verdict === 'none' || !b) return 'no budget'
  const parts = [
    b.target !== undefined ? `target ${humanDuration(b.target)}` : '',
    b.max !== undefined ? `max ${humanDuration(b.max)}` : '',
    b.timeout !== undefined ? `timeout ${humanDuration(b.timeout)}` : '',
  ].filter(Boolean)
  return `budget ${result.verdict} (${parts.join(', ')})`
}

function commentProblem(e: unknown, pr: number): string {
  const h = httpError(e)
  if (h?.status === 403 || h?.status === 404) {
    return `could not comment on PR #${pr} (${h.status}): give the github_token pull-requests write (or issues write) on the pipeline's repository`
  }
  return `could not comment on PR #${pr}: ${errorMessage(e)}`
}

async function stepTimings(
  ctx: PluginContext,
  deps: PluginDeps,
  log: Log,
): Promise<{ steps: StepTiming[]; failed: boolean; queueSeconds: number | null }> {
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
  let start = ci.start
  let flags = settings.flags
  if (!start) {
    start = end
    flags = appendFlag(flags, 'start=unknown')
  }

  const timings = await stepTimings(ctx, deps, log)
  let status: Status = ci.status
  if (timings.failed && (status === 'success' || status === 'unknown')) status = 'failure'

  let problem: string | null = null
  if (blocking.length) {
    problem = `settings not usable: ${blocking.map((p) => p.message).join('; ')}. Fix the step's settings; nothing was recorded`
  }
  let client: GitHubClient | null = null
  if (!blocking.length && settings.githubToken) {
    client = deps.createClient({
      token: settings.githubToken,
      baseUrl: settings.githubApiUrl,
      maxRateLimitWaitSeconds: 60,
      // createClient also routes Octokit's own request log here, one line per failed request, expected 404s
      // included; only its rate-limit decisions are worth a line in a pipeline log.
      log: (m) => {
        if (/rate limit/i.test(m) && !/^(GET|POST|PUT|PATCH|DELETE|HEAD) \S+ - \d{3}/.test(m)) log.say(m)
      },
    })
    const reason = await probe(client)
    if (reason) {
      problem = `GitHub API at ${settings.githubApiUrl} is unreachable (${reason}): check github_api_url and the runner's network; nothing was recorded`
      client = null
    }
  } else if (!blocking.length && !settings.dryRun) {
    problem =
      'no github_token setting: add github_token (from_secret) with contents write on the registry repository to record timings; nothing was recorded'
  }

  let prNumber = ci.pullRequest
  if (!prNumber && client && ci.sha && ci.owner && ci.name) {
    try {
      prNumber = await findPullRequestForCommit(client, ci.owner, ci.name, ci.sha)
    } catch {
      // Best effort: the registry write below meets the same trouble and reports it once.
    }
  }

  const event: Omit<TimingEvent, 'budget' | 'cache'> = {
    source: ci.platform,
    phase: settings.phase,
    env: settings.env,
    buildId: settings.buildId,
    start,
    end,
    exitCode: exitCodeForStatus(status),
    status,
    flags,
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
    event,
    budgets: settings.budgets,
    cacheEntries: settings.cacheEntries,
    store,
  })
  const row = result.row
  problem = problem ?? result.problem

  const where = `${ci.platform} ${ci.repo || '?'} build ${ci.buildNumber || '?'} stage ${ci.stageNumber || '?'}`
  const cache = result.cache.lookups
    ? `, cache ${result.cache.hits}/${result.cache.lookups}${result.cache.verdict === 'none' ? '' : ` ${result.cache.verdict}`}`
    : ''
  log.say(
    `${row.phase} ${row.env} ${row.status} in ${humanDuration(Number(row.duration_seconds))}, ${verdictText(result)}${cache} (${where}, start from ${ci.startFrom ?? 'nowhere: unknown'}, status from ${timings.failed ? 'the Drone API' : ci.statusFrom})`,
  )
  if (result.regression.regressed && result.regression.change !== null) {
    log.say(
      `${row.phase} is ${Math.round(result.regression.change * 100)}% slower than the median of its last ${result.regression.sample} successful runs`,
    )
  }
  if (timings.steps.length) {
    const total = timings.steps.reduce((s, t) => s + t.seconds, 0)
    const ranked = [...timings.steps].sort((a, b) => b.seconds - a.seconds).slice(0, 8)
    log.say(
      `steps: ${ranked.map((t) => `${t.name} ${humanDuration(t.seconds)}${total ? ` (${Math.round((t.seconds / total) * 100)}%)` : ''}`).join(', ')}`,
    )
  }

  const recorded = result.outcome
  if (problem) {
    log.say(`${problem.replace(/[.\s]+$/, '')}. The row is below as CSV.`)
    log.block(rowsAsCsv([row]))
  } else if (settings.dryRun) {
    log.say('dry run: nothing was written to the registry. The row is below as CSV.')
    log.block(rowsAsCsv([row]))
  } else if (recorded) {
    if (recorded.appended.length) {
      log.say(
        `recorded in ${recorded.location}${recorded.commit ? ` (commit ${recorded.commit.slice(0, 7)})` : ''}`,
      )
    } else {
      log.say(`already recorded in ${recorded.location} (row ${row.row_id})`)
    }
    if (recorded.droppedColumns.length) {
      log.say(`the registry file has an older header: ${recorded.droppedColumns.join(', ')} were not stored`)
    }
  }

  if (ci.platform === 'drone' && ci.cardPath) {
    try {
      const card = buildCard({
        row,
        cache: result.cache,
        change: result.regression.change,
        registry: recorded?.location ?? (settings.dryRun ? 'dry run' : 'not recorded'),
        steps: timings.steps,
      })
      writeCard(ci.cardPath, card, { writeStdout: (t) => log.raw(t), writeFile: deps.writeFile }, log.scrub)
    } catch (e) {
      log.say(`could not write the card to ${ci.cardPath}: ${errorMessage(e)}`)
    }
  }

  let comment: PluginOutcome['comment'] = null
  if (settings.comment === 'auto' && client && store && recorded && prNumber && ci.owner && ci.name) {
    const prefix = `${ci.platform}/${row.repository}/${cleanCell(ci.buildNumber, secrets)}/`
    const selectRun = (r: StoredRow): boolean =>
      r.source === ci.platform &&
      r.repository === row.repository &&
      (r.row_id ? r.row_id.startsWith(prefix) : r.build_id === row.build_id)
    try {
      const res = await deps.upsertRunComment({
        client,
        owner: ci.owner,
        repo: ci.name,
        prNumber,
        workflow: workflowName(ci),
        store,
        env: row.env,
        selectRun,
        budgets: settings.budgets,
        log: (line) => log.say(line),
      })
      if (res) {
        comment = res.action
        log.say(`PR #${prNumber}: comment ${res.action}`)
      }
    } catch (e) {
      log.say(commentProblem(e, prNumber))
    }
  }

  const outcome: PluginOutcome = {
    row,
    verdict: result.verdict,
    failOn: settings.failOn,
    problem,
    recorded,
    prNumber,
    comment,
  }
  if (exitCodeFor(outcome)) {
    log.say(
      `fail_on ${settings.failOn}: ${row.phase} took ${humanDuration(Number(row.duration_seconds))}, ${verdictText(result)}: failing the step`,
    )
  }
  return outcome
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
