/** `mode: run` through the committed bundles: every finished job of a run, one commit. */
import { parse } from 'csv-parse/sync'
import { FakeGitHub, type JobFixture } from '../support/github-server.js'
import { SimulatedJob, type JobOptions } from '../support/action-runner.js'

const TOKEN = 'ghs_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const T0 = Date.UTC(2026, 10, 22, 9, 0, 0)
const at = (s: number): string => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z')

let server: FakeGitHub
const jobs: SimulatedJob[] = []
beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(TOKEN, { contents: 'write', pullRequests: 'write', actions: 'read' })
})
afterEach(async () => {
  for (const j of jobs.splice(0)) j.cleanup()
  await server.close()
})

function job(opts: Partial<JobOptions>): SimulatedJob {
  const j = new SimulatedJob({
    apiUrl: server.url,
    token: TOKEN,
    ...opts,
    with: { mode: 'run', ...opts.with },
  })
  jobs.push(j)
  return j
}

function fixture(
  runId: number,
  id: number,
  name: string,
  conclusion: string | null,
  start: number,
  end: number | null,
): JobFixture {
  return {
    id,
    run_id: runId,
    run_attempt: 1,
    name,
    status: end === null ? 'in_progress' : 'completed',
    conclusion,
    created_at: at(start - 4),
    started_at: at(start),
    completed_at: end === null ? null : at(end),
    runner_name: `runner-${id}`,
    steps: [],
  }
}

const rowsOf = (text: string | null): Record<string, string>[] =>
  text ? (parse(text, { columns: true }) as Record<string, string>[]) : []

test('a final job records every finished job of its own run in one commit, once', async () => {
  server.addPullRequest({ number: 3, head_sha: 'c'.repeat(40) })
  server.setJobs(1001, 1, [
    fixture(1001, 11, 'lint', 'success', 0, 42),
    fixture(1001, 12, 'test (ubuntu, 20)', 'success', 0, 185),
    fixture(1001, 13, 'test (windows, 20)', 'failure', 2, 300),
    fixture(1001, 14, 'e2e', 'timed_out', 5, 1805),
    fixture(1001, 15, 'docs', 'skipped', 10, 10),
    fixture(1001, 99, 'timings', null, 1810, null),
  ])
  const event = {
    name: 'pull_request',
    payload: {
      number: 3,
      pull_request: { number: 3, head: { sha: 'c'.repeat(40), repo: { full_name: 'acme/widgets' } } },
    },
  }
  const j = job({ job: 'timings', jobId: 99, event })
  const main = await j.run('main')
  expect(main.code).toBe(0)
  const commits = await server.commits(REGISTRY)
  expect(commits).toHaveLength(1)
  expect(commits[0]?.message).toBe('build-timings: 5 rows ci [skip ci]')
  const rows = rowsOf(await server.readFile(REGISTRY, CI_FILE))
  expect(
    rows.map((r) => [r.phase, r.status, r.exit_code, r.duration_seconds, r.queue_seconds, r.source]),
  ).toEqual([
    ['lint', 'success', '0', '42', '4', 'github-run'],
    ['test (ubuntu, 20)', 'success', '0', '185', '4', 'github-run'],
    ['test (windows, 20)', 'failure', '1', '298', '4', 'github-run'],
    ['e2e', 'failure', '1', '1800', '4', 'github-run'],
    ['docs', 'skipped', '0', '0', '4', 'github-run'],
  ])
  expect(rows[0]?.row_id).toBe('gh/acme/widgets/1001/1/11/lint')
  expect(main.outputs['registry-commit']).toBe(commits[0]?.sha)
  const comment = server.comments(3)
  expect(comment).toHaveLength(1)
  for (const phase of ['lint', 'test (ubuntu, 20)', 'test (windows, 20)', 'e2e', 'docs'])
    expect(comment[0]?.body).toContain(phase)

  // post stands down in run mode, and recording the run again adds nothing.
  expect((await j.run('post')).code).toBe(0)
  expect((await j.run('main')).code).toBe(0)
  expect(await server.commits(REGISTRY)).toHaveLength(1)
  expect(rowsOf(await server.readFile(REGISTRY, CI_FILE))).toHaveLength(5)
})

test('from a workflow_run workflow it records the triggering run, its PR and its build id', async () => {
  server.addPullRequest({ number: 5, head_sha: 'd'.repeat(40) })
  server.setJobs(2002, 1, [
    fixture(2002, 21, 'build', 'success', 0, 61),
    fixture(2002, 22, 'test', 'cancelled', 0, 30),
  ])
  const event = {
    name: 'workflow_run',
    payload: {
      workflow_run: {
        id: 2002,
        run_attempt: 1,
        name: 'CI',
        head_sha: 'd'.repeat(40),
        head_branch: 'feature/x',
        pull_requests: [{ number: 5 }],
        repository: { full_name: 'acme/widgets' },
      },
    },
  }
  const j = job({ job: 'record', runId: 3003, event })
  expect((await j.run('main')).code).toBe(0)
  const rows = rowsOf(await server.readFile(REGISTRY, CI_FILE))
  expect(rows.map((r) => [r.phase, r.status, r.exit_code, r.run_id, r.build_id, r.pr_number, r.ref])).toEqual(
    [
      ['build', 'success', '0', '2002', '2002', '5', 'feature/x'],
      ['test', 'cancelled', '130', '2002', '2002', '5', 'feature/x'],
    ],
  )
  expect(server.comments(5)).toHaveLength(1)
})

test('without actions: read it says what to grant and exits 0', async () => {
  const noActions = 'ghs_' + 'N0a1c2t3i4o5n6s7N8o9A0c1t2i3o4n5s6x7'
  server.addToken(noActions, { contents: 'write', actions: 'none' })
  const j = job({ token: noActions })
  const main = await j.run('main')
  expect(main.code).toBe(0)
  expect(main.commands.filter((c) => c.kind === 'warning').map((c) => c.message)).toEqual([
    expect.stringMatching(/actions: read/),
  ])
  expect(await server.branchExists(REGISTRY)).toBe(false)
})
