// The plugin in process, with plain values for its outside world: an injected clock, environment and
// files, and the local GitHub server for the API.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'csv-parse/sync'
import { buildCard, CARD_SCHEMA, writeCard } from '../../src/drone/card.js'
import {
  exitCodeFor,
  runPlugin,
  type PluginDeps,
  type PluginOutcome,
  type UpsertRunComment,
} from '../../src/drone/plugin.js'
import { scrubber, secretVariants } from '../../src/drone/output.js'
import { emptyRow, type BudgetStatus } from '../../src/core/schema.js'
import type { FailOn } from '../../src/core/budgets.js'
import { createClient } from '../../src/github/octokit.js'
import { findPullRequestForCommit } from '../../src/github/pulls.js'
import { FakeGitHub } from '../support/github-server.js'
import { CARD_SEQUENCE } from './run-bundle.js'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const TOKEN = 'ghs_inProcessPluginToken0123456789abcdef'
const NOW = new Date('2026-01-24T10:15:03Z')
let gh: FakeGitHub

beforeAll(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write' })
})
afterAll(async () => {
  await gh.close()
})

function deps(env: Record<string, string>, extra: Partial<PluginDeps> = {}): PluginDeps & { out: string[] } {
  const out: string[] = []
  return {
    out,
    env,
    readFile: () => null,
    writeFile: () => undefined,
    stdout: (t) => void out.push(t),
    now: () => NOW,
    cwd: '/nowhere',
    fetch: () => Promise.reject(new Error('no network in this test')),
    createClient,
    upsertRunComment: () => Promise.resolve(null),
    ...extra,
  }
}

const stage = (extra: Record<string, string> = {}): Record<string, string> => ({
  DRONE: 'true',
  DRONE_REPO: 'acme/widgets',
  DRONE_REPO_OWNER: 'acme',
  DRONE_REPO_NAME: 'widgets',
  DRONE_BUILD_NUMBER: '900',
  DRONE_STAGE_NUMBER: '4',
  DRONE_STAGE_NAME: 'lint',
  DRONE_STAGE_STARTED: String(NOW.getTime() / 1000 - 75),
  DRONE_STAGE_STATUS: 'success',
  DRONE_PULL_REQUEST: '12',
  PLUGIN_GITHUB_TOKEN: TOKEN,
  PLUGIN_GITHUB_API_URL: gh.url,
  ...extra,
})

describe('exitCodeFor: the one place the exit code is decided', () => {
  const outcome = (verdict: PluginOutcome['verdict'], failOn: PluginOutcome['failOn']): PluginOutcome => ({
    row: null,
    verdict,
    failOn,
    problem: null,
    recorded: null,
    prNumber: null,
    comment: null,
  })
  it.each<[BudgetStatus, FailOn, number]>([
    ['ok', 'never', 0],
    ['over_max', 'never', 0],
    ['timeout', 'never', 0],
    ['over_target', 'over-max', 0],
    ['over_max', 'over-max', 1],
    ['timeout', 'over-max', 1],
    ['over_max', 'timeout', 0],
    ['timeout', 'timeout', 1],
    ['none', 'timeout', 0],
  ])('verdict %s with fail_on %s → %i', (verdict, failOn, code) => {
    expect(exitCodeFor(outcome(verdict, failOn))).toBe(code)
  })
  it('a run that crashed before judging exits 0', () => {
    expect(exitCodeFor(null)).toBe(0)
  })
})

describe('runPlugin in process', () => {
  it('uses the injected clock, and comments with this build selected and the pipeline as workflow', async () => {
    const calls: Parameters<UpsertRunComment>[0][] = []
    const d = deps(stage({ PLUGIN_BUILD_ID: 'nightly-3' }), {
      upsertRunComment: async (opts) => {
        calls.push(opts)
        return { commentId: 1, action: 'created' }
      },
    })
    expect(await runPlugin(d)).toBe(0)
    const stored = parse(
      (await gh.readFile('governance-registry', 'environments/ci/latest/build_timings.csv')) ?? '',
      {
        columns: true,
      },
    ) as Record<string, string>[]
    const row = stored.find((r) => r.build_id === 'nightly-3')
    expect(row).toMatchObject({
      start_time_utc: '2026-01-24T10:13:48Z',
      end_time_utc: '2026-01-24T10:15:03Z',
      duration_seconds: '75',
      pr_number: '12',
      run_id: '900',
      job_id: '4',
      row_id: 'drone/acme/widgets/900/4/lint',
    })
    expect(calls).toHaveLength(1)
    const call = calls[0]!
    expect(call).toMatchObject({
      owner: 'acme',
      repo: 'widgets',
      prNumber: 12,
      workflow: 'drone acme/widgets lint',
      env: 'ci',
    })
    expect(call.selectRun(row!)).toBe(true)
    expect(call.selectRun({ ...row!, row_id: 'drone/acme/widgets/901/4/lint' })).toBe(false)
    expect(call.selectRun({ ...row!, source: 'woodpecker' })).toBe(false)
    expect(call.selectRun({ ...row!, repository: 'acme/other' })).toBe(false)
    expect(d.out.join('')).toContain('build-timings: PR #12: comment created')
  })

  it('dry run: no write and no comment, the row printed', async () => {
    let commented = false
    const before = gh.writes().length
    const d = deps(stage({ PLUGIN_DRY_RUN: 'true', DRONE_BUILD_NUMBER: '901' }), {
      upsertRunComment: async () => {
        commented = true
        return null
      },
    })
    expect(await runPlugin(d)).toBe(0)
    expect(commented).toBe(false)
    expect(gh.writes().length).toBe(before)
    expect(d.out.join('')).toContain(
      'build-timings: dry run: nothing was written to the registry. The row is below as CSV.',
    )
    expect(d.out.join('')).toContain('drone/acme/widgets/901/4/lint')
  })

  it('a comment failure is one line and does not change the exit code', async () => {
    const d = deps(stage({ DRONE_BUILD_NUMBER: '902' }), {
      upsertRunComment: async () => {
        throw Object.assign(new Error('Resource not accessible by integration'), { status: 403 })
      },
    })
    expect(await runPlugin(d)).toBe(0)
    expect(d.out.join('')).toMatch(
      /build-timings: could not comment on PR #12 \(403\): give the github_token pull-requests write/,
    )
  })

  it('an unexpected crash is one line and exit 0', async () => {
    const d = deps(stage({ DRONE_BUILD_NUMBER: '903', PLUGIN_DRY_RUN: 'true' }), {
      now: () => {
        throw new Error(`clock broke holding ${TOKEN}`)
      },
    })
    expect(await runPlugin(d)).toBe(0)
    expect(d.out.join('')).toBe(
      'build-timings: unexpected error, nothing recorded: clock broke holding ***. Please report it with this line\n',
    )
  })
})

