import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'

export type GitHubClient = InstanceType<typeof Octokit>

export interface ClientOptions {
  token: string
  /** GITHUB_API_URL; GitHub Enterprise Server's is `https://HOST/api/v3`. */
  baseUrl?: string
  /** Longest wait we accept for a rate limit before giving up on a request (seconds). */
  maxRateLimitWaitSeconds?: number
  log?: (message: string) => void
}

const RetryingOctokit = Octokit.plugin(retry, throttling)

/**
 * The one Octokit factory. 409 is never retried blindly: a stale-sha PUT resent with the same body cannot
 * succeed (docs/architecture.md "GitHub contents API"); the stores re-read and merge instead.
 */
export function createClient(opts: ClientOptions): GitHubClient {
  const maxWait = opts.maxRateLimitWaitSeconds ?? 90
  const log = opts.log ?? (() => undefined)
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      const again = retryCount < 2 && retryAfter <= maxWait
      log(
        `GitHub ${kind} rate limit on ${options.method ?? ''} ${options.url ?? ''}: ${again ? `retrying in ${retryAfter}s` : 'giving up'}`,
      )
      return again
    }
  return new RetryingOctokit({
    auth: opts.token,
    baseUrl: (opts.baseUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'build-timings',
    // Octokit logs every failed request at error level, expected 404s included: the callers report what
    // matters in one line, so only the retry and throttling plugins' warnings are passed on.
    log: { debug: () => undefined, info: () => undefined, warn: log, error: () => undefined },
    retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
  }) as unknown as GitHubClient
}

export interface HttpError {
  status: number
  message: string
}

export function httpError(e: unknown): HttpError | null {
  if (
    typeof e === 'object' &&
    e !== null &&
    'status' in e &&
    typeof (e as { status: unknown }).status === 'number'
  ) {
    return {
      status: (e as { status: number }).status,
      message: String((e as { message?: unknown }).message ?? ''),
    }
  }
  return null
}

/**
 * The branch moved under us: 409, or the 422 GitHub sometimes gives for the same race (docs/architecture.md
 * "GitHub contents API").
 */
export function isConflict(e: unknown): boolean {
  const h = httpError(e)
  if (!h) return false
  if (h.status === 409) return true
  return (
    h.status === 422 &&
    /is at [0-9a-f]+ but expected|does not match|not a fast forward|"sha" wasn't supplied/i.test(h.message)
  )
}

/** A token that may read but not write (fork PRs, Dependabot): 403 "Resource not accessible by integration". */
export function isReadOnlyDenial(e: unknown): boolean {
  const h = httpError(e)
  return !!h && h.status === 403 && /not accessible by integration|permission|write access/i.test(h.message)
}

export function isRateLimited(e: unknown): boolean {
  const h = httpError(e)
  return !!h && (h.status === 429 || (h.status === 403 && /rate limit/i.test(h.message)))
}
