import type { TimingEvent } from '../core/row.js'
import { exitCodeForStatus } from '../core/row.js'
import { errorMessage } from '../core/errors.js'
import type { Status } from '../core/schema.js'
import type { PluginContext } from './context.js'
import type { PluginDeps } from './deps.js'
import { fetchStageTimings } from './drone-api.js'
import type { Log } from './output.js'
import type { Timings } from './tell.js'

const appendFlag = (flags: string, flag: string): string => (flags.trim() ? `${flags.trim()} ${flag}` : flag)

export async function stepTimings(ctx: PluginContext, deps: PluginDeps, log: Log): Promise<Timings> {
  const { ci, settings } = ctx
  const none = { steps: [], failed: false, queueSeconds: null }
  if (!settings.droneToken) return none
  if (ci.platform !== 'drone' || !ci.server || !ci.owner || !ci.name) {
    log.say('drone_token is only used on Drone with DRONE_SYSTEM_HOST set: going on without per-step timings')
    return none
  }
  try {
    return await fetchStageTimings({
      fetch: deps.fetch,
      server: ci.server,
      token: settings.droneToken,
      owner: ci.owner,
      name: ci.name,
      buildNumber: ci.buildNumber,
      stageNumber: ci.stageNumber,
    })
  } catch (e) {
    log.say(
      `per-step timings unavailable from ${ci.server} (${errorMessage(e)}): check drone_token; going on without them`,
    )
    return none
  }
}

/** The step's timing as the use case's event: the settings and the CI's variables, nothing judged. */
export function timingEvent(
  ctx: PluginContext,
  end: Date,
  timings: Timings,
  prNumber: number | null,
  secrets: string[],
): Omit<TimingEvent, 'budget' | 'cache'> {
  const { ci, settings } = ctx
  let status: Status = ci.status
  if (timings.failed && (status === 'success' || status === 'unknown')) status = 'failure'
  return {
    source: ci.platform,
    phase: settings.phase,
    env: settings.env,
    buildId: settings.buildId,
    start: ci.start ?? end,
    end,
    exitCode: exitCodeForStatus(status),
    status,
    flags: ci.start ? settings.flags : appendFlag(settings.flags, 'start=unknown'),
    repository: ci.repo || `${settings.registryOwner}/${settings.registryRepo}`,
    runId: ci.buildNumber,
    jobId: ci.stageNumber,
    jobKey: ci.stageNumber,
    ref: ci.ref,
    sha: ci.sha,
    prNumber: prNumber ?? undefined,
    runner: ci.runner,
    queueSeconds: timings.queueSeconds ?? ci.queueSeconds ?? undefined,
    secrets,
  }
}
