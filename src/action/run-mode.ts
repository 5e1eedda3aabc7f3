import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { loadBudgetsIn } from '../app/budgets-file.js'
import { recordRun, type TargetRun } from '../app/record-run.js'
import { csvSpool } from '../app/spool.js'
import { createClient } from '../github/octokit.js'
import { GitHubContentsStore } from '../registry/github-contents.js'
import { Output } from './constants.js'
import type { RunContext } from './context.js'
import type { ActionInputs } from './inputs.js'
import { actionLog, type ActionIO } from './io.js'
import type { StageVerdict } from './stage.js'

interface WorkflowRunPayload {
  workflow_run?: {
    id?: number
    run_attempt?: number
    name?: string
    head_sha?: string
    head_branch?: string
    pull_requests?: { number?: number }[]
    repository?: { full_name?: string }
  }
}

function workflowRunOf(ctx: RunContext, env: NodeJS.ProcessEnv): WorkflowRunPayload['workflow_run'] {
  try {
    if (ctx.eventName === 'workflow_run' && env.GITHUB_EVENT_PATH) {
      return (JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as WorkflowRunPayload).workflow_run
    }
  } catch {
    // An unreadable payload: record this run instead.
  }
  return undefined
}

/** The run to record: the one that triggered a `workflow_run` workflow, else this run. */
export function targetRun(ctx: RunContext, env: NodeJS.ProcessEnv, jobId: string): TargetRun {
  const wr = workflowRunOf(ctx, env)
  if (wr?.id) {
    const repository = wr.repository?.full_name ?? ctx.repository
    const [owner = '', repo = ''] = repository.split('/')
    return {
      repository,
      owner,
      repo,
      runId: String(wr.id),
      runAttempt: String(wr.run_attempt ?? 1),
      workflow: wr.name ?? ctx.workflow,
      ref: wr.head_branch ?? '',
      sha: wr.head_sha ?? '',
      prNumber: wr.pull_requests?.[0]?.number,
      selfJobId: '',
      selfJobName: '',
    }
  }
  const { repository, owner, repo, runId, runAttempt, workflow, ref, sha, prNumber } = ctx
  return {
    repository,
    owner,
    repo,
    runId,
    runAttempt,
    workflow,
    ref,
    sha,
    prNumber,
    selfJobId: jobId,
    selfJobName: ctx.job,
  }
}

/** `mode: run`, from main: the inputs into a run request, the outcome into outputs and the summary. */
export async function recordRunStage(
  io: ActionIO,
  inputs: ActionInputs,
  ctx: RunContext,
): Promise<StageVerdict> {
  const log = actionLog(io)
  const run = targetRun(ctx, io.env, inputs.jobId)
  if (!inputs.token) {
    log.warning('mode "run" reads the Jobs API and needs github-token (default ${{ github.token }}).')
    return null
  }
  const client = createClient({ token: inputs.token, baseUrl: ctx.apiUrl, log: log.info })
  let skipped: string | null = null
  if (inputs.dryRun) skipped = 'dry run: nothing was written to the registry'
  else if (ctx.readOnlyReason) skipped = `${ctx.readOnlyReason}: no registry write or comment was attempted`
  const outcome = await recordRun({
    client,
    run,
    // build-id defaults to this run's id; recorded from workflow_run, the triggering run's id is meant.
    fields: {
      ...inputs,
      buildId: !inputs.buildId || inputs.buildId === ctx.runId ? run.runId : inputs.buildId,
    },
    loadBudgets: async () => (await loadBudgetsIn(ctx.workspace, inputs.budgetsFile, log)).budgets,
    failOn: inputs.failOn,
    secrets: [inputs.token],
    store: new GitHubContentsStore({ client, ...inputs.registry }),
    skipped,
    comment: inputs.comment === 'auto',
    spool: csvSpool(resolve(ctx.runnerTemp || '.', 'build-timings', 'spool.csv')),
    log,
  })
  if (!outcome) return null
  await io.writeSummary(outcome.summary)
  io.setOutput(Output.Duration, String(outcome.totalSeconds))
  io.setOutput(Output.Status, outcome.status)
  io.setOutput(Output.BudgetStatus, outcome.worst)
  io.setOutput(Output.RowId, outcome.rows.map((r) => r.row_id).join('\n'))
  io.setOutput(Output.RegistryCommit, outcome.commit)
  return outcome.failure
}
