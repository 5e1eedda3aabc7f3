/**
 * Where a job's time went, from the Jobs API's steps (docs/architecture.md "Inside a GitHub Actions job"):
 * timestamps have 1-second resolution; the current and later steps are `in_progress`/`queued` with a null
 * `completed_at`; skipped steps can have `completed_at` before `started_at`. Incomplete steps are left out
 * and negative spans count as zero.
 */

/** One step as the Jobs API gives it (`GET /repos/{o}/{r}/actions/jobs/{job_id}` → `steps[]`). */
export interface JobStep {
  name: string
  status: string
  conclusion: string | null
  number: number
  started_at?: string | null
  completed_at?: string | null
}

export interface RankedStep {
  /** 1 = the step that took longest. */
  rank: number
  number: number
  name: string
  conclusion: string | null
  /** Seconds from the job's start to the step's start (never negative). */
  offset: number
  seconds: number
  /** seconds / total of the ranked steps, 0..1. */
  share: number
  /** Sum of the shares of this step and every step ranked above it, 0..1. */
  cumulative: number
}

export interface StepRanking {
  /** Longest first; ties keep the job's order. */
  steps: RankedStep[]
  /** Sum of the ranked steps' seconds. */
  total: number
  /** Steps left out because they had not completed (or carried no timestamps). */
  incomplete: number
}

const toMs = (iso: string | null | undefined): number | null => {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

interface TimedStep {
  step: JobStep
  startMs: number
  seconds: number
}

function completedSteps(steps: readonly JobStep[]): { timed: TimedStep[]; incomplete: number } {
  const timed: TimedStep[] = []
  let incomplete = 0
  for (const step of steps) {
    const startMs = toMs(step.started_at)
    const endMs = toMs(step.completed_at)
    if (step.status !== 'completed' || startMs === null || endMs === null) {
      incomplete++
      continue
    }
    timed.push({ step, startMs, seconds: Math.max(0, Math.round((endMs - startMs) / 1000)) })
  }
  return { timed, incomplete }
}

/**
 * Ranks the completed steps by duration with their share of the total and the cumulative share.
 * `jobStartedAt` (the job's `started_at`) anchors the offsets; without it the earliest step start does.
 */
export function rankSteps(steps: readonly JobStep[], jobStartedAt?: string | null): StepRanking {
  const { timed, incomplete } = completedSteps(steps)
  const earliest = timed.reduce((min, t) => Math.min(min, t.startMs), Number.POSITIVE_INFINITY)
  const anchor = toMs(jobStartedAt) ?? (Number.isFinite(earliest) ? earliest : 0)
  const total = timed.reduce((sum, t) => sum + t.seconds, 0)
  const ordered = timed
    .map((t, index) => ({ ...t, index }))
    .sort((a, b) => b.seconds - a.seconds || a.step.number - b.step.number || a.index - b.index)
  let running = 0
  const ranked = ordered.map((t, i): RankedStep => {
    running += t.seconds
    return {
      rank: i + 1,
      number: t.step.number,
      name: t.step.name,
      conclusion: t.step.conclusion,
      offset: Math.max(0, Math.round((t.startMs - anchor) / 1000)),
      seconds: t.seconds,
      share: total ? t.seconds / total : 0,
      cumulative: total ? running / total : 0,
    }
  })
  return { steps: ranked, total, incomplete }
}

/** The same steps in the job's own order (for a timeline such as the gantt). */
export function inJobOrder(ranking: StepRanking): RankedStep[] {
  return [...ranking.steps].sort((a, b) => a.offset - b.offset || a.number - b.number)
}

export interface CacheStep {
  name: string
  /** `restore`: the cache step itself; `save`: its "Post …" step, which uploads the cache. */
  kind: 'restore' | 'save'
  seconds: number
  conclusion: string | null
}

/**
 * Is this step a cache step? actions/cache's steps are named by the user, so this is a heuristic:
 * "Restore …", "Run actions/cache…" (the default name of a `uses:` step), or any name with "cache".
 */
export function isCacheStepName(name: string): boolean {
  const bare = name.replace(/^Post\s+/i, '').trim()
  return /^restore\b/i.test(bare) || /^run actions\/cache/i.test(bare) || /cache/i.test(bare)
}

/** Durations of the completed cache steps, restore and save ("Post …") alike, in the job's order. */
export function cacheStepDurations(steps: readonly JobStep[]): CacheStep[] {
  return completedSteps(steps)
    .timed.filter((t) => isCacheStepName(t.step.name))
    .sort((a, b) => a.step.number - b.step.number)
    .map((t) => ({
      name: t.step.name,
      kind: /^Post\s/i.test(t.step.name) ? 'save' : 'restore',
      seconds: t.seconds,
      conclusion: t.step.conclusion,
    }))
}
