import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { VERSION } from '../../src/cli/version.js'
import { parseRegistrySpec } from '../../src/registry/spec.js'
import { cli, tempDir } from './helpers.js'

let cwd: string
beforeEach(async () => {
  cwd = await tempDir()
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

describe('usage errors: one line "build-timings: <what>; <fix>", exit 2, and the command never runs', () => {
  test.each([
    [
      'unknown flag',
      ['run', '--phase', 'x', '--colour', '--', 'touch', 'ran'],
      /^build-timings: unknown option --colour for run; see build-timings run --help$/,
    ],
    [
      'missing --',
      ['run', '--phase', 'x', 'touch', 'ran'],
      /^build-timings: run needs "--" between its options and the command \("touch"\); e\.g\. build-timings run/,
    ],
    [
      'nothing after --',
      ['run', '--phase', 'x', '--'],
      /^build-timings: run needs a command after "--"; e\.g\./,
    ],
    [
      'no phase',
      ['run', '--', 'touch', 'ran'],
      /^build-timings: run needs --phase; e\.g\. build-timings run --phase/,
    ],
    [
      'flag without value',
      ['run', '--phase'],
      /^build-timings: option --phase needs a value .*; see build-timings run --help$/,
    ],
    [
      'bad registry spec',
      ['run', '--phase', 'x', '--registry', 's3:bucket', '--', 'touch', 'ran'],
      /^build-timings: registry "s3:bucket" has an unknown kind "s3"; use file:PATH, git:BRANCH or github:OWNER\/REPO\[@BRANCH\]/,
    ],
    [
      'registry without kind',
      ['report', '--registry', 'timings.csv'],
      /^build-timings: registry "timings.csv" has no kind; use file:PATH/,
    ],
    [
      'github without token',
      ['run', '--phase', 'x', '--registry', 'github:acme/infra', '--', 'touch', 'ran'],
      /^build-timings: registry github:acme\/infra needs a token; set GITHUB_TOKEN/,
    ],
    [
      'git outside a repository',
      ['run', '--phase', 'x', '--registry', 'git:governance-registry', '--', 'touch', 'ran'],
      /^build-timings: git:governance-registry needs a git repository, but .* is not inside one; /,
    ],
    [
      'bad env',
      ['run', '--phase', 'x', '--env', '../etc', '--', 'touch', 'ran'],
      /^build-timings: --env "\.\.\/etc" is not a valid environment name/,
    ],
    [
      'unreadable budgets file',
      ['run', '--phase', 'x', '--budgets', 'nope.yml', '--', 'touch', 'ran'],
      /^build-timings: cannot read budgets file nope\.yml \(ENOENT\); pass --budgets/,
    ],
    [
      'unknown command',
      ['deploy'],
      /^build-timings: unknown command "deploy"; use run, record, report, push or migrate/,
    ],
    ['unknown top-level flag', ['--verbose'], /^build-timings: unknown option --verbose; /],
    [
      'bad format',
      ['report', '--format', 'xml'],
      /^build-timings: --format "xml" is not one of table, markdown, json, csv, html, comment; /,
    ],
    [
      'bad since',
      ['report', '--since', 'last week'],
      /^build-timings: --since "last week" is not a period or date; use e\.g\. --since 30d/,
    ],
    [
      'push without --to',
      ['push', '--from', 'file:a.csv'],
      /^build-timings: push needs --to; e\.g\. build-timings push/,
    ],
    ['stray argument', ['report', 'extra'], /^build-timings: unexpected argument "extra" for report; /],
  ])('%s', async (_name, argv, message) => {
    const r = await cli(argv, { cwd, env: { GIT_CEILING_DIRECTORIES: join(cwd, '..') } })
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    const lines = r.stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(message)
    expect(lines[0]).toContain('; ')
    expect(await readdir(cwd)).toEqual([]) // neither the command ran nor a row nor a log was written
  })

  test('an unreadable registry file (a directory) is exit 2 for report and push', async () => {
    await mkdir(join(cwd, 'dir.csv'))
    for (const argv of [
      ['report', '--registry', 'file:dir.csv'],
      ['push', '--from', 'file:dir.csv', '--to', 'file:out.csv'],
    ]) {
      const r = await cli(argv, { cwd })
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(
        /^build-timings: cannot read registry file .*dir\.csv \(EISDIR\); pass --registry file:PATH naming a readable CSV file\n$/,
      )
    }
  })

  test('run refuses a registry path that is a directory before running the command', async () => {
    await mkdir(join(cwd, 'dir.csv'))
    const r = await cli(['run', '--phase', 'x', '--registry', 'file:dir.csv', '--', 'touch', 'ran'], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /^build-timings: cannot read registry file .*dir\.csv \(EISDIR\); pass --registry file:PATH/,
    )
    expect(await readdir(cwd)).toEqual(['dir.csv'])
  })

  test("a wrapped command's exit code 2 is its own, not a usage error", async () => {
    const r = await cli(['run', '--phase', 'x', '--', 'sh', '-c', 'exit 2'], { cwd })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^build-timings: x \[local\] failure in 0s \(exit 2\)/)
  })
})

describe('help and version', () => {
  test('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(VERSION).toBe(pkg.version)
    expect(await cli(['--version'], { cwd })).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })

  test("the tool's help answers what registries are, the defaults, examples and exit codes", async () => {
    const r = await cli(['--help'], { cwd })
    expect(r.code).toBe(0)
    for (const needle of [
      'file:PATH',
      'git:BRANCH',
      'github:OWNER/REPO[@BRANCH]',
      'file:docs/build-timings.csv',
      'GITHUB_API_URL',
      'Exit codes',
      '128+N',
      'BUILD_TIMINGS_ENV',
      'Examples',
    ]) {
      expect(r.stdout).toContain(needle)
    }
    const bare = await cli([], { cwd })
    expect(bare.code).toBe(2)
    expect(bare.stderr).toContain('Usage:')
  })

  test.each([
    [
      'run',
      [
        'logs/build-timings',
        '{phase}-{build_id}-{YYYYMMDDTHHMMSSZ}.log',
        '.build-timings/spool.csv',
        'SIGTERM',
        '"local"',
        'Destroy complete!',
      ],
    ],
    ['record', ['--start T', 'Unix seconds', '--status S']],
    ['report', ['--since', 'p95', 'markdown', 'PERCENTILE.INC', 'progress line counts']],
    ['push', ['row_id', 'twice', 'one commit']],
  ])('%s --help', async (command, needles) => {
    const r = await cli([command, '--help'], { cwd })
    expect(r.code).toBe(0)
    for (const n of needles) expect(r.stdout).toContain(n)
    expect((await cli(['help', command], { cwd })).stdout).toBe(r.stdout)
  })
})

