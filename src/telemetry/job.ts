/**
 * What a door calls, in a few lines, to give a job its resources and its telemetry (docs/export.md). Plain values
 * in and out: the door owns the state keys, the inputs and how a warning is shown.
 */
import type { Row } from '../core/schema.js'
import type { Regression } from '../core/stats.js'
import type { JobStep } from '../core/steps.js'
import { hasTelemetry, type TelemetryConfig } from '../core/telemetry.js'
import type { JobContext } from '../core/otel.js'
import { deliverTelemetry } from './deliver.js'

export interface JobFacts {
  row: Row
  steps?: readonly JobStep[]
  context?: JobContext
  regression?: Regression
  regressionThreshold?: number
  cache?: { rate: number | null; verdict: 'met' | 'not_met' | 'alert' | 'none' }
  hitRateAlert?: number
  flaky?: boolean
}

/**
 * Sends the recorded job to every target and, when it went wrong, one alert. Returns the warning lines
 * (empty when all went well); never throws and never takes longer than `maxWaitSeconds`.
 */
export async function sendJobTelemetry(
  config: TelemetryConfig,
  facts: JobFacts,
  opts: { maxWaitSeconds: number; version?: string; secrets?: readonly string[] },
): Promise<{ warnings: string[]; delivered: string[] }> {
  if (!hasTelemetry(config)) return { warnings: [], delivered: [] }
  try {
    const result = await deliverTelemetry(
      {
        row: facts.row,
        steps: facts.steps,
        context: facts.context,
        alert: {
          regression: facts.regression,
          regressionThreshold: facts.regressionThreshold,
          cache: facts.cache,
          hitRateAlert: facts.hitRateAlert,
          flaky: facts.flaky,
        },
      },
      {
        targets: config.targets,
        webhook: config.webhook,
        maxWaitMs: Math.max(1, opts.maxWaitSeconds) * 1000,
        version: opts.version,
        secrets: opts.secrets,
      },
    )
    return { warnings: result.warnings, delivered: result.delivered }
  } catch (e) {
    // deliverTelemetry catches per target; this is the last net for the product's own bug.
    return {
      warnings: [`telemetry: not sent (${e instanceof Error ? e.message : String(e)}); the job is recorded.`],
      delivered: [],
    }
  }
}
