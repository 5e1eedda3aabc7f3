// Real receivers for the telemetry tests: Debian's Prometheus Pushgateway and Prometheus, each started on a
// free loopback port with its own temp dir (never the packaged services or their default ports), an OTLP/HTTP
// receiver that decodes with the protobuf code generated from OpenTelemetry's official .proto files, and a
// webhook receiver. Every server can be told to answer 5xx or to stay silent.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const PROMETHEUS = '/usr/bin/prometheus'
export const PUSHGATEWAY = '/usr/bin/prometheus-pushgateway'

/** Why the Prometheus tests cannot run here, or null when they can. */
export function prometheusMissing(): string | null {
  const missing = [PROMETHEUS, PUSHGATEWAY].filter((p) => !existsSync(p))
  return missing.length
    ? `${missing.join(' and ')} missing: apt-get install prometheus prometheus-pushgateway (.ci/run does)`
    : null
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

async function waitReady(url: string, child: ChildProcess, log: () => string, ms = 20_000): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}): ${log()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${url} not ready after ${ms} ms: ${log()}`)
}

class Daemon {
  private log = ''
  constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
  ) {
    child.stdout?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)))
    child.stderr?.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-4000)))
  }
  async ready(path: string): Promise<void> {
    await waitReady(`${this.url}${path}`, this.child, () => this.log)
  }
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r))
      this.child.kill('SIGTERM')
      let timer: NodeJS.Timeout | undefined
      await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))])
      clearTimeout(timer)
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
    }
    rmSync(this.dir, { recursive: true, force: true })
  }
}

export class Pushgateway extends Daemon {
  static async start(): Promise<Pushgateway> {
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'bt-pushgateway-'))
    const child = spawn(
      PUSHGATEWAY,
      [
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
        `--persistence.file=${join(dir, 'data')}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const pg = new Pushgateway(`http://127.0.0.1:${port}`, child, dir)
    await pg.ready('/-/ready')
    return pg
  }
}

export class Prometheus extends Daemon {
  /** Scrapes `pushgatewayUrl` every second with honor_labels, as the Pushgateway's docs require. */
  static async start(pushgatewayUrl: string): Promise<Prometheus> {
    const port = await freePort()
    const dir = mkdtempSync(join(tmpdir(), 'bt-prometheus-'))
    const config = join(dir, 'prometheus.yml')
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: pushgateway',
        '    honor_labels: true',
        '    static_configs:',
        `      - targets: ['${new URL(pushgatewayUrl).host}']`,
        '',
      ].join('\n'),
    )
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const p = new Prometheus(`http://127.0.0.1:${port}`, child, dir)
    await p.ready('/-/ready')
    return p
  }

  async query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`)
    const body = (await res.json()) as {
      status: string
      data: { result: { metric: Record<string, string>; value: [number, string] }[] }
    }
    if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`)
    return body.data.result
  }

  /** Polls until the query returns at least `n` series (a scrape happens every second). */
  async waitFor(
    promql: string,
    n: number,
    ms = 20_000,
  ): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const until = Date.now() + ms
    let last: Awaited<ReturnType<Prometheus['query']>> = []
    while (Date.now() < until) {
      last = await this.query(promql)
      if (last.length >= n) return last
      await new Promise((r) => setTimeout(r, 250))
    }
    return last
  }
}

export type Behaviour = 'ok' | '5xx' | 'silent'

/** A local HTTP receiver that records every request and answers as told. */
export class Receiver {
  behaviour: Behaviour = 'ok'
  readonly requests: { method: string; path: string; body: Buffer; headers: IncomingMessage['headers'] }[] =
    []
  private readonly hanging: ServerResponse[] = []
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    // The handler needs the receiver, which needs the server's port: a box breaks the cycle.
    const box: { self?: Receiver } = {}
    const server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        box.self?.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          body: Buffer.concat(chunks),
          headers: req.headers,
        })
        if (box.self?.behaviour === 'silent') {
          box.self.hanging.push(res)
          return
        }
        res.statusCode = box.self?.behaviour === '5xx' ? 503 : 200
        res.setHeader('content-type', req.headers['content-type'] ?? 'text/plain')
        res.end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const address = server.address()
    box.self = new Receiver(
      server,
      `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    )
    return box.self
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy()
    this.server.closeAllConnections()
    await new Promise((r) => this.server.close(r))
  }
}

// protobufjs code generated from opentelemetry-proto by @opentelemetry/otlp-transformer 0.200.0 (a dev-only alias).
const require = createRequire(import.meta.url)
interface Decoder {
  decode(buf: Uint8Array): unknown
  toObject(m: unknown, o: { longs: StringConstructor; bytes: StringConstructor; defaults: boolean }): unknown
}
const root = require('otlp-proto-definitions/build/src/generated/root.js') as {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: { ExportTraceServiceRequest: Decoder } }
        metrics: { v1: { ExportMetricsServiceRequest: Decoder } }
      }
    }
  }
}

export interface DecodedSpan {
  traceId: string
  spanId: string
  parentSpanId: string
  name: string
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Record<string, string | number | boolean>
  status?: { code?: number }
}

function attrs(
  list: { key: string; value: Record<string, unknown> }[] = [],
): Record<string, string | number | boolean> {
  return Object.fromEntries(
    list.map((a) => [
      a.key,
      (a.value.stringValue ?? a.value.intValue ?? a.value.doubleValue ?? a.value.boolValue) as string,
    ]),
  )
}

const hex = (b64: string | undefined): string => Buffer.from(b64 ?? '', 'base64').toString('hex')

export function decodeTraces(body: Buffer): { resource: Record<string, unknown>; spans: DecodedSpan[] } {
  const T = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest
  const msg = T.toObject(T.decode(body), { longs: String, bytes: String, defaults: false }) as {
    resourceSpans: {
      resource: { attributes: { key: string; value: Record<string, unknown> }[] }
      scopeSpans: {
        spans: (Omit<DecodedSpan, 'attributes' | 'traceId' | 'spanId' | 'parentSpanId'> & {
          traceId: string
          spanId: string
          parentSpanId?: string
          attributes: { key: string; value: Record<string, unknown> }[]
        })[]
      }[]
    }[]
  }
  const spans: DecodedSpan[] = []
  let resource = {}
  for (const rs of msg.resourceSpans ?? []) {
    resource = attrs(rs.resource?.attributes)
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? [])
        spans.push({
          ...s,
          traceId: hex(s.traceId),
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          attributes: attrs(s.attributes),
        })
  }
  return { resource, spans }
}

export function decodeMetrics(
  body: Buffer,
): { name: string; unit: string; points: { value: number; attributes: Record<string, unknown> }[] }[] {
  const M = root.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest
  const msg = M.toObject(M.decode(body), { longs: String, bytes: String, defaults: false }) as {
    resourceMetrics: {
      scopeMetrics: {
        metrics: {
          name: string
          unit: string
          gauge?: {
            dataPoints: {
              asDouble?: number
              asInt?: string
              attributes: { key: string; value: Record<string, unknown> }[]
            }[]
          }
        }[]
      }[]
    }[]
  }
  const out = []
  for (const rm of msg.resourceMetrics ?? [])
    for (const sm of rm.scopeMetrics ?? [])
      for (const m of sm.metrics ?? [])
        out.push({
          name: m.name,
          unit: m.unit,
          points: (m.gauge?.dataPoints ?? []).map((p) => ({
            value: Number(p.asDouble ?? p.asInt),
            attributes: attrs(p.attributes),
          })),
        })
  return out
}
