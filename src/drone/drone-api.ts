import { mapStatus } from './context.js'
import type { Status } from '../core/schema.js'

export interface StepTiming {
  name: string
  seconds: number
  /** Unix seconds, as the API gives them (for the OTLP trace's step spans). */
  started?: number
  stopped?: number
  status: Status | null
  exitCode: number | null
}

export interface StageTimings {
  steps: StepTiming[]
  /** A finished step of this stage failed: the live truth behind the status snapshot in the environment. */
  failed: boolean
  /** Seconds between the stage's creation and its start. */
  queueSeconds: number | null
}

export type Fetch = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal },
) => Promise<{
  ok: boolean
  status: number
  json: () => Promise<unknown>
}>

interface ApiStep {
  name?: string
  status?: string
  exit_code?: number
  started?: number
  stopped?: number
}
interface ApiStage {
  number?: number
  name?: string
  created?: number
  started?: number
  steps?: ApiStep[]
}

export class DroneApiError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message)
    this.name = 'DroneApiError'
  }
}

/**
 * Per-step timings are not in the environment (docs/architecture.md "Drone and Woodpecker"):
 * `GET /api/repos/{owner}/{name}/builds/{n}` with a user token returns `stages[].steps[]` with Unix-second
 * `started`/`stopped`. Steps still running (this one) have no `stopped` and are left out.
 */
export async function fetchStageTimings(opts: {
  fetch: Fetch
  server: string
  token: string
  owner: string
  name: string
  buildNumber: string
  stageNumber: string
  timeoutMs?: number
}): Promise<StageTimings> {
  const url = `${opts.server.replace(/\/+$/, '')}/api/repos/${encodeURIComponent(opts.owner)}/${encodeURIComponent(opts.name)}/builds/${encodeURIComponent(opts.buildNumber)}`
  const res = await opts.fetch(url, {
    headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  })
  if (!res.ok) throw new DroneApiError(res.status, `the Drone API answered ${res.status}`)
  const build = (await res.json()) as { stages?: ApiStage[] }
  const stages = Array.isArray(build?.stages) ? build.stages : []
  const stage =
    stages.find((s) => String(s.number) === opts.stageNumber) ?? (stages.length === 1 ? stages[0] : undefined)
  if (!stage) throw new DroneApiError(null, `stage ${opts.stageNumber} is not in build ${opts.buildNumber}`)
  const steps: StepTiming[] = []
  let failed = false
  for (const step of stage.steps ?? []) {
    const status = mapStatus(step.status)
    if (status === 'failure') failed = true
    if (!step.started || !step.stopped) continue
    steps.push({
      name: step.name ?? '',
      seconds: Math.max(0, step.stopped - step.started),
      started: step.started,
      stopped: step.stopped,
      status,
      exitCode: typeof step.exit_code === 'number' ? step.exit_code : null,
    })
  }
  const queueSeconds =
    stage.created && stage.started && stage.started >= stage.created ? stage.started - stage.created : null
  return { steps, failed, queueSeconds }
}
