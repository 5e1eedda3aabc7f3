/**
 * One deadline for everything a stage waits on (README "Inputs", `max-wait`): requests, backoff, `retry-after`.
 * Whoever would wait past it gives up instead, so the caller keeps the row and ends on time.
 */
export class Deadline {
  constructor(
    /** Epoch milliseconds. */
    readonly at: number,
    /** The clock (core takes it from its caller). */
    private readonly now: () => number,
    /** The whole allowance, for messages. */
    readonly budgetMs: number = at - now(),
  ) {}

  /** `ms` from `from` (default: now). */
  static after(ms: number, now: () => number, from: number = now()): Deadline {
    return new Deadline(from + ms, now, ms)
  }

  /** No deadline: for callers that have none (tools that may wait as long as GitHub asks). */
  static never(): Deadline {
    return new Deadline(Number.POSITIVE_INFINITY, () => 0, Number.POSITIVE_INFINITY)
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now())
  }

  passed(): boolean {
    return this.remainingMs() <= 0
  }

  /** Whether a wait of `ms` still ends before the deadline. */
  allows(ms: number): boolean {
    return ms < this.remainingMs()
  }
}

/** Thrown instead of a request or a wait that would end after the deadline. */
export class DeadlinePassed extends Error {
  constructor(deadline: Deadline) {
    super(`GitHub did not answer within max-wait (${Math.round(deadline.budgetMs / 1000)}s)`)
    this.name = 'DeadlinePassed'
  }
}

export function isDeadlinePassed(e: unknown): e is DeadlinePassed {
  return e instanceof DeadlinePassed
}
