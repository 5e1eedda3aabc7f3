/**
 * OTLP/HTTP (protobuf) export of one job with the official OpenTelemetry JS SDK and exporters: the spans
 * and metrics are built in memory, then each exporter is called once and its result awaited, so a refused
 * or silent collector becomes one warning instead of the SDK's silent drop. Loaded on demand
 * (`await import`), so the doors only pay for the SDK when an `otlp+` target is set.
 */
import { createHash, randomBytes } from 'node:crypto'
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api'
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base'
import { metricPlan, tracePlan, type JobContext } from '../core/otel.js'
import type { Row } from '../core/schema.js'
import type { JobStep } from '../core/steps.js'

export interface OtlpJob {
  row: Row
  steps?: readonly JobStep[]
  context?: JobContext
}

/** The trace id a row always gets (the first 16 bytes of its row_id's SHA-256), so a retry is not a second trace. */
export function traceIdOf(rowId: string): string {
  return createHash('sha256').update(rowId).digest('hex').slice(0, 32)
}

class OneShotReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

type ExportResultLike = { code: number; error?: Error }

function exported<T>(
  exporter: { export(items: T, cb: (r: ExportResultLike) => void): void },
  items: T,
): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(items, (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error('export failed')))),
  )
}

/** Sends the job's trace, then its metrics, to `{base}/v1/traces` and `{base}/v1/metrics`; throws on refusal. */
export async function sendOtlp(
  base: string,
  job: OtlpJob,
  service: { version?: string },
  timeoutMs: number,
): Promise<void> {
  const resource = resourceFromAttributes({
    'service.name': 'build-timings',
    ...(service.version ? { 'service.version': service.version } : {}),
    ...(job.context?.pipelineName ? { 'cicd.pipeline.name': job.context.pipelineName } : {}),
  })
  const plan = tracePlan(job.row, traceIdOf(job.row.row_id), job.steps, job.context)
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({
    resource,
    idGenerator: {
      generateTraceId: () => plan.traceId,
      generateSpanId: () => randomBytes(8).toString('hex'),
    },
    spanProcessors: [new SimpleSpanProcessor(memory)],
  })
  const tracer = provider.getTracer('build-timings', service.version)
  const root = tracer.startSpan(
    plan.root.name,
    { kind: SpanKind.INTERNAL, startTime: plan.root.start, attributes: plan.root.attributes as Attributes },
    ROOT_CONTEXT,
  )
  const parent = trace.setSpan(ROOT_CONTEXT, root)
  for (const child of plan.children) {
    const span = tracer.startSpan(
      child.name,
      { startTime: child.start, attributes: child.attributes as Attributes },
      parent,
    )
    if (child.error) span.setStatus({ code: SpanStatusCode.ERROR })
    span.end(child.end)
  }
  if (plan.root.error)
    root.setStatus({
      code: SpanStatusCode.ERROR,
      message: String(plan.root.attributes['cicd.pipeline.task.run.result']),
    })
  root.end(plan.root.end)
  await provider.forceFlush()
  const spans: ReadableSpan[] = memory.getFinishedSpans()
  await provider.shutdown()

  const traces = new OTLPTraceExporter({ url: `${base}/v1/traces`, timeoutMillis: timeoutMs })
  try {
    await exported(traces, spans)
  } finally {
    await traces.shutdown().catch(() => undefined)
  }

  const reader = new OneShotReader()
  const meters = new MeterProvider({ resource, readers: [reader] })
  const meter = meters.getMeter('build-timings', service.version)
  const gauges = new Map<string, ReturnType<typeof meter.createGauge>>()
  for (const m of metricPlan(job.row, job.context)) {
    let gauge = gauges.get(m.name)
    if (!gauge) {
      gauge = meter.createGauge(m.name, { unit: m.unit, description: m.description })
      gauges.set(m.name, gauge)
    }
    gauge.record(m.value, m.attributes as Attributes)
  }
  const { resourceMetrics } = await reader.collect()
  await meters.shutdown().catch(() => undefined)
  const metrics = new OTLPMetricExporter({ url: `${base}/v1/metrics`, timeoutMillis: timeoutMs })
  try {
    await exported<ResourceMetrics>(metrics, resourceMetrics)
  } finally {
    await metrics.shutdown().catch(() => undefined)
  }
}