describe('registry specs', () => {
  test.each([
    ['file:docs/build-timings.csv', { kind: 'file', path: 'docs/build-timings.csv' }],
    ['git:governance-registry', { kind: 'git', branch: 'governance-registry' }],
    ['github:acme/infra', { kind: 'github', owner: 'acme', repo: 'infra', branch: 'governance-registry' }],
    ['github:acme/infra@timings', { kind: 'github', owner: 'acme', repo: 'infra', branch: 'timings' }],
  ])('%s', (spec, expected) => {
    expect(parseRegistrySpec(spec)).toEqual(expected)
  })

  test.each(['file:', 'git:', 'git:a..b', 'github:acme', 'github:acme/infra/x', 'ftp:x', ''])(
    '%j is refused',
    (spec) => {
      expect(() => parseRegistrySpec(spec)).toThrow(
        /; use file:PATH, git:BRANCH or github:OWNER\/REPO\[@BRANCH\]/,
      )
    },
  )
})

test('a wrapped command may write the budgets default path without it being read as usage', async () => {
  await mkdir(join(cwd, '.github'))
  await writeFile(join(cwd, '.github/build-budgets.yml'), 'defaults: { target: 1h }\n')
  const r = await cli(['run', '--phase', 'x', '--', 'true'], { cwd })
  expect(r.stderr).toContain('budget ok (target 1h 0m 0s, max –)')
})
