import type { GitHubClient } from '../github/octokit.js'
import { httpError } from '../github/octokit.js'
import type { RunContext } from './context.js'

export interface JobTiming {
  startedAt: string | null
  queueSeconds: number | undefined
  steps: {
    name: string
    status: string
    conclusion: string | null
    number: number
    started_at?: string | null
    completed_at?: string | null
  }[]
}

/** This job from the Jobs API by `job-id`; null without `actions: read` or off GitHub.com (FACTS). */
export async function jobTiming(
  client: GitHubClient,
  ctx: RunContext,
  jobId: string,
  log: (l: string) => void,
): Promise<JobTiming | null> {
  if (!/^\d+$/.test(jobId)) return null
  try {
    const { data } = await client.rest.actions.getJobForWorkflowRun({
      owner: ctx.owner,
      repo: ctx.repo,
      job_id: Number(jobId),
    })
    const created = Date.parse(data.created_at ?? '')
    const started = Date.parse(data.started_at ?? '')
    return {
      startedAt: data.started_at ?? null,
      queueSeconds:
        Number.isFinite(created) && Number.isFinite(started)
          ? Math.max(0, Math.round((started - created) / 1000))
          : undefined,
      steps: (data.steps ?? []) as JobTiming['steps'],
    }
  } catch (e) {
    const status = httpError(e)?.status
    log(
      status === 403
        ? 'no step timings: the token lacks "actions: read"'
        : `no step timings (${status ?? 'network'} from the Jobs API)`,
    )
    return null
  }
}
