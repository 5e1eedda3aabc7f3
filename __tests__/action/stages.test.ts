/** The action's stages in process, through the state/input/output port (src/action/io.ts). */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { Input, Output, State } from '../../src/action/constants.js'
import { runMain } from '../../src/action/main-job.js'
import { runPost } from '../../src/action/post-job.js'
import { FakeActionIO } from '../support/action-io.js'
import { FakeGitHub } from '../support/github-server.js'
import { FakeClock } from '../support/memory-store.js'

const TOKEN = 'ghs_' + 'S7t6A5g4E3s2I1n0P9r8O7c6E5s4S3x2Y1z0'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const START = '2026-01-24T10:00:00Z'

let gh: FakeGitHub
let dir: string
let clock: FakeClock

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write', actions: 'read' })
  dir = mkdtempSync(join(tmpdir(), 'stages-'))
  mkdirSync(join(dir, 'temp'))
  clock = new FakeClock(new Date('2026-01-24T10:05:00Z'))
})
afterEach(async () => {
  await gh.close()
  rmSync(dir, { recursive: true, force: true })
})

function io(inputs: Record<string, string>, states: Record<string, string> = {}): FakeActionIO {
  const env = {
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'build',
    GITHUB_WORKFLOW: 'CI',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_API_URL: gh.url,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: join(dir, 'temp'),
  }
  return new FakeActionIO(
    env,
    { [Input.Token]: TOKEN, [Input.JobStatus]: 'success', ...inputs },
    clock.now,
    states,
  )
}

const rowsOf = async (): Promise<Record<string, string>[]> =>
  parse((await gh.readFile('governance-registry', CI_FILE)) ?? '', { columns: true }) as Record<
    string,
    string
  >[]

describe('post', () => {
  it('records the job from pre’s start and sets every output; the job does not fail', async () => {
    const post = io({}, { [State.PreStart]: START })
    await runPost(post)
    const [row] = await rowsOf()
    expect(row).toMatchObject({
      phase: 'build',
      duration_seconds: '300',
      status: 'success',
      source: 'github',
    })
    expect(post.outputs.get(Output.Duration)).toBe('300')
    expect(post.outputs.get(Output.RowId)).toBe(row?.row_id)
    expect(post.outputs.get(Output.RegistryCommit)).toMatch(/^[0-9a-f]{40}$/)
    expect(post.secrets).toEqual([TOKEN])
    expect(post.summaries).toHaveLength(1)
    expect(post.of('failed')).toEqual([])
    expect(post.of('warning')).toEqual([])
  })

  it('fails the job only through fail-on, once, naming the limit', async () => {
    writeFileSync(join(dir, 'budgets.yml'), 'phases:\n  build: { target: 60, max: 120 }\n')
    const post = io(
      { [Input.BudgetsFile]: 'budgets.yml', [Input.FailOn]: 'over-max' },
      { [State.PreStart]: START },
    )
    await runPost(post)
    expect(post.outputs.get(Output.BudgetStatus)).toBe('over_max')
    expect(post.of('failed')).toEqual([
      'build-timings: "build" took 300s, over max (limit 120s); failing because fail-on is over-max.',
    ])
  })

  it('keeps the row in the spool when the registry refuses it, and warns once without failing', async () => {
    gh.addToken('ghs_readonly_token', { contents: 'read', pullRequests: 'read', actions: 'read' })
    const post = io({ [Input.Token]: 'ghs_readonly_token' }, { [State.PreStart]: START })
    await runPost(post)
    expect(post.of('failed')).toEqual([])
    const warnings = post.of('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(join(dir, 'temp', 'build-timings', 'spool.csv'))
    expect(await gh.readFile('governance-registry', CI_FILE)).toBeNull()
  })
})

describe('main', () => {
  it('notes its own start when pre did not run', async () => {
    const main = io({})
    await runMain(main)
    expect(main.states.get(State.MainStart)).toBe('2026-01-24T10:05:00.000Z')
    expect(main.of('warning')).toEqual([])
  })

  it('a bad input is one warning and never fails the job', async () => {
    const main = io({ [Input.RegistryRepository]: 'not-a-repo' })
    await runMain(main)
    expect(main.of('failed')).toEqual([])
    expect(main.of('warning')).toEqual([
      'build-timings: registry-repository "not-a-repo" must be owner/repo, e.g. acme/widgets — the job\'s result is unchanged.',
    ])
  })

  it('mode run records the finished jobs of the run in one commit', async () => {
    gh.setJobs(7001, 1, [
      {
        id: 1,
        name: 'lint',
        status: 'completed',
        conclusion: 'success',
        started_at: START,
        completed_at: '2026-01-24T10:01:00Z',
      },
      {
        id: 2,
        name: 'test',
        status: 'completed',
        conclusion: 'failure',
        started_at: START,
        completed_at: '2026-01-24T10:02:00Z',
      },
    ])
    const main = io({ [Input.Mode]: 'run', [Input.JobId]: '3' })
    await runMain(main)
    expect((await rowsOf()).map((r) => [r.phase, r.status, r.source])).toEqual([
      ['lint', 'success', 'github-run'],
      ['test', 'failure', 'github-run'],
    ])
    expect(main.outputs.get(Output.Duration)).toBe('180')
    expect(main.outputs.get(Output.Status)).toBe('failure')
    expect(main.summaries[0]).toContain('build-timings: run 7001 (2 jobs)')
  })
})
