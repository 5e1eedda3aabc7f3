import { errorMessage } from '../core/errors.js'
import type { JobStep } from '../core/steps.js'
import { httpError, isRateLimited, type GitHubClient } from './octokit.js'

/** A workflow job as this product uses it: no raw response leaves this module. */
export interface JobInfo {
  id: number
  runId: number
  runAttempt: number | null
  name: string
  status: string
  conclusion: string | null
  createdAt: string | null
  startedAt: string | null
  completedAt: string | null
  runnerName: string | null
  htmlUrl: string | null
  steps: JobStep[]
}

/** Either the value, or null and one line saying why it could not be read (never a throw). */
export type JobsAnswer<T> = { value: T; reason: null } | { value: null; reason: string }

interface RawStep {
  name?: string
  status?: string
  conclusion?: string | null
  number?: number
  started_at?: string | null
  completed_at?: string | null
}

interface RawJob {
  id: number
  run_id: number
  run_attempt?: number
  name?: string
  status?: string
  conclusion?: string | null
  created_at?: string | null
  started_at?: string | null
  completed_at?: string | null
  runner_name?: string | null
  html_url?: string | null
  steps?: RawStep[]
}

function toJob(raw: RawJob): JobInfo {
  return {
    id: raw.id,
    runId: raw.run_id,
    runAttempt: raw.run_attempt ?? null,
    name: raw.name ?? '',
    status: raw.status ?? 'unknown',
    conclusion: raw.conclusion ?? null,
    createdAt: raw.created_at ?? null,
    startedAt: raw.started_at ?? null,
    completedAt: raw.completed_at ?? null,
    runnerName: raw.runner_name ?? null,
    htmlUrl: raw.html_url ?? null,
    steps: (raw.steps ?? []).map((s, i) => ({
      name: s.name ?? '',
      status: s.status ?? 'unknown',
      conclusion: s.conclusion ?? null,
      number: s.number ?? i + 1,
      started_at: s.started_at ?? null,
      completed_at: s.completed_at ?? null,
    })),
  }
}

/** Why a Jobs API read failed, in one line that says what to do. */
export function jobsProblem(e: unknown, what: string): string {
  const h = httpError(e)
  if (isRateLimited(e)) return `GitHub rate limit reached while reading ${what}; steps are left out.`
  if (h?.status === 403)
    return `the token cannot read ${what}: grant "actions: read" to see where the time went.`
  if (h?.status === 404)
    return `${what} was not found (404); on GitHub Enterprise Server job ids may be unavailable.`
  if (h?.status === 401) return `the token was refused (401) while reading ${what}.`
  return `could not read ${what}: ${errorMessage(e)}`
}

/** `GET /repos/{owner}/{repo}/actions/jobs/{job_id}` (the job id is `${{ job.check_run_id }}`). */
export async function getJob(
  client: GitHubClient,
  owner: string,
  repo: string,
  jobId: number,
): Promise<JobsAnswer<JobInfo>> {
  try {
    const res = await client.rest.actions.getJobForWorkflowRun({ owner, repo, job_id: jobId })
    return { value: toJob(res.data as unknown as RawJob), reason: null }
  } catch (e) {
    return { value: null, reason: jobsProblem(e, `job ${jobId}`) }
  }
}

/**
 * Every job of one attempt of a run. The attempt endpoint, because the run endpoint answers for the latest
 * attempt only; paginated, because one page holds at most 100 jobs (docs/architecture.md "Inside a GitHub
 * Actions job": a peer that read one page saw only 30 jobs of a large workflow).
 */
export async function listRunJobs(
  client: GitHubClient,
  owner: string,
  repo: string,
  runId: number,
  attempt: number,
): Promise<JobsAnswer<JobInfo[]>> {
  try {
    const jobs = await client.paginate(client.rest.actions.listJobsForWorkflowRunAttempt, {
      owner,
      repo,
      run_id: runId,
      attempt_number: attempt,
      per_page: 100,
    })
    return { value: (jobs as unknown as RawJob[]).map(toJob), reason: null }
  } catch (e) {
    return { value: null, reason: jobsProblem(e, `the jobs of run ${runId} attempt ${attempt}`) }
  }
}

/**
 * The first page (up to 100 jobs) of one attempt of a run: this job's own record and its siblings' status in
 * one request, where `getJob` gives only the former.
 */
export async function runJobsFirstPage(
  client: GitHubClient,
  owner: string,
  repo: string,
  runId: number,
  attempt: number,
): Promise<JobsAnswer<JobInfo[]>> {
  try {
    const res = await client.rest.actions.listJobsForWorkflowRunAttempt({
      owner,
      repo,
      run_id: runId,
      attempt_number: attempt,
      per_page: 100,
    })
    return { value: (res.data.jobs as unknown as RawJob[]).map(toJob), reason: null }
  } catch (e) {
    return { value: null, reason: jobsProblem(e, `the jobs of run ${runId} attempt ${attempt}`) }
  }
}
