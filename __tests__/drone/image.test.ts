// The plugin image, really built and run: `containers.sh` (podman + buildah, daemonless) builds the root
// Dockerfile from a fresh export of the committed tree against a local stand-in for node:24-alpine, and the
// container records a row against the local GitHub server (host network). Skipped, with the reason printed,
// where podman is not installed (`containers.sh setup` installs it).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { FakeGitHub } from '../support/github-server.js'
import { assertNoLeak, CARD_SEQUENCE, sayLines } from './run-bundle.js'

const CONTAINERS = join(process.cwd(), '../shared/tools/containers.sh')
const TAG = 'build-timings:test'
const BASE = 'localhost/node-base:local'
const TOKEN = 'ghs_imageTestRegistryWriter0123456789abc'

function skipReason(): string | null {
  if (!existsSync(CONTAINERS)) return `${CONTAINERS} not found`
  try {
    execFileSync('podman', ['--version'], { stdio: 'ignore' })
  } catch {
    return 'podman is not installed (run `containers.sh setup`)'
  }
  return null
}

const reason = skipReason()
if (reason) console.warn(`image test skipped: ${reason}`)

function containers(
  args: string[],
  timeoutMs = 600_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [CONTAINERS, ...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        resolve({ code, stdout, stderr })
      },
    )
  })
}

;(reason ? describe.skip : describe)('the plugin image', () => {
  let gh: FakeGitHub
  let context: string

  beforeAll(async () => {
    gh = await FakeGitHub.start()
    gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write' })
    // A fresh clone's files: what is committed, not what happens to lie in the working tree.
    context = mkdtempSync(join(tmpdir(), 'image-ctx-'))
    execFileSync('sh', ['-c', `git archive HEAD | tar -x -C '${context}'`])
    // Rebuilding re-tags both images; the old ones are removed afterwards so repeated runs leave no litter.
    const previous = (
      await Promise.all(
        [TAG, BASE].map((t) => containers(['podman', 'image', 'inspect', t, '--format', '{{.Id}}'])),
      )
    )
      .filter((r) => r.code === 0)
      .map((r) => r.stdout.trim())
    const base = await containers(['base-image', BASE])
    if (base.code !== 0) throw new Error(`containers.sh base-image failed: ${base.stderr}`)
    // One build per test run: it may take minutes with vfs storage.
    const build = await containers(['build', '--build-arg', `NODE_IMAGE=${BASE}`, '-t', TAG, context])
    if (build.code !== 0) throw new Error(`containers.sh build failed:\n${build.stdout}\n${build.stderr}`)
    if (previous.length) await containers(['podman', 'rmi', ...previous]) // fails harmlessly for ids still tagged
  }, 900_000)

  afterAll(async () => {
    await gh?.close()
    if (context) rmSync(context, { recursive: true, force: true })
  })

  it('holds only the bundle, runs as the fixed non-root UID 65532, and starts node /app/index.js', async () => {
    const inspect = await containers([
      'podman',
      'image',
      'inspect',
      TAG,
      '--format',
      '{{.Config.User}}|{{json .Config.Entrypoint}}|{{.Size}}',
    ])
    expect(inspect.code).toBe(0)
    const [user, entrypoint, size] = inspect.stdout.trim().split('|')
    expect(user).toBe('65532:65532')
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', '/app/index.js'])
    const node = await containers(['run', '--rm', '--entrypoint', 'node', TAG, '--version'])
    console.log(`image ${TAG}: ${(Number(size) / 1e6).toFixed(1)} MB, node ${node.stdout.trim()}`)
    const ls = await containers(['run', '--rm', '--entrypoint', 'ls', TAG, '/app'])
    // Exactly the committed bundle: its entry, the chunks ncc splits off for lazily loaded exporters, and
    // its licences; no node_modules, no sources.
    const bundle = readdirSync(join(process.cwd(), 'dist', 'drone')).sort()
    expect(bundle).toEqual(expect.arrayContaining(['index.js', 'licenses.txt', 'package.json']))
    expect(bundle.every((f) => /^(\d+\.)?index\.js$|^licenses\.txt$|^package\.json$/.test(f))).toBe(true)
    expect(ls.stdout.split(/\s+/).filter(Boolean).sort()).toEqual(bundle)
    const id = await containers(['run', '--rm', '--entrypoint', 'id', TAG, '-u'])
    expect(id.stdout.trim()).toBe('65532')
    // The bundle cannot be changed by the user that runs it.
    const touch = await containers(['run', '--rm', '--entrypoint', 'touch', TAG, '/app/index.js'])
    expect(touch.code).not.toBe(0)
  }, 120_000)

  it('records a row from inside the container', async () => {
    const started = Math.floor(Date.now() / 1000) - 90
    const env: Record<string, string> = {
      DRONE: 'true',
      DRONE_REPO: 'acme/widgets',
      DRONE_REPO_OWNER: 'acme',
      DRONE_REPO_NAME: 'widgets',
      DRONE_BUILD_NUMBER: '501',
      DRONE_STAGE_NUMBER: '1',
      DRONE_STAGE_NAME: 'image',
      DRONE_STAGE_STARTED: String(started),
      DRONE_STAGE_STATUS: 'failure',
      DRONE_FAILED_STEPS: 'test',
      DRONE_CARD_PATH: '/dev/stdout',
      // A phase with an escape sequence and a credential: neither may reach the log, the card or the row.
      PLUGIN_PHASE: 'image\u001b]0;pwned\u0007 --password hunter2',
      PLUGIN_GITHUB_TOKEN: TOKEN,
      PLUGIN_GITHUB_API_URL: gh.url,
      PLUGIN_COMMENT: 'off',
    }
    // As locked down as a cautious runner makes it: no writable root filesystem, the fixed UID.
    const run = await containers(
      [
        'run',
        '--rm',
        '--read-only',
        '--user',
        '65532',
        ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        TAG,
      ],
      300_000,
    )
    expect(run.code).toBe(0)
    assertNoLeak({ code: run.code, stdout: run.stdout, stderr: run.stderr, ms: 0 }, [TOKEN])
    expect(sayLines(run.stdout)).toContainEqual(
      expect.stringMatching(/^build-timings: recorded in github:acme\/widgets@governance-registry/),
    )
    expect(run.stdout).toMatch(CARD_SEQUENCE)
    const csv = await gh.readFile('governance-registry', 'environments/ci/latest/build_timings.csv')
    expect(`${run.stdout}${run.stderr}${csv ?? ''}`).not.toMatch(/hunter2|pwned/)
    const rows = parse(csv ?? '', { columns: true }) as Record<string, string>[]
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      source: 'drone',
      status: 'failure',
      phase: 'image --password ***',
      row_id: 'drone/acme/widgets/501/1/image --password ***',
    })
    expect(Number(rows[0]?.duration_seconds)).toBeGreaterThanOrEqual(90)
  }, 300_000)
})
