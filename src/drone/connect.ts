import { errorMessage } from '../core/errors.js'
import { httpError, type GitHubClient } from '../github/octokit.js'
import { findPullRequestForCommit } from '../github/pulls.js'
import type { PluginContext } from './context.js'
import type { Log } from './output.js'
import type { PluginDeps } from './deps.js'

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

/** The GitHub client of the step, or the one line that says why there is none (null: dry run, no token). */
export async function connect(
  ctx: PluginContext,
  deps: PluginDeps,
  log: Log,
): Promise<{ client: GitHubClient | null; problem: string | null }> {
  const { settings } = ctx
  if (!settings.githubToken) {
    if (settings.dryRun) return { client: null, problem: null }
    return {
      client: null,
      problem:
        'no github_token setting: add github_token (from_secret) with contents write on the registry repository to record timings; nothing was recorded',
    }
  }
  const client = deps.createClient({
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
  if (!reason) return { client, problem: null }
  return {
    client: null,
    problem: `GitHub API at ${settings.githubApiUrl} is unreachable (${reason}): check github_api_url and the runner's network; nothing was recorded`,
  }
}

/** The pipeline's PR: from the environment, else the open PR of the commit (push builds carry none). */
export async function pullRequestOf(ctx: PluginContext, client: GitHubClient | null): Promise<number | null> {
  const { ci } = ctx
  if (ci.pullRequest || !client || !ci.sha || !ci.owner || !ci.name) return ci.pullRequest
  try {
    return await findPullRequestForCommit(client, ci.owner, ci.name, ci.sha)
  } catch {
    // Best effort: the registry write meets the same trouble and reports it once.
    return null
  }
}
