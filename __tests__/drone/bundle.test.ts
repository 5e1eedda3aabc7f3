// The plugin bundle run as a pipeline step would run it: a child process with Drone's or Woodpecker's
// variables, against the local GitHub server over a real git repository.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { FakeGitHub } from '../support/github-server.js'
import { assertNoLeak, CARD_SEQUENCE, NODE24, runBundle, sayLines } from './run-bundle.js'

const TOKEN = 'ghs_drOneRegistryWriter0123456789abcdefXYZ'
// Shaped like no known credential: only the plugin's own knowledge of its secrets can hide it.
const DRONE_TOKEN = 'dr0ne-User-Tok3n-that-matches-no-pattern'
const REGISTRY = 'environments/ci/latest/build_timings.csv'
const SHA = 'c0ffee'.padEnd(40, '1')

let gh: FakeGitHub
let workspace: string
const now = (): number => Math.floor(Date.now() / 1000)

beforeAll(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write' })
})
afterAll(async () => {
  await gh.close()
})
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'drone-ws-'))
})
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true })
})

function rows(csv: string | null): Record<string, string>[] {
  return csv ? (parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[]) : []
}

/** A stage that started `ago` seconds before the step, as the Drone docker runner describes it. */
function droneStage(build: number, ago: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DRONE: 'true',
    CI: 'drone',
    DRONE_REPO: 'acme/widgets',
    DRONE_REPO_OWNER: 'acme',
    DRONE_REPO_NAME: 'widgets',
    DRONE_BUILD_NUMBER: String(build),
    DRONE_STAGE_NUMBER: '1',
    DRONE_STAGE_NAME: 'build',
    DRONE_STAGE_STARTED: String(now() - ago),
    DRONE_BUILD_STARTED: String(now()), // the "now" stand-in: must be ignored
    DRONE_BUILD_STATUS: 'success',
    DRONE_STAGE_STATUS: 'success',
    DRONE_COMMIT_SHA: SHA,
    DRONE_COMMIT_REF: 'refs/heads/feature',
    DRONE_BUILD_EVENT: 'push',
    DRONE_WORKSPACE: workspace,
    PLUGIN_GITHUB_API_URL: gh.url,
    PLUGIN_GITHUB_TOKEN: TOKEN,
    ...extra,
  }
}

const csvOf = (out: string): Record<string, string>[] => {
  const start = out.indexOf('start_time_utc,')
  if (start < 0) return []
  const lines = out.slice(start).split('\n')
  return rows(lines.slice(0, 2).join('\n'))
}

