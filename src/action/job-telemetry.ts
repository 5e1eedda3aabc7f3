import type { UseCaseLog } from '../app/ports.js'
import type { RecordResult } from '../app/record.js'
import type { Budgets } from '../core/budgets.js'
import { sendJobTelemetry } from '../telemetry/job.js'
import type { RunContext } from './context.js'
import type { ActionInputs } from './inputs.js'
import type { JobTiming } from './job-timing.js'

/** post, last: the recorded job to the `export` targets and, when it went wrong, the `alert-webhook`. */
export async function exportJob(
  inputs: ActionInputs,
  ctx: RunContext,
  job: { result: RecordResult; timing: JobTiming | null; budgets: Budgets; secrets: string[] },
  log: UseCaseLog,
): Promise<void> {
  const { result, timing, budgets } = job
  const run = `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}/attempts/${ctx.runAttempt || '1'}`
  const sent = await sendJobTelemetry(
    inputs.telemetry,
    {
      row: result.row,
      steps: timing?.steps,
      context: {
        pipelineName: ctx.workflow || undefined,
        runUrl: run,
        jobUrl: inputs.jobId
          ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}/job/${inputs.jobId}`
          : undefined,
        repositoryUrl: `${ctx.serverUrl}/${ctx.repository}`,
      },
      regression: result.regression,
      regressionThreshold: budgets.regression.threshold,
      cache: result.cache,
      hitRateAlert: budgets.cache.hitRateAlert,
      flaky: result.flaky,
    },
    { maxWaitSeconds: inputs.maxWaitSeconds, secrets: job.secrets },
  )
  for (const warning of sent.warnings) log.warning(warning)
  if (sent.delivered.length) log.info(`telemetry sent to ${sent.delivered.join(', ')}`)
}
