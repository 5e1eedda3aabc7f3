/**
 * Sends a recorded job to its export targets and the alert webhook, all at once and fail-open (docs/export.md):
 * whatever a target does (refuses, answers 5xx, never answers), this returns within `maxWaitMs` with one
 * warning per target that did not take the job, and never throws. The row is already in the registry
 * (or kept) before this runs: telemetry can only add, never lose.
 */
import { alertMessage, type AlertFacts } from '../core/alerts.js'
import { errorMessage } from '../core/errors.js'
import type { JobContext } from '../core/otel.js'
import { groupingOf, prometheusText, pushgatewayPath } from '../core/prometheus.js'
import { redactSecrets } from '../core/sanitize.js'
import type { Row } from '../core/schema.js'
import type { JobStep } from '../core/steps.js'
import type { ExportTarget } from '../core/telemetry.js'

export interface TelemetryJob {
  row: Row
  steps?: readonly JobStep[]
  context?: JobContext
  /** What the alert needs beyond the row. */
  alert?: Omit<AlertFacts, 'row' | 'runUrl'>
}

export interface DeliverOptions {
  targets: readonly ExportTarget[]
  webhook?: { url: string; label: string } | null
  maxWaitMs: number
  /** The product's version, as the OTLP `service.version` (left out when unknown). */
  version?: string
  secrets?: readonly string[]
}

export interface DeliverResult {
  /** One line per target that did not take the job: what happened, what to do. */
  warnings: string[]
  /** Labels of the targets that took it. */
  delivered: string[]
  alerted: boolean
}

export async function deliverTelemetry(job: TelemetryJob, opts: DeliverOptions): Promise<DeliverResult> {
  const result: DeliverResult = { warnings: [], delivered: [], alerted: false }
  const started = Date.now()
  const controller = new AbortController()
  const tasks: { label: string; run: (signal: AbortSignal, timeoutMs: number) => Promise<void> }[] = []
  for (const target of opts.targets) {
    tasks.push({
      label: target.label,
      run:
        target.kind === 'pushgateway'
          ? (signal) => pushToGateway(target.url, job.row, signal)
          : async (_signal, timeoutMs) => {
              const { sendOtlp } = await import('./otlp.js')
              await sendOtlp(target.url, job, { version: opts.version }, timeoutMs)
            },
    })
  }
  const message = opts.webhook
    ? alertMessage({ ...job.alert, row: job.row, runUrl: job.context?.runUrl }, opts.secrets)
    : null
  if (opts.webhook && message) {
    const url = opts.webhook.url
    tasks.push({
      label: `alert webhook ${opts.webhook.label}`,
      run: (signal) => postJson(url, message, signal),
    })
  }
  if (!tasks.length) return result

  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), opts.maxWaitMs)
  })
  const outcomes = tasks.map((task) =>
    task
      .run(controller.signal, Math.max(1000, opts.maxWaitMs - (Date.now() - started)))
      .then(() => ({ task, error: null as unknown }))
      .catch((error: unknown) => ({ task, error })),
  )
  const settled = await Promise.race([Promise.all(outcomes), deadline])
  clearTimeout(timer)
  controller.abort()
  const seconds = Math.round(opts.maxWaitMs / 1000)
  if (settled === 'timeout') {
    // Whatever finished in time counts; the rest is named once.
    const done = await Promise.all(outcomes.map((o) => Promise.race([o, Promise.resolve(null)])))
    for (const [i, task] of tasks.entries()) {
      const o = done[i]
      if (o && !o.error) note(result, task.label)
      else if (o) result.warnings.push(failure(task.label, o.error, opts.secrets))
      else
        result.warnings.push(
          `telemetry: ${task.label} did not answer within max-wait (${seconds}s); the job is recorded, only this export was skipped: check that the endpoint is reachable from the runner.`,
        )
    }
  } else {
    for (const o of settled) {
      if (o.error) result.warnings.push(failure(o.task.label, o.error, opts.secrets))
      else note(result, o.task.label)
    }
  }
  result.alerted = result.delivered.some((l) => l.startsWith('alert webhook'))
  return result
}

function note(result: DeliverResult, label: string): void {
  result.delivered.push(label)
}

function failure(label: string, e: unknown, secrets: readonly string[] = []): string {
  // fetch says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND) is what the user can act on.
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause
  const why = `${errorMessage(e)}${cause ? `: ${cause.code ?? cause.message ?? ''}` : ''}`
  return redactSecrets(
    `telemetry: ${label} refused the job (${why.replace(/\s+/g, ' ').slice(0, 200)}); the job is recorded, only this export was skipped: check the endpoint and its logs.`,
    secrets,
  )
}

/** PUT replaces the whole (job, phase, env) group, so a phase's gauges always describe its last run. */
export async function pushToGateway(base: string, row: Row, signal: AbortSignal): Promise<void> {
  const res = await fetch(`${base}${pushgatewayPath(groupingOf(row))}`, {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
    body: prometheusText(row),
    signal,
  })
  if (!res.ok)
    throw new Error(`HTTP ${res.status} ${(await res.text().catch(() => '')).trim().slice(0, 120)}`)
  await res.body?.cancel().catch(() => undefined)
}

export async function postJson(url: string, body: unknown, signal: AbortSignal): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  })
  // The webhook's URL is its secret: the status is all a message may say about it.
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  await res.body?.cancel().catch(() => undefined)
}
