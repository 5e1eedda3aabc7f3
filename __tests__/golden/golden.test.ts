/**
 * Golden outputs: for fixed inputs and a frozen clock, the rows, commit messages, PR comment, job summary,
 * Drone card and CLI report that the committed bundles (dist/) produce are compared byte for byte with
 * the files in `outputs/`, recorded from the code before the record story moved into src/app.
 *
 * Only what is truly not ours to fix is masked: the local server's port (`<api>`), temporary folders
 * (`<tmp>`) and the registry commits' shas (`<commit>`, `<commit7>`: git stamps them with the fake
 * server's own clock). Re-record deliberately, after reading the diff:
 * `GOLDEN_UPDATE=1 NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/golden`.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { COLUMNS, HEADER_LINE, type Column } from '../../src/core/schema.js'
import { FakeGitHub, type JobFixture } from '../support/github-server.js'
import { ROOT, SimulatedJob, type JobOptions } from '../support/action-runner.js'
import { MACHINE_NODE } from '../support/runtimes.js'

const HERE = join(ROOT, '__tests__', 'golden')
const OUTPUTS = join(HERE, 'outputs')
const UPDATE = process.env.GOLDEN_UPDATE === '1'
const FROZEN = `--import=${pathToFileURL(join(HERE, 'frozen-clock.mjs')).href}`

const TOKEN = 'ghs_' + 'G0ld3nT0k3nF0rTh3Byt3Id3nt1c4lT3st5'
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const T0 = Date.UTC(2026, 10, 22, 9, 0, 0)
const iso = (s: number): string => new Date(T0 + s * 1000).toISOString().replace('.000Z', 'Z')
// A frozen /proc too (HOST_PROC, the gopsutil convention the sampler honours): resources are the same everywhere.
const frozenAt = (s: number): Record<string, string> => ({
  GOLDEN_NOW: iso(s),
  NODE_OPTIONS: FROZEN,
  HOST_PROC: join(HERE, 'proc'),
})

const BUDGETS = [
  'phases:',
  '  build: { target: 2m, max: 10m }',
  "  'test*': { target: 3m, max: 5m }",
  'cache:',
  '  hit-rate-target: 85%',
  '  hit-rate-alert: 50%',
  '',
].join('\n')

let server: FakeGitHub
const cleanups: (() => void)[] = []
const masks: [string, string][] = []

beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
  masks.splice(0, masks.length, [server.url, '<api>'])
})
afterEach(async () => {
  for (const c of cleanups.splice(0)) c()
  await server.close()
})

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  masks.push([dir, '<tmp>'])
  return dir
}

function mask(text: string): string {
  let out = text
  for (const [value, name] of masks) out = out.split(value).join(name)
  return out
}

/** Masks the registry's commits, then compares with (or with GOLDEN_UPDATE=1 records) `outputs/name`. */
async function golden(name: string, text: string): Promise<void> {
  for (const c of await server.commits(REGISTRY).catch(() => [])) {
    masks.push([c.sha, '<commit>'], [c.sha.slice(0, 7), '<commit7>'])
  }
  const file = join(OUTPUTS, name)
  const actual = mask(text)
  expect(actual).not.toContain(TOKEN)
  if (UPDATE) {
    mkdirSync(OUTPUTS, { recursive: true })
    writeFileSync(file, actual)
  }
  expect(existsSync(file)).toBe(true)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

/** Earlier rows of the registry, so the comment and summary show trends and percentiles. */
function history(rows: Partial<Record<Column, string>>[]): string {
  const line = (r: Partial<Record<Column, string>>): string => COLUMNS.map((c) => r[c] ?? '').join(',')
  return [HEADER_LINE, ...rows.map(line), ''].join('\n')
}

function pastRow(
  i: number,
  phase: string,
  seconds: number,
  source = 'github',
): Partial<Record<Column, string>> {
  const start = -86_400 * (5 - i)
  return {
    start_time_utc: iso(start),
    end_time_utc: iso(start + seconds),
    phase,
    env: 'ci',
    build_id: String(900 + i),
    duration_seconds: String(seconds),
    exit_code: '0',
    status: 'success',
    source,
    repository: 'acme/widgets',
    run_id: String(900 + i),
    run_attempt: '1',
    job_id: String(9000 + i),
    ref: 'refs/heads/main',
    sha: String(i).repeat(40),
    budget_status: 'ok',
    row_id: `gh/acme/widgets/${900 + i}/1/${9000 + i}/${phase}`,
  }
}

const prEvent = (number: number, sha: string) => ({
  name: 'pull_request',
  payload: {
    number,
    pull_request: { number, head: { sha, repo: { full_name: 'acme/widgets', fork: false } } },
  },
})

function job(opts: Partial<JobOptions>): SimulatedJob {
  const j = new SimulatedJob({ apiUrl: server.url, token: TOKEN, ...opts })
  cleanups.push(() => j.cleanup())
  masks.push([j.dir, '<tmp>'])
  return j
}

async function stage(j: SimulatedJob, name: 'pre' | 'main' | 'post', at: number, status = 'success') {
  j.opts.extraEnv = { ...j.opts.extraEnv, ...frozenAt(at) }
  const result = await j.run(name, status)
  expect(result.code).toBe(0)
  return result
}

const outputsText = (o: Record<string, string>): string =>
  Object.keys(o)
    .sort()
    .map((k) => `${k}=${o[k]}\n`)
    .join('')

async function commitMessages(): Promise<string> {
  return (await server.commits(REGISTRY)).map((c) => c.message + '\n').join('')
}

test('action, mode: job: pre, main and post of a PR job over budget with a partial cache', async () => {
  const sha = 'b'.repeat(40)
  server.addPullRequest({ number: 7, head_sha: sha })
  await server.commitFile(
    REGISTRY,
    CI_FILE,
    history([pastRow(1, 'build', 100), pastRow(2, 'build', 110), pastRow(3, 'build', 130)]),
  )
  const j = job({
    jobId: 555,
    event: prEvent(7, sha),
    files: { '.github/build-budgets.yml': BUDGETS },
    with: { 'cache-hits': 'deps=true\nnpm=\ndocker=false', flags: `nightly token=${TOKEN}` },
  })
  await stage(j, 'pre', 0)
  await stage(j, 'main', 5)
  const post = await stage(j, 'post', 185)

  await golden('action-job.rows.csv', (await server.readFile(REGISTRY, CI_FILE)) ?? '')
  await golden('action-job.commits.txt', await commitMessages())
  await golden('action-job.comment.md', server.comments(7)[0]?.body ?? '<no comment>')
  await golden('action-job.summary.md', post.summary)
  await golden('action-job.outputs.txt', outputsText(post.outputs))
}, 120_000)

function fixture(
  id: number,
  name: string,
  conclusion: string | null,
  start: number,
  end: number | null,
): JobFixture {
  return {
    id,
    run_id: 1001,
    run_attempt: 1,
    name,
    status: end === null ? 'in_progress' : 'completed',
    conclusion,
    created_at: iso(start - 4),
    started_at: iso(start),
    completed_at: end === null ? null : iso(end),
    runner_name: `runner-${id}`,
    steps: [],
  }
}

test('action, mode: run: every finished job of the run in one commit', async () => {
  const sha = 'c'.repeat(40)
  server.addPullRequest({ number: 3, head_sha: sha })
  await server.commitFile(REGISTRY, CI_FILE, history([pastRow(1, 'lint', 50), pastRow(2, 'lint', 40)]))
  server.setJobs(1001, 1, [
    fixture(11, 'lint', 'success', 0, 42),
    fixture(12, 'test (ubuntu, 20)', 'success', 0, 185),
    fixture(13, 'test (windows, 20)', 'failure', 2, 300),
    fixture(14, 'e2e', 'timed_out', 5, 1805),
    fixture(15, 'docs', 'skipped', 10, 10),
    fixture(99, 'timings', null, 1810, null),
  ])
  const j = job({
    job: 'timings',
    jobId: 99,
    event: prEvent(3, sha),
    files: { '.github/build-budgets.yml': BUDGETS },
    with: { mode: 'run' },
  })
  const main = await stage(j, 'main', 1815)
  await stage(j, 'post', 1816)

  await golden('action-run.rows.csv', (await server.readFile(REGISTRY, CI_FILE)) ?? '')
  await golden('action-run.commits.txt', await commitMessages())
  await golden('action-run.comment.md', server.comments(3)[0]?.body ?? '<no comment>')
  await golden('action-run.summary.md', main.summary)
  await golden('action-run.outputs.txt', outputsText(main.outputs))
}, 120_000)

function runNode(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(MACHINE_NODE, args, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('Drone: a failed PR stage over its target, with the card', async () => {
  const sha = 'c0ffee'.padEnd(40, '1')
  server.addPullRequest({ number: 8, head_sha: sha })
  await server.commitFile(REGISTRY, CI_FILE, history([pastRow(1, 'build', 250, 'drone')]))
  const workspace = tempDir('bt-golden-drone-')
  const card = join(workspace, 'card.json')
  const stageStart = Math.floor(T0 / 1000)
  const run = await runNode(
    [join(ROOT, 'dist', 'drone', 'index.js')],
    {
      ...frozenAt(300),
      DRONE: 'true',
      CI: 'drone',
      DRONE_REPO: 'acme/widgets',
      DRONE_REPO_OWNER: 'acme',
      DRONE_REPO_NAME: 'widgets',
      DRONE_BUILD_NUMBER: '101',
      DRONE_STAGE_NUMBER: '1',
      DRONE_STAGE_NAME: 'build',
      DRONE_STAGE_STARTED: String(stageStart),
      DRONE_BUILD_STARTED: String(stageStart + 300),
      DRONE_BUILD_STATUS: 'success',
      DRONE_STAGE_STATUS: 'failure',
      DRONE_FAILED_STEPS: 'unit-tests',
      DRONE_COMMIT_SHA: sha,
      DRONE_COMMIT_REF: 'refs/pull/8/head',
      DRONE_PULL_REQUEST: '8',
      DRONE_BUILD_EVENT: 'pull_request',
      DRONE_WORKSPACE: workspace,
      DRONE_CARD_PATH: card,
      PLUGIN_GITHUB_API_URL: server.url,
      PLUGIN_GITHUB_TOKEN: TOKEN,
      PLUGIN_FLAGS: `nightly token=${TOKEN}`,
      PLUGIN_BUDGETS: BUDGETS,
      PLUGIN_CACHE_HITS: '{"deps":true,"docker":""}',
    },
    workspace,
  )
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)

  await golden('drone.rows.csv', (await server.readFile(REGISTRY, CI_FILE)) ?? '')
  await golden('drone.commits.txt', await commitMessages())
  await golden('drone.comment.md', server.comments(8)[0]?.body ?? '<no comment>')
  await golden('drone.card.json', readFileSync(card, 'utf8'))
  await golden('drone.stdout.txt', run.stdout)
}, 120_000)

test('CLI: run, record and the report in every format, on a file registry', async () => {
  const cwd = tempDir('bt-golden-cli-')
  mkdirSync(join(cwd, '.github'))
  writeFileSync(join(cwd, '.github', 'build-budgets.yml'), BUDGETS)
  writeFileSync(
    join(cwd, 'registry.csv'),
    history([pastRow(1, 'deploy', 200, 'cli'), pastRow(2, 'deploy', 260, 'cli')]),
  )
  const cli = (args: string[], at: number) =>
    runNode(
      [join(ROOT, 'dist', 'cli', 'index.js'), ...args],
      {
        ...frozenAt(at),
        HOME: cwd,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        BUILD_TIMINGS_REGISTRY: 'file:registry.csv',
      },
      cwd,
    )
  const transcript: string[] = []
  const step = async (args: string[], at: number): Promise<void> => {
    const r = await cli(args, at)
    transcript.push(
      `$ build-timings ${args.join(' ').split(TOKEN).join('$TOKEN')}\n[exit ${r.code}]\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`,
    )
  }
  await step(
    [
      'run',
      '--phase',
      'deploy',
      '--env',
      'dev',
      '--build-id',
      'persistent',
      '--flags',
      `token=${TOKEN}`,
      '--',
      'sh',
      '-c',
      'echo "Apply complete! Resources: 3 added, 1 changed, 0 destroyed."; exit 3',
    ],
    0,
  )
  await step(
    [
      'record',
      '--phase',
      'test',
      '--env',
      'ci',
      '--start',
      iso(-400),
      '--end',
      iso(-100),
      '--exit-code',
      '0',
    ],
    10,
  )
  await step(
    ['record', '--phase', 'test', '--env', 'ci', '--start', iso(-90), '--end', iso(-80), '--exit-code', '1'],
    20,
  )
  for (const format of ['table', 'markdown', 'json', 'csv']) await step(['report', '--format', format], 30)
  await step(['report', '--env', 'development', '--phase', 'deploy', '--since', '30d'], 30)

  await golden('cli.rows.csv', readFileSync(join(cwd, 'registry.csv'), 'utf8'))
  await golden('cli.transcript.txt', transcript.join('\n'))
}, 120_000)
