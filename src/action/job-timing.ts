import { isStatus, type Status } from '../core/schema.js'
import type { JobStep } from '../core/steps.js'
import { getJob } from '../github/jobs.js'
import type { GitHubClient } from '../github/octokit.js'
import type { RunContext } from './context.js'

export interface JobTiming {
  startedAt: string | null
  queueSeconds: number | undefined
  steps: JobStep[]
  /** Why there are no steps, when there are none. */
  note: string | null
}

/**
 * This job from the Jobs API by `job-id` (`${{ job.check_run_id }}`, absent on GHES: docs/architecture.md
 * "Inside a GitHub Actions job").
 */
export async function jobTiming(client: GitHubClient, ctx: RunContext, jobId: string): Promise<JobTiming> {
  if (!/^\d+$/.test(jobId)) {
    return {
      startedAt: null,
      queueSeconds: undefined,
      steps: [],
      note: 'no job id (job.check_run_id) on this runner',
    }
  }
  const answer = await getJob(client, ctx.owner, ctx.repo, Number(jobId))
  if (!answer.value) return { startedAt: null, queueSeconds: undefined, steps: [], note: answer.reason }
  const job = answer.value
  const created = Date.parse(job.createdAt ?? '')
  const started = Date.parse(job.startedAt ?? '')
  return {
    startedAt: job.startedAt,
    queueSeconds:
      Number.isFinite(created) && Number.isFinite(started)
        ? Math.max(0, Math.round((started - created) / 1000))
        : undefined,
    steps: job.steps,
    note: null,
  }
}

/** `${{ job.status }}` at post time: success, failure or cancelled. */
export function statusFromJob(value: string): Status {
  const v = value.trim().toLowerCase()
  return isStatus(v) ? v : 'unknown'
}

export interface Start {
  at: Date
  estimated: boolean
  from: 'pre' | 'jobs-api' | 'main' | 'none'
}

/**
 * pre's start, else the Jobs API's started_at, else main's (README "Without `pre`"); the last two are
 * estimated.
 */
export function chooseStart(pre: string, job: JobTiming | null, main: string, end: Date): Start {
  const valid = (s: string): Date | null => {
    const d = s ? new Date(s) : null
    return d && !Number.isNaN(d.getTime()) && d.getTime() <= end.getTime() ? d : null
  }
  const fromPre = valid(pre)
  if (fromPre) return { at: fromPre, estimated: false, from: 'pre' }
  const fromApi = job?.startedAt ? valid(job.startedAt) : null
  if (fromApi) return { at: fromApi, estimated: true, from: 'jobs-api' }
  const fromMain = valid(main)
  if (fromMain) return { at: fromMain, estimated: true, from: 'main' }
  return { at: end, estimated: true, from: 'none' }
}
