export const id = 896;
export const ids = [896];
export const modules = {

/***/ 71896:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  sendOtlp: () => (/* binding */ sendOtlp)
});

// UNUSED EXPORTS: traceIdOf

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/@opentelemetry/api/build/src/index.js
var src = __webpack_require__(63914);
// EXTERNAL MODULE: ./node_modules/@opentelemetry/exporter-metrics-otlp-proto/build/src/index.js
var build_src = __webpack_require__(8458);
// EXTERNAL MODULE: ./node_modules/@opentelemetry/exporter-trace-otlp-proto/build/src/index.js
var exporter_trace_otlp_proto_build_src = __webpack_require__(57358);
// EXTERNAL MODULE: ./node_modules/@opentelemetry/resources/build/src/index.js
var resources_build_src = __webpack_require__(75647);
// EXTERNAL MODULE: ./node_modules/@opentelemetry/sdk-metrics/build/src/index.js
var sdk_metrics_build_src = __webpack_require__(89174);
// EXTERNAL MODULE: ./node_modules/@opentelemetry/sdk-trace-base/build/src/index-shim.js
var index_shim = __webpack_require__(19644);
;// CONCATENATED MODULE: ./src/core/otel.ts
/** `cicd.pipeline.task.run.result` (and `cicd.pipeline.result`) values. */
function cicdResult(row) {
    if (row.budget_status === 'timeout')
        return 'timeout';
    switch (row.status) {
        case 'success':
            return 'success';
        case 'failure':
            return 'failure';
        case 'cancelled':
            return 'cancellation';
        case 'skipped':
            return 'skip';
        default:
            return 'error';
    }
}
function jobAttributes(row, ctx) {
    const a = {};
    const put = (k, v) => {
        if (v !== undefined && v !== '')
            a[k] = v;
    };
    put('cicd.pipeline.name', ctx.pipelineName);
    put('cicd.pipeline.run.id', row.run_id || row.build_id);
    put('cicd.pipeline.run.url.full', ctx.runUrl);
    put('cicd.pipeline.task.name', row.phase);
    put('cicd.pipeline.task.run.id', row.job_id);
    put('cicd.pipeline.task.run.url.full', ctx.jobUrl);
    put('cicd.pipeline.task.run.result', cicdResult(row));
    put('cicd.worker.name', row.runner);
    put('vcs.repository.name', row.repository.split('/').pop());
    put('vcs.owner.name', row.repository.includes('/') ? row.repository.split('/')[0] : undefined);
    put('vcs.repository.url.full', ctx.repositoryUrl);
    put('vcs.ref.head.name', row.ref.replace(/^refs\/(heads|tags)\//, ''));
    put('vcs.ref.head.revision', row.sha);
    put('vcs.change.id', row.pr_number);
    put('deployment.environment.name', row.env);
    put('build_timings.source', row.source);
    put('build_timings.build_id', row.build_id);
    put('build_timings.row_id', row.row_id);
    put('build_timings.budget.status', row.budget_status);
    return a;
}
/** The job and its completed steps; steps without both timestamps are left out, as in the job summary. */
function tracePlan(row, traceId, steps = [], ctx = {}) {
    const start = new Date(row.start_time_utc);
    const end = new Date(row.end_time_utc);
    const result = cicdResult(row);
    const children = [];
    for (const s of steps) {
        if (!s.started_at || !s.completed_at)
            continue;
        const from = new Date(s.started_at);
        const to = new Date(s.completed_at);
        if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
            continue;
        children.push({
            name: s.name,
            start: from,
            // Skipped steps can complete before they start (docs/architecture.md "Inside a GitHub Actions job"): a zero-length span, never a negative one.
            end: to < from ? from : to,
            attributes: {
                'cicd.pipeline.task.name': row.phase,
                'build_timings.step.number': s.number,
                'build_timings.step.conclusion': s.conclusion ?? s.status,
            },
            error: s.conclusion === 'failure',
        });
    }
    return {
        traceId,
        root: {
            name: `RUN ${row.phase}`,
            start,
            end,
            attributes: { 'cicd.pipeline.action.name': 'RUN', ...jobAttributes(row, ctx) },
            error: result === 'failure' || result === 'error' || result === 'timeout',
        },
        children,
    };
}
/** Metrics of one job; figures the row does not know are left out, never sent as 0. */
function metricPlan(row, ctx = {}) {
    const base = {};
    for (const [k, v] of Object.entries(jobAttributes(row, ctx))) {
        // Per-run identities would make every job its own time series: kept on the trace, not the metrics.
        if (!/run\.id|run\.url|row_id|build_id|revision|change\.id/.test(k))
            base[k] = v;
    }
    const out = [];
    const add = (name, unit, description, cell, scale = 1, extra = {}) => {
        if (cell === '' || !Number.isFinite(Number(cell)))
            return;
        out.push({ name, unit, description, value: Number(cell) * scale, attributes: { ...base, ...extra } });
    };
    const MIB = 1024 * 1024;
    add('build_timings.task.duration', 's', 'Duration of the job (pipeline task run).', row.duration_seconds);
    add('build_timings.task.queue_time', 's', 'Time the job waited for a runner.', row.queue_seconds);
    add('build_timings.budget.target', 's', 'Target duration of the phase.', row.budget_target_seconds);
    add('build_timings.budget.max', 's', 'Maximum duration of the phase.', row.budget_max_seconds);
    add('build_timings.cache.hits', '{lookup}', 'Cache lookups that hit.', row.cache_hits);
    add('build_timings.cache.lookups', '{lookup}', 'Cache lookups.', row.cache_lookups);
    add('build_timings.cpu.utilization', '1', 'Average busy share of the machine CPUs.', row.cpu_avg_percent, 0.01);
    add('build_timings.memory.peak', 'By', 'Peak memory in use on the machine.', row.mem_peak_mb, MIB);
    add('build_timings.disk.io', 'By', 'Bytes read from disk.', row.disk_read_mb, MIB, {
        'disk.io.direction': 'read',
    });
    add('build_timings.disk.io', 'By', 'Bytes written to disk.', row.disk_write_mb, MIB, {
        'disk.io.direction': 'write',
    });
    add('build_timings.network.io', 'By', 'Bytes received.', row.net_rx_mb, MIB, {
        'network.io.direction': 'receive',
    });
    add('build_timings.network.io', 'By', 'Bytes sent.', row.net_tx_mb, MIB, {
        'network.io.direction': 'transmit',
    });
    return out;
}

;// CONCATENATED MODULE: ./src/telemetry/otlp.ts
/**
 * OTLP/HTTP (protobuf) export of one job with the official OpenTelemetry JS SDK and exporters: the spans
 * and metrics are built in memory, then each exporter is called once and its result awaited, so a refused
 * or silent collector becomes one warning instead of the SDK's silent drop. Loaded on demand
 * (`await import`), so the doors only pay for the SDK when an `otlp+` target is set.
 */








/** The trace id a row always gets (the first 16 bytes of its row_id's SHA-256), so a retry is not a second trace. */
function traceIdOf(rowId) {
    return (0,external_node_crypto_.createHash)('sha256').update(rowId).digest('hex').slice(0, 32);
}
class OneShotReader extends sdk_metrics_build_src.MetricReader {
    async onForceFlush() { }
    async onShutdown() { }
}
function exported(exporter, items) {
    return new Promise((resolve, reject) => exporter.export(items, (r) => (r.code === 0 ? resolve() : reject(r.error ?? new Error('export failed')))));
}
/** Sends the job's trace, then its metrics, to `{base}/v1/traces` and `{base}/v1/metrics`; throws on refusal. */
async function sendOtlp(base, job, service, timeoutMs) {
    const resource = (0,resources_build_src.resourceFromAttributes)({
        'service.name': 'build-timings',
        ...(service.version ? { 'service.version': service.version } : {}),
        ...(job.context?.pipelineName ? { 'cicd.pipeline.name': job.context.pipelineName } : {}),
    });
    const plan = tracePlan(job.row, traceIdOf(job.row.row_id), job.steps, job.context);
    const memory = new index_shim/* InMemorySpanExporter */.O4();
    const provider = new index_shim/* BasicTracerProvider */.l({
        resource,
        idGenerator: {
            generateTraceId: () => plan.traceId,
            generateSpanId: () => (0,external_node_crypto_.randomBytes)(8).toString('hex'),
        },
        spanProcessors: [new index_shim/* SimpleSpanProcessor */.tg(memory)],
    });
    const tracer = provider.getTracer('build-timings', service.version);
    const root = tracer.startSpan(plan.root.name, { kind: src.SpanKind.INTERNAL, startTime: plan.root.start, attributes: plan.root.attributes }, src.ROOT_CONTEXT);
    const parent = src.trace.setSpan(src.ROOT_CONTEXT, root);
    for (const child of plan.children) {
        const span = tracer.startSpan(child.name, { startTime: child.start, attributes: child.attributes }, parent);
        if (child.error)
            span.setStatus({ code: src.SpanStatusCode.ERROR });
        span.end(child.end);
    }
    if (plan.root.error)
        root.setStatus({
            code: src.SpanStatusCode.ERROR,
            message: String(plan.root.attributes['cicd.pipeline.task.run.result']),
        });
    root.end(plan.root.end);
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    await provider.shutdown();
    const traces = new exporter_trace_otlp_proto_build_src/* OTLPTraceExporter */.Q({ url: `${base}/v1/traces`, timeoutMillis: timeoutMs });
    try {
        await exported(traces, spans);
    }
    finally {
        await traces.shutdown().catch(() => undefined);
    }
    const reader = new OneShotReader();
    const meters = new sdk_metrics_build_src.MeterProvider({ resource, readers: [reader] });
    const meter = meters.getMeter('build-timings', service.version);
    const gauges = new Map();
    for (const m of metricPlan(job.row, job.context)) {
        let gauge = gauges.get(m.name);
        if (!gauge) {
            gauge = meter.createGauge(m.name, { unit: m.unit, description: m.description });
            gauges.set(m.name, gauge);
        }
        gauge.record(m.value, m.attributes);
    }
    const { resourceMetrics } = await reader.collect();
    await meters.shutdown().catch(() => undefined);
    const metrics = new build_src/* OTLPMetricExporter */.r({ url: `${base}/v1/metrics`, timeoutMillis: timeoutMs });
    try {
        await exported(metrics, resourceMetrics);
    }
    finally {
        await metrics.shutdown().catch(() => undefined);
    }
}


/***/ })

};
