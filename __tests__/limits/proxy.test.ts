/**
 * A self-hosted runner behind a proxy: the bundles send GitHub requests through HTTPS_PROXY (HTTP_PROXY for
 * an http:// API URL), honour NO_PROXY, and reach the local GitHub through a real local proxy. The proxy
 * tunnels CONNECT and forwards absolute-URI requests; it resolves every host to the local GitHub, so the
 * API's host name (github.test) exists only behind it.
 * Run `npm run bundle` after changing src/.
 */
import { execFile } from 'node:child_process'
import http from 'node:http'
import net from 'node:net'
import { join } from 'node:path'
import { HEADER_LINE } from '../../src/core/schema.js'
import { ROOT, SimulatedJob } from '../support/action-runner.js'
import { FakeGitHub } from '../support/github-server.js'
import { MACHINE_NODE } from '../support/runtimes.js'

const TOKEN = 'ghs_' + 'P1r2O3x4Y5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'

interface Proxy {
  url: string
  /** `CONNECT host:port` and `GET http://host:port/…` lines the proxy served. */
  seen: string[]
  close: () => Promise<void>
}

async function startProxy(target: { host: string; port: number }): Promise<Proxy> {
  const seen: string[] = []
  const sockets = new Set<net.Socket>()
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const url = new URL(req.url ?? '/')
    const upstream = http.request(
      {
        host: target.host,
        port: target.port,
        method: req.method,
        path: url.pathname + url.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`)
    const upstream = net.connect(target.port, target.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
    }
  })
  server.on('connection', (s: net.Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    seen,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

let gh: FakeGitHub
let proxy: Proxy
let apiUrl: string
const jobs: SimulatedJob[] = []

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', actions: 'read' })
  await gh.commitFile(REGISTRY, CI_FILE, `${HEADER_LINE}\n`)
  const port = Number(new URL(gh.url).port)
  proxy = await startProxy({ host: '127.0.0.1', port })
  apiUrl = `http://github.test:${port}`
})
afterEach(async () => {
  for (const j of jobs.splice(0)) j.cleanup()
  await proxy.close()
  await gh.close()
})

const proxyEnv = (): Record<string, string> => ({
  HTTPS_PROXY: proxy.url,
  HTTP_PROXY: proxy.url,
  https_proxy: proxy.url,
  http_proxy: proxy.url,
})

test('the action bundle: post reaches GitHub through the proxy, and the row lands', async () => {
  const j = new SimulatedJob({ apiUrl, token: TOKEN, jobId: null, extraEnv: proxyEnv() })
  jobs.push(j)
  await j.run('pre')
  const post = await j.run('post')
  expect(post.code).toBe(0)
  expect(post.commands.filter((c) => c.kind === 'warning')).toEqual([])
  expect(await gh.readFile(REGISTRY, CI_FILE)).toContain(post.outputs['row-id'])
  expect(proxy.seen.length).toBeGreaterThan(0)
  expect(proxy.seen.every((l) => l.includes(`github.test:${new URL(apiUrl).port}`))).toBe(true)
  expect(gh.requests.some((r) => r.method === 'PUT')).toBe(true)
}, 60_000)

test('the action bundle: NO_PROXY naming the API host sends nothing through the proxy', async () => {
  // github.test resolves nowhere outside the proxy: the post cannot reach GitHub, keeps the row, exits 0.
  const j = new SimulatedJob({
    apiUrl,
    token: TOKEN,
    jobId: null,
    extraEnv: { ...proxyEnv(), NO_PROXY: 'github.test', no_proxy: 'github.test' },
    with: { 'max-wait': '5s' },
  })
  jobs.push(j)
  await j.run('pre')
  const post = await j.run('post')
  expect(post.code).toBe(0)
  expect(proxy.seen).toEqual([])
  expect(post.summary).toContain(HEADER_LINE)
}, 60_000)

test('the CLI bundle: record into a github: registry through the proxy', async () => {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/tmp',
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: apiUrl,
    ...proxyEnv(),
  }
  const args = [join(ROOT, 'dist/cli/index.js'), 'record', '--registry', 'github:acme/widgets', '--env', 'ci']
  args.push('--phase', 'proxy', '--build-id', 'p1', '--exit-code', '0')
  args.push('--start', '2026-11-22T10:00:00Z', '--end', '2026-11-22T10:05:00Z')
  const result = await new Promise<{ code: number; stderr: string }>((done) =>
    execFile(MACHINE_NODE, args, { env, cwd: '/tmp', timeout: 60_000 }, (err, _out, stderr) =>
      done({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    ),
  )
  expect(result.stderr).not.toContain(TOKEN)
  expect(result.code).toBe(0)
  expect(await gh.readFile(REGISTRY, CI_FILE)).toMatch(/,proxy,ci,p1,/)
  expect(proxy.seen.length).toBeGreaterThan(0)
}, 60_000)