describe('secrets in output', () => {
  it('scrubs a secret as is, JSON-escaped, URL-encoded and inside base64 at every alignment', () => {
    const secret = 'pl4in"secret/with+chars'
    const scrub = scrubber([secret])
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const b64 = Buffer.from(`${prefix}${secret}tail`).toString('base64')
      expect(scrub(b64)).toContain('***')
    }
    expect(scrub(JSON.stringify({ v: secret }))).toBe('{"v":"***"}')
    expect(scrub(`x=${encodeURIComponent(secret)}`)).toBe('x=***')
    expect(secretVariants(['abc'])).toEqual([]) // too short to scrub without mangling the log
  })
})

describe('card', () => {
  const row = {
    ...emptyRow(),
    phase: 'lint',
    env: 'ci',
    status: 'success',
    duration_seconds: '75',
    budget_status: 'ok',
    budget_target_seconds: '90',
    budget_max_seconds: '',
  }
  const card = buildCard({
    row,
    cache: { hits: 1, lookups: 2, rate: 0.5, verdict: 'not_met' },
    change: 0.25,
    registry: 'github:acme/widgets@governance-registry:x.csv',
    steps: [
      { name: 'a', seconds: 10, status: 'success', exitCode: 0 },
      { name: 'b', seconds: 30, status: 'success', exitCode: 0 },
    ],
  })

  it('carries the verdicts, with the template it names', () => {
    expect(card.schema).toBe(CARD_SCHEMA)
    expect(card.data).toMatchObject({
      phase: 'lint',
      duration: '1m 15s',
      budgetTarget: '1m 30s',
      budgetMax: '—',
      cache: '1/2 (50%)',
      trend: '+25% vs median',
      steps: [
        { name: 'b', duration: '30s', share: '75%' },
        { name: 'a', duration: '10s', share: '25%' },
      ],
    })
  })

  it('every placeholder of drone-plugin/card.json is a field of the data', () => {
    const template = readFileSync(join(process.cwd(), 'drone-plugin/card.json'), 'utf8')
    const names = new Set([...template.matchAll(/\$\{(?:count\()?([a-zA-Z]+)/g)].map((m) => m[1]!))
    const fields = new Set([...Object.keys(card.data), ...Object.keys(card.data.steps[0]!)])
    expect([...names].filter((n) => !fields.has(n))).toEqual([])
  })

  it('on /dev/stdout: ESC]1338; base64 ESC]0m and a newline; elsewhere a JSON file', () => {
    const out: string[] = []
    const files: Record<string, string> = {}
    const io = {
      writeStdout: (t: string) => void out.push(t),
      writeFile: (p: string, t: string) => void (files[p] = t),
    }
    writeCard('/dev/stdout', card, io)
    writeCard('/tmp/card.json', card, io)
    expect(out).toHaveLength(1)
    const m = CARD_SEQUENCE.exec(out[0]!)
    expect(m?.index).toBe(0)
    expect(m?.[0].length).toBe(out[0]!.length)
    expect(JSON.parse(Buffer.from(m![1]!, 'base64').toString('utf8'))).toEqual(card)
    expect(JSON.parse(files['/tmp/card.json']!)).toEqual(card)
  })
})

describe('findPullRequestForCommit', () => {
  it('prefers the open PR whose head is the commit; none for an unknown commit', async () => {
    const sha = 'abcdef'.padEnd(40, '9')
    gh.addPullRequest({ number: 30, head_sha: sha, state: 'closed' })
    gh.addPullRequest({ number: 31, head_sha: sha })
    const client = createClient({ token: TOKEN, baseUrl: gh.url })
    expect(await findPullRequestForCommit(client, 'acme', 'widgets', sha)).toBe(31)
    expect(await findPullRequestForCommit(client, 'acme', 'widgets', '1234567'.padEnd(40, '0'))).toBeNull()
  })
})
