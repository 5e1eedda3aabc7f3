import { readFileSync } from 'node:fs'
import { DEFAULTS } from '../core/config.js'

/** The GitHub run context, read once from the runner's environment and event payload. */
export interface RunContext {
  repository: string
  owner: string
  repo: string
  eventName: string
  workflow: string
  job: string
  runId: string
  runAttempt: string
  ref: string
  sha: string
  prNumber: number | undefined
  runner: string
  actor: string
  apiUrl: string
  serverUrl: string
  workspace: string
  runnerTemp: string
  /** Why the token can read but not write, or null when it should be able to write. */
  readOnlyReason: string | null
}

interface EventPayload {
  pull_request?: {
    number?: number
    head?: { sha?: string; repo?: { full_name?: string; fork?: boolean } | null }
  }
  number?: number
}

function readPayload(path: string | undefined): EventPayload {
  if (!path) return {}
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as EventPayload
  } catch {
    return {}
  }
}

/**
 * Fork PRs and Dependabot get a read-only GITHUB_TOKEN on pull_request events: detected here so
 * that no write is attempted. pull_request_target runs with the base repository's token and can write.
 */
function readOnlyReason(
  eventName: string,
  payload: EventPayload,
  repository: string,
  actor: string,
): string | null {
  if (
    eventName !== 'pull_request' &&
    eventName !== 'pull_request_review' &&
    eventName !== 'pull_request_review_comment'
  ) {
    return actor === 'dependabot[bot]' ? 'Dependabot runs get a read-only token' : null
  }
  const head = payload.pull_request?.head?.repo
  if (head && (head.fork || (head.full_name && head.full_name !== repository))) {
    return `pull requests from forks (${head.full_name ?? 'a fork'}) get a read-only token`
  }
  if (actor === 'dependabot[bot]') return 'Dependabot pull requests get a read-only token'
  return null
}

export function readRunContext(env: NodeJS.ProcessEnv): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner = '', repo = ''] = repository.split('/')
  const payload = readPayload(env.GITHUB_EVENT_PATH)
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const actor = env.GITHUB_ACTOR ?? ''
  const prNumber =
    payload.pull_request?.number ?? (eventName.startsWith('pull_request') ? payload.number : undefined)
  return {
    repository,
    owner,
    repo,
    eventName,
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '1',
    ref: env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.GITHUB_REF || '',
    // On pull_request events GITHUB_SHA is the merge commit: the head sha is what people recognise.
    sha: payload.pull_request?.head?.sha ?? env.GITHUB_SHA ?? '',
    prNumber: typeof prNumber === 'number' ? prNumber : undefined,
    runner: env.RUNNER_NAME ?? '',
    actor,
    apiUrl: env.GITHUB_API_URL || DEFAULTS.githubApiUrl,
    serverUrl: env.GITHUB_SERVER_URL || DEFAULTS.githubServerUrl,
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    runnerTemp: env.RUNNER_TEMP || '',
    readOnlyReason: readOnlyReason(eventName, payload, repository, actor),
  }
}
