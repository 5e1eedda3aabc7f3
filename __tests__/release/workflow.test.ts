/**
 * .github/workflows/release.yml: it parses, keeps publishing the plugin image, and its major-tag job's
 * scripts, run with bash against a real origin repository, move `vX` only to the newest `vX.Y.Z`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../support/action-runner.js'

interface Step {
  name?: string
  id?: string
  uses?: string
  run?: string
  if?: string
  env?: Record<string, string>
}
interface Workflow {
  on: { push: { tags: string[] } }
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'release.yml'), 'utf8')) as Workflow
const majorTag = workflow.jobs['major-tag']!
const decide = majorTag.steps.find((s) => s.id === 'version')!
const move = majorTag.steps.find((s) => s.env?.MAJOR !== undefined)!

test('the release workflow runs on version tags, still publishes the image, and may push the major tag', () => {
  expect(workflow.on.push.tags).toEqual(['v*'])
  expect(workflow.jobs.image!.steps.map((s) => s.uses?.split('@')[0])).toContain('docker/build-push-action')
  expect(majorTag.permissions).toEqual({ contents: 'write' })
  expect(majorTag.steps[0]?.uses).toMatch(/^actions\/checkout@/)
  expect(move.if).toBe("steps.version.outputs.major != ''")
  expect(move.env?.MAJOR).toBe('${{ steps.version.outputs.major }}')
})

describe('the major-tag job against a real origin', () => {
  let dir: string
  let origin: string
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.invalid',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.invalid',
  }
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim()
  const tip = (ref: string): string => git(origin, 'rev-parse', `${ref}^{commit}`)

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bt-release-'))
    origin = join(dir, 'origin.git')
    const work = join(dir, 'work')
    git(dir, 'init', '-q', '--bare', origin)
    git(dir, 'init', '-q', '-b', 'main', work)
    const release = (tag: string, version: string, changelog = `## [${version}] - 2026-12-01\n`): void => {
      writeFileSync(join(work, 'package.json'), JSON.stringify({ version }))
      writeFileSync(join(work, 'CHANGELOG.md'), `# Changelog\n\n${changelog}`)
      git(work, 'add', '.')
      git(work, 'commit', '-q', '-m', version)
      git(work, 'tag', '-a', tag, '-m', tag)
    }
    release('v1.0.0', '1.0.0')
    git(work, 'tag', 'v1')
    release('v1.1.0', '1.1.0')
    release('v1.0.1', '1.0.1') // a later patch of an older minor
    release('v2.0.0-rc.1', '2.0.0-rc.1')
    release('v3.0.0', '3.0.0', '## [Unreleased]\n')
    release('v4.0.0', '3.9.9')
    git(work, 'remote', 'add', 'origin', origin)
    git(work, 'push', '-q', 'origin', 'main', '--tags')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** The job's two scripts as the runner runs them, on a checkout of `tag`. */
  function releaseJob(tag: string): { code: number; stdout: string } {
    const checkout = mkdtempSync(join(dir, 'checkout-'))
    git(dir, 'clone', '-q', origin, checkout)
    git(checkout, 'checkout', '-q', '--detach', tag)
    const output = join(checkout, '.github-output')
    writeFileSync(output, '')
    const bash = (script: string, extra: Record<string, string> = {}) =>
      spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: checkout,
        env: {
          ...env,
          GITHUB_REF_NAME: tag,
          GITHUB_REF: `refs/tags/${tag}`,
          GITHUB_OUTPUT: output,
          ...extra,
        },
        encoding: 'utf8',
      })
    const first = bash(decide.run!)
    const major = /^major=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1] ?? ''
    if (first.status !== 0 || !major) return { code: first.status ?? 1, stdout: first.stdout }
    const second = bash(move.run!, { MAJOR: major })
    return { code: second.status ?? 1, stdout: first.stdout + second.stdout + second.stderr }
  }

  test('the newest v1.y.z moves v1 to its commit', () => {
    expect(tip('v1')).toBe(tip('v1.0.0'))
    const r = releaseJob('v1.1.0')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('v1 now points at v1.1.0')
    expect(tip('v1')).toBe(tip('v1.1.0'))
  })

  test('a patch of an older minor leaves v1 on the newest release', () => {
    const r = releaseJob('v1.0.1')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('v1.1.0 is newer than v1.0.1: v1 stays on v1.1.0')
    expect(tip('v1')).toBe(tip('v1.1.0'))
  })

  test('a pre-release creates no major tag', () => {
    const r = releaseJob('v2.0.0-rc.1')
    expect(r.code).toBe(0)
    expect(git(origin, 'tag', '--list', 'v2')).toBe('')
  })

  test.each([
    ['v3.0.0', "CHANGELOG.md has no '## [3.0.0]' section"],
    ['v4.0.0', 'package.json says 3.9.9'],
  ])('%s, whose files disagree with the tag, fails and moves nothing', (tag, why) => {
    const r = releaseJob(tag)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(why)
    expect(git(origin, 'tag', '--list', tag.slice(0, 2))).toBe('')
  })
})

test("the repository's own package.json version has its CHANGELOG.md section, so tagging it would release", () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8')
  expect(changelog).toMatch(
    new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'),
  )
  expect(changelog).toMatch(/^## \[Unreleased\]$/m)
})
