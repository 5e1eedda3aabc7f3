/**
 * The client bounds every request (a timeout on each, one deadline for all, retries and rate-limit waits
 * that would outlast it are not taken), against real local servers.
 */
import net from 'node:net'
import { Deadline, DeadlinePassed } from '../../src/core/deadline.js'
import { createClient, RequestTimedOut } from '../../src/github/octokit.js'
import { FakeGitHub, faults } from '../support/github-server.js'

let silent: net.Server
let silentUrl: string
const sockets = new Set<net.Socket>()
let connections = 0

beforeAll(async () => {
  silent = net.createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.resume()
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()))
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`
})
afterAll(async () => {
  for (const s of sockets) s.destroy()
  await new Promise<void>((resolve) => silent.close(() => resolve()))
})

test('a silent server: reads are asked again until the deadline, which ends the call on time', async () => {
  connections = 0
  const client = createClient({
    token: 'ghs_t',
    baseUrl: silentUrl,
    deadline: Deadline.after(1500, Date.now),
    requestTimeoutMs: 400,
  })
  const started = Date.now()
  await expect(client.rest.repos.get({ owner: 'acme', repo: 'widgets' })).rejects.toBeInstanceOf(
    DeadlinePassed,
  )
  const ms = Date.now() - started
  expect(ms).toBeGreaterThanOrEqual(1400)
  expect(ms).toBeLessThan(4000)
  expect(connections).toBeGreaterThanOrEqual(3)
})

test('a silent server: a write that times out is not sent again (it may have landed)', async () => {
  const client = createClient({ token: 'ghs_t', baseUrl: silentUrl, requestTimeoutMs: 300 })
  const before = connections
  await expect(
    client.rest.issues.createComment({ owner: 'acme', repo: 'widgets', issue_number: 1, body: 'x' }),
  ).rejects.toBeInstanceOf(RequestTimedOut)
  expect(connections - before).toBe(1)
})

test('past the deadline nothing is sent', async () => {
  const client = createClient({
    token: 'ghs_t',
    baseUrl: silentUrl,
    deadline: new Deadline(Date.now() - 1, Date.now),
  })
  const before = connections
  await expect(client.rest.repos.get({ owner: 'acme', repo: 'widgets' })).rejects.toBeInstanceOf(
    DeadlinePassed,
  )
  expect(connections).toBe(before)
})

describe('against the local GitHub', () => {
  let gh: FakeGitHub
  beforeEach(async () => {
    gh = await FakeGitHub.start()
    gh.addToken('ghs_w', { contents: 'write' })
  })
  afterEach(async () => {
    await gh.close()
  })

  test('a retry-after longer than the time left is not waited: the 403 comes back at once', async () => {
    gh.injectFault(faults.secondaryRateLimit({ headers: { 'retry-after': '5' } }))
    const client = createClient({ token: 'ghs_w', baseUrl: gh.url, deadline: Deadline.after(2000, Date.now) })
    const started = Date.now()
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'widgets' })).rejects.toMatchObject({
      status: 403,
    })
    expect(Date.now() - started).toBeLessThan(1000)
  })

  test('a short retry-after within the deadline is waited out', async () => {
    gh.injectFault(faults.secondaryRateLimit({ headers: { 'retry-after': '1' } }))
    const client = createClient({
      token: 'ghs_w',
      baseUrl: gh.url,
      deadline: Deadline.after(10_000, Date.now),
    })
    expect((await client.rest.repos.get({ owner: 'acme', repo: 'widgets' })).status).toBe(200)
  })

  test('5xx: retried while the retry wait fits before the deadline, not after', async () => {
    gh.injectFault(faults.serverErrors(502, 10))
    const client = createClient({ token: 'ghs_w', baseUrl: gh.url, deadline: Deadline.after(2500, Date.now) })
    const started = Date.now()
    await expect(client.rest.repos.get({ owner: 'acme', repo: 'widgets' })).rejects.toMatchObject({
      status: 502,
    })
    // One retry after 1 s fits; the next would wait 4 s.
    expect(gh.requests).toHaveLength(2)
    expect(Date.now() - started).toBeLessThan(2500)
  })

  test('two writes in a row are not paced a second apart', async () => {
    const client = createClient({ token: 'ghs_w', baseUrl: gh.url })
    const started = Date.now()
    await client.rest.git.createBlob({ owner: 'acme', repo: 'widgets', content: 'a' })
    await client.rest.git.createBlob({ owner: 'acme', repo: 'widgets', content: 'b' })
    await client.rest.git.createBlob({ owner: 'acme', repo: 'widgets', content: 'c' })
    await client.rest.git.createBlob({ owner: 'acme', repo: 'widgets', content: 'd' })
    // Paced a second apart, four writes take at least three seconds.
    expect(Date.now() - started).toBeLessThan(2500)
  })
})

test('the client answers a GHES-style base URL with /api/v3', async () => {
  const gh = await FakeGitHub.start()
  try {
    gh.addToken('ghs_w', { contents: 'read' })
    const client = createClient({ token: 'ghs_w', baseUrl: `${gh.url}/api/v3/` })
    expect((await client.rest.repos.get({ owner: 'acme', repo: 'widgets' })).status).toBe(200)
  } finally {
    await gh.close()
  }
})