describe('Drone', () => {
  it('records a failed stage with the stage duration, comments on the PR and writes the card', async () => {
    gh.addPullRequest({ number: 7, head_sha: SHA })
    const card = join(workspace, 'card.json')
    const run = await runBundle(
      droneStage(101, 300, {
        DRONE_STAGE_STATUS: 'failure',
        DRONE_FAILED_STEPS: 'unit-tests',
        DRONE_PULL_REQUEST: '7',
        DRONE_BUILD_EVENT: 'pull_request',
        DRONE_CARD_PATH: card,
        PLUGIN_FLAGS: `nightly token=${TOKEN}`,
        PLUGIN_BUDGETS: 'phases:\n  build: { target: 2m, max: 10m }\n',
        PLUGIN_CACHE_HITS: '{"deps":true,"docker":""}',
      }),
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    assertNoLeak(run, [TOKEN])

    const stored = rows(await gh.readFile('governance-registry', REGISTRY))
    expect(stored).toHaveLength(1)
    const row = stored[0]!
    expect(row).toMatchObject({
      phase: 'build',
      env: 'ci',
      build_id: '101',
      status: 'failure',
      exit_code: '1',
      source: 'drone',
      repository: 'acme/widgets',
      sha: SHA,
      pr_number: '7',
      budget_target_seconds: '120',
      budget_max_seconds: '600',
      budget_status: 'over_target',
      cache_hits: '1',
      cache_lookups: '2',
      row_id: 'drone/acme/widgets/101/1/build',
    })
    expect(Number(row.duration_seconds)).toBeGreaterThanOrEqual(300)
    expect(Number(row.duration_seconds)).toBeLessThanOrEqual(303)
    expect(row.flags).toBe('nightly token=***')

    const comments = gh.comments(7)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain('<!-- build-timings:drone acme/widgets build -->')
    expect(comments[0]?.body).toContain('build')
    expect(comments[0]?.body).not.toContain(TOKEN)

    const written = JSON.parse(readFileSync(card, 'utf8')) as {
      schema: string
      data: Record<string, unknown>
    }
    expect(written.schema).toMatch(/^https:\/\/.*card\.json$/)
    expect(written.data).toMatchObject({
      phase: 'build',
      status: 'failure',
      budgetStatus: 'over_target',
      cache: '1/2 (50%)',
    })

    const lines = sayLines(run.stdout)
    expect(lines[0]).toMatch(
      /^build-timings: build ci failure in 5m [0-3]s, budget over_target \(target 2m 0s, max 10m 0s\), cache 1\/2/,
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^build-timings: recorded in github:acme\/widgets@governance-registry:environments\/ci\/latest\/build_timings\.csv \(commit [0-9a-f]{7}\)$/,
      ),
    )
    expect(lines).toContain('build-timings: PR #7: comment created')
  })

  it('running the same step again is a no-op, and an overridden build_id keeps the row_id on the build number', async () => {
    const env = droneStage(102, 60, { PLUGIN_BUILD_ID: 'release-7', PLUGIN_COMMENT: 'off' })
    const first = await runBundle(env)
    const second = await runBundle(env)
    expect([first.code, second.code]).toEqual([0, 0])
    const mine = rows(await gh.readFile('governance-registry', REGISTRY)).filter(
      (r) => r.build_id === 'release-7',
    )
    expect(mine).toHaveLength(1)
    expect(mine[0]?.row_id).toBe('drone/acme/widgets/102/1/build')
    expect(sayLines(second.stdout)).toContain(
      'build-timings: already recorded in github:acme/widgets@governance-registry:environments/ci/latest/build_timings.csv (row drone/acme/widgets/102/1/build)',
    )
  })

  it('writes the card to /dev/stdout as ESC]1338; base64 ESC]0m', async () => {
    const run = await runBundle(
      droneStage(103, 30, { DRONE_CARD_PATH: '/dev/stdout', PLUGIN_DRY_RUN: 'true' }),
    )
    expect(run.code).toBe(0)
    const m = CARD_SEQUENCE.exec(run.stdout)
    expect(m).not.toBeNull()
    const card = JSON.parse(Buffer.from(m![1]!, 'base64').toString('utf8')) as {
      schema: string
      data: Record<string, unknown>
    }
    expect(card.data).toMatchObject({ phase: 'build', status: 'success', registry: 'dry run' })
    assertNoLeak(run, [TOKEN])
  })

  it('fail_on over-max fails the step (exit 1) after recording the row', async () => {
    const run = await runBundle(
      droneStage(104, 200, {
        PLUGIN_FAIL_ON: 'over-max',
        PLUGIN_BUDGETS: '{"phases":{"build":{"target":"60","max":"120"}}}',
        PLUGIN_COMMENT: 'off',
      }),
    )
    expect(run.code).toBe(1)
    expect(
      rows(await gh.readFile('governance-registry', REGISTRY)).find((r) => r.build_id === '104')
        ?.budget_status,
    ).toBe('over_max')
    expect(sayLines(run.stdout).at(-1)).toMatch(
      /^build-timings: fail_on over-max: build took 3m 2[0-3]s, budget over_max/,
    )
  })

  it('per-step timings from the Drone API with drone_token, which is never printed', async () => {
    const seen: string[] = []
    const drone = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`)
      const t = now() - 100
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          number: 105,
          stages: [
            {
              number: 1,
              name: 'build',
              created: t - 7,
              started: t,
              steps: [
                { name: 'clone', status: 'success', exit_code: 0, started: t, stopped: t + 10 },
                { name: 'compile', status: 'success', exit_code: 0, started: t + 10, stopped: t + 70 },
                { name: 'test', status: 'failure', exit_code: 2, started: t + 70, stopped: t + 100 },
                { name: 'timings', status: 'running', started: t + 100, stopped: 0 },
              ],
            },
          ],
        }),
      )
    })
    await new Promise<void>((r) => drone.listen(0, '127.0.0.1', () => r()))
    try {
      const port = (drone.address() as AddressInfo).port
      const run = await runBundle(
        droneStage(105, 100, {
          DRONE_SYSTEM_PROTO: 'http',
          DRONE_SYSTEM_HOST: `127.0.0.1:${port}`,
          PLUGIN_DRONE_TOKEN: DRONE_TOKEN,
          PLUGIN_COMMENT: 'off',
          DRONE_CARD_PATH: '/dev/stdout',
        }),
      )
      expect(run.code).toBe(0)
      assertNoLeak(run, [TOKEN, DRONE_TOKEN])
      expect(seen).toEqual([`GET /api/repos/acme/widgets/builds/105 Bearer ${DRONE_TOKEN}`])
      expect(sayLines(run.stdout)).toContain(
        'build-timings: steps: compile 1m 0s (60%), test 30s (30%), clone 10s (10%)',
      )
      // The snapshot said success; a finished step of the stage failed: the live truth wins.
      const row = rows(await gh.readFile('governance-registry', REGISTRY)).find((r) => r.build_id === '105')
      expect(row).toMatchObject({ status: 'failure', queue_seconds: '7' })
    } finally {
      await new Promise<void>((r) => drone.close(() => r()))
    }
  })
})

describe('Woodpecker', () => {
  it('DRONE_BUILD_STATUS=success but CI_PIPELINE_STATUS=failure records failure; the PR is found by commit', async () => {
    const sha = 'feed'.padEnd(40, '2')
    gh.addPullRequest({ number: 8, head_sha: sha })
    const t = now()
    const run = await runBundle({
      CI: 'woodpecker',
      CI_REPO: 'acme/widgets',
      CI_REPO_OWNER: 'acme',
      CI_REPO_NAME: 'widgets',
      CI_PIPELINE_NUMBER: '17',
      CI_PIPELINE_CREATED: String(t - 250),
      CI_PIPELINE_STARTED: String(t - 240),
      CI_PIPELINE_STATUS: 'failure',
      CI_PIPELINE_EVENT: 'push',
      CI_WORKFLOW_NAME: 'test',
      CI_WORKFLOW_NUMBER: '3',
      CI_COMMIT_SHA: sha,
      CI_WORKSPACE: workspace,
      // Woodpecker's Drone compatibility layer:
      DRONE_BUILD_STATUS: 'success',
      DRONE_STAGE_STATUS: 'success',
      DRONE_BUILD_NUMBER: '17',
      PLUGIN_GITHUB_TOKEN: TOKEN,
      PLUGIN_GITHUB_API_URL: gh.url,
    })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    assertNoLeak(run, [TOKEN])
    const row = rows(await gh.readFile('governance-registry', REGISTRY)).find(
      (r) => r.source === 'woodpecker',
    )
    expect(row).toMatchObject({
      phase: 'test',
      status: 'failure',
      exit_code: '1',
      build_id: '17',
      pr_number: '8',
      queue_seconds: '10',
      row_id: 'woodpecker/acme/widgets/17/3/test',
    })
    expect(Number(row?.duration_seconds)).toBeGreaterThanOrEqual(240)
    expect(Number(row?.duration_seconds)).toBeLessThanOrEqual(243)
    expect(gh.comments(8)).toHaveLength(1)
    expect(gh.comments(8)[0]?.body).toContain('<!-- build-timings:woodpecker acme/widgets test -->')
  })
})

describe('fail open: one line, the row as CSV, exit 0', () => {
  const expectFailOpen = (
    run: { code: number | null; stdout: string; stderr: string },
    pattern: RegExp,
  ): void => {
    expect(run.code).toBe(0)
    expect(run.stderr).toBe('')
    const problems = sayLines(run.stdout).filter((l) => /nothing was recorded/.test(l))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(pattern)
    const csv = csvOf(run.stdout)
    expect(csv).toHaveLength(1)
    expect(csv[0]).toMatchObject({ phase: 'build', source: 'drone', status: 'success' })
  }

  it('without a token', async () => {
    const { PLUGIN_GITHUB_TOKEN: _unused, ...env } = droneStage(201, 20)
    const before = gh.requests.length
    const run = await runBundle(env)
    expectFailOpen(run, /^build-timings: no github_token setting: add github_token \(from_secret\)/)
    expect(gh.requests.length).toBe(before)
  })

  it('with an unreachable API (a closed port), quickly', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((r) => closed.close(() => r()))
    const run = await runBundle(droneStage(202, 20, { PLUGIN_GITHUB_API_URL: `http://127.0.0.1:${port}` }))
    expectFailOpen(
      run,
      /^build-timings: GitHub API at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\): check github_api_url/,
    )
    expect(run.ms).toBeLessThan(10_000)
    assertNoLeak(run, [TOKEN])
  })

  it('with malformed settings, touching nothing', async () => {
    const before = gh.requests.length
    const run = await runBundle(
      droneStage(203, 20, { PLUGIN_ENVIRONMENT: '../../etc', PLUGIN_DRY_RUN: 'perhaps' }),
    )
    expectFailOpen(
      run,
      /^build-timings: settings not usable: environment "\.\.\/\.\.\/etc" is not a valid environment name.*; dry_run "perhaps" is not true or false\. Fix the step's settings/,
    )
    expect(gh.requests.length).toBe(before)
  })

  it('with a token GitHub refuses', async () => {
    const run = await runBundle(
      droneStage(204, 20, { PLUGIN_GITHUB_TOKEN: 'ghs_unknownTokenForThisServer000000000' }),
    )
    expect(run.code).toBe(0)
    const lines = sayLines(run.stdout)
    expect(lines).toContainEqual(
      expect.stringMatching(/401 Bad credentials\): check the token you passed\. The row is below as CSV\.$/),
    )
    expect(csvOf(run.stdout)).toHaveLength(1)
    assertNoLeak(run, ['ghs_unknownTokenForThisServer000000000'])
  })

  it('fail_on still decides the exit code when nothing could be recorded', async () => {
    const { PLUGIN_GITHUB_TOKEN: _unused, ...env } = droneStage(205, 200, {
      PLUGIN_FAIL_ON: 'timeout',
      PLUGIN_BUDGETS: 'phases: { build: { timeout: 1m } }',
    })
    const run = await runBundle(env)
    expect(run.code).toBe(1)
    expect(csvOf(run.stdout)[0]?.budget_status).toBe('timeout')
  })
})

describe('Node 24', () => {
  const available = existsSync(NODE24)
  ;(available ? it : it.skip)('runs the bundle under Node 24 and records the row', async () => {
    const run = await runBundle(droneStage(301, 45, { PLUGIN_COMMENT: 'off' }), { node: NODE24 })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const row = rows(await gh.readFile('governance-registry', REGISTRY)).find((r) => r.build_id === '301')
    expect(row).toMatchObject({ status: 'success', row_id: 'drone/acme/widgets/301/1/build' })
  })
})
