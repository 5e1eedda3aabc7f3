import type { RecordResult } from '../app/record.js'
import type { JobStep } from '../core/steps.js'
import { sendJobTelemetry } from '../telemetry/job.js'
import type { PluginContext } from './context.js'
import type { StageTimings } from './drone-api.js'
import type { Log } from './output.js'

const iso = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString()

/** The Drone API's steps (with `drone_token`) as the trace's step spans. */
function stepsOf(timings: StageTimings): JobStep[] {
  return timings.steps.flatMap((s, i) =>
    s.started && s.stopped
      ? [
          {
            name: s.name,
            status: 'completed',
            conclusion: s.status === 'failure' ? 'failure' : (s.status ?? 'success'),
            number: i + 1,
            started_at: iso(s.started),
            completed_at: iso(s.stopped),
          },
        ]
      : [],
  )
}

/** Last: the recorded stage to the `export` targets and, when it went wrong, the `alert_webhook` (docs/export.md). */
export async function exportStage(
  ctx: PluginContext,
  stage: { result: RecordResult; timings: StageTimings; secrets: string[] },
  log: Log,
): Promise<void> {
  const { settings, ci } = ctx
  const { result } = stage
  const sent = await sendJobTelemetry(
    settings.telemetry,
    {
      row: result.row,
      steps: stepsOf(stage.timings),
      // A Drone pipeline is what the runner calls a stage.
      context: { pipelineName: ci.stageName || undefined, runUrl: ci.buildLink || undefined },
      regression: result.regression,
      regressionThreshold: settings.budgets.regression.threshold,
      cache: result.cache,
      hitRateAlert: settings.budgets.cache.hitRateAlert,
      flaky: result.flaky,
    },
    { maxWaitSeconds: settings.maxWaitSeconds, secrets: stage.secrets },
  )
  for (const warning of sent.warnings) log.say(warning)
  if (sent.delivered.length) log.say(`telemetry sent to ${sent.delivered.join(', ')}`)
}
