import { isStatus, type Status } from '../core/schema.js'
import { writersOf, type Writers } from '../core/spread.js'
import type { JobStep } from '../core/steps.js'
import { getJob, runJobsFirstPage, type JobInfo, type JobsAnswer } from '../github/jobs.js'
import type { GitHubClient } from '../github/octokit.js'
import type { RunContext } from './context.js'

export interface JobTiming {
  startedAt: string | null
  queueSeconds: number | undefined
  steps: JobStep[]
  /** Why there are no steps, when there are none. */
  note: string | null
  /** This job and the run's jobs still in progress, to spread registry writes (null: unknown). */
  writers: Writers | null
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
      writers: null,
    }
  }
  const id = Number(jobId)
  // The run's first page of jobs holds this job and where it stands among its siblings: one request. A run
  // of more than 100 jobs, or a listing refused, falls back to the job alone.
  const page = /^\d+$/.test(ctx.runId)
    ? await runJobsFirstPage(client, ctx.owner, ctx.repo, Number(ctx.runId), Number(ctx.runAttempt) || 1)
    : null
  const listed = page?.value?.find((j) => j.id === id)
  let answer: JobsAnswer<JobInfo>
  if (listed) answer = { value: listed, reason: null }
  // A token that may not list the run's jobs may not read this one either: no second refusal. Any other
  // failure (an older server without the attempts endpoint) still asks for the job alone.
  else if (page && !page.value && /actions: read|rate limit/.test(page.reason))
    answer = page as JobsAnswer<JobInfo>
  else answer = await getJob(client, ctx.owner, ctx.repo, id)
  const writers = listed && page?.value ? writersOf(id, page.value) : null
  if (!answer.value)
    return { startedAt: null, queueSeconds: undefined, steps: [], note: answer.reason, writers }
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
    writers,
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
