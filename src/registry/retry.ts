export interface RetryPolicy {
  maxAttempts: number
  /** Give up once this much time has been spent, even with attempts left. */
  maxTotalMs: number
  baseMs: number
  capMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 30, maxTotalMs: 180_000, baseMs: 250, capMs: 6_000 }

export interface Timing {
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
}

/** "Full jitter" exponential backoff: concurrent writers spread out instead of colliding again in step. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 16))
  return Math.round(ceiling * (0.25 + 0.75 * random()))
}

export class ConflictRetriesExhausted extends Error {
  constructor(attempts: number, elapsedMs: number) {
    super(
      `the registry branch kept moving: gave up after ${attempts} attempts in ${Math.round(elapsedMs / 1000)}s`,
    )
    this.name = 'ConflictRetriesExhausted'
  }
}

/** After a failed attempt: throws ConflictRetriesExhausted once the policy's attempts or time are spent. */
export function giveUpIfSpent(policy: RetryPolicy, attempt: number, elapsedMs: number): void {
  if (attempt >= policy.maxAttempts || elapsedMs >= policy.maxTotalMs) {
    throw new ConflictRetriesExhausted(attempt, elapsedMs)
  }
}
