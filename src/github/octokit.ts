import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Octokit } from '@octokit/rest'
import { Deadline, DeadlinePassed } from '../core/deadline.js'

export type GitHubClient = InstanceType<typeof Octokit>

export interface ClientOptions {
  token: string
  /** GITHUB_API_URL; GitHub Enterprise Server's is `https://HOST/api/v3`. */
  baseUrl?: string
  /** Longest wait we accept for a rate limit before giving up on a request (seconds). */
  maxRateLimitWaitSeconds?: number
  /** Every request, retry and `retry-after` wait ends by then (README "Inputs", `max-wait`); default: none. */
  deadline?: Deadline
  /** One request that has not answered after this long is abandoned (default 15 s). */
  requestTimeoutMs?: number
  log?: (message: string) => void
}

export const REQUEST_TIMEOUT_MS = 15_000

/** A request that got no answer in time: the server accepted it and went silent, or the network did. */
export class RequestTimedOut extends Error {
  constructor(what: string, ms: number) {
    super(`GitHub did not answer ${what} within ${Math.round(ms / 1000)}s`)
    this.name = 'RequestTimedOut'
  }
}

interface Bounds {
  deadline: Deadline
  requestTimeoutMs: number
}

interface RequestOptions {
  method?: string
  url?: string
  request?: { signal?: AbortSignal; retries?: number; retryCount?: number; [k: string]: unknown }
  [k: string]: unknown
}

type Hooked = {
  hook: {
    wrap: (
      name: 'request',
      fn: (request: (o: RequestOptions) => Promise<unknown>, o: RequestOptions) => Promise<unknown>,
    ) => void
  }
}

/**
 * Innermost of the request hooks, so it bounds every attempt the retry and throttling plugins make: a
 * timeout on each, none started past the deadline, and no retry whose wait would end past it.
 */
function boundedRequests(bounds: Bounds) {
  return (octokit: unknown): Record<string, never> => {
    ;(octokit as Hooked).hook.wrap('request', async (request, options) => {
      const { deadline, requestTimeoutMs } = bounds
      const what = `${options.method ?? ''} ${String(options.url ?? '').split('?')[0]}`
      for (;;) {
        if (deadline.passed()) throw new DeadlinePassed(deadline)
        const ms = Math.min(requestTimeoutMs, deadline.remainingMs())
        const signal = AbortSignal.timeout(ms)
        // Hooks share one options object (each is bound to it): the signal is set on it, not passed along.
        options.request = { ...options.request, signal }
        try {
          return await request(options)
        } catch (e) {
          if (signal.aborted) {
            if (deadline.passed()) throw new DeadlinePassed(deadline)
            // A silent read is asked again while time remains; a write may have landed, so its caller decides.
            if (options.method === 'GET' || options.method === 'HEAD') continue
            throw new RequestTimedOut(what, ms)
          }
          // The retry plugin waits (n+1)² s before attempt n+1: not when that wait would outlast the deadline.
          const wait = ((options.request?.retryCount ?? 0) + 1) ** 2 * 1000
          if (options.request && !deadline.allows(wait)) options.request.retries = 0
          throw e
        }
      }
    })
    return {}
  }
}

/** The write and notification queues of the throttling plugin pace one process's writes a second apart; ours
 * are few per job and the cost of a herd is across jobs, which pacing in one process cannot see. */
const unpaced = { key: () => ({ schedule: <T>(_o: unknown, fn: () => Promise<T>) => fn() }) }

/**
 * The one Octokit factory: `@actions/github`'s client, so a runner's HTTPS_PROXY/NO_PROXY and its GitHub
 * Enterprise API URL apply, with the retry and throttling plugins. 409 is never retried blindly: a
 * stale-sha PUT resent with the same body cannot succeed (docs/architecture.md "GitHub contents API"); the stores re-read and
 * merge instead.
 */
export function createClient(opts: ClientOptions): GitHubClient {
  const maxWait = opts.maxRateLimitWaitSeconds ?? 90
  const deadline = opts.deadline ?? Deadline.never()
  const log = opts.log ?? (() => undefined)
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method?: string; url?: string },
      _octokit: unknown,
      retryCount: number,
    ): boolean => {
      const again = retryCount < 2 && retryAfter <= maxWait && deadline.allows(retryAfter * 1000)
      log(
        `GitHub ${kind} rate limit on ${options.method ?? ''} ${options.url ?? ''}: ${again ? `retrying in ${retryAfter}s` : 'giving up'}`,
      )
      return again
    }
  const bounds = { deadline, requestTimeoutMs: opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS }
  return getOctokit(
    opts.token,
    {
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : {}),
      userAgent: 'build-timings',
      // Octokit logs every failed request at error level, expected 404s included: the callers report what
      // matters in one line, so only the retry and throttling plugins' warnings are passed on.
      log: { debug: () => undefined, info: () => undefined, warn: log, error: () => undefined },
      retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        write: unpaced as never,
        notifications: unpaced as never,
      },
    },
    boundedRequests(bounds),
    retry,
    throttling,
  ) as unknown as GitHubClient
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

/** The branch moved under us: 409, or the 422 GitHub sometimes gives for the same race (docs/architecture.md "GitHub contents API"). */
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
