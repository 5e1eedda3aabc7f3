import { describe, expect, it } from '@jest/globals'
import { parseEnvFile, readContext, type ReadFile } from '../../src/drone/context.js'
import { parseCacheHitsSetting, pluginSettings } from '../../src/drone/settings.js'

const files =
  (table: Record<string, string>): ReadFile =>
  (path) =>
    table[path] ?? null

const noFiles: ReadFile = () => null

// A failed stage as the Drone docker runner hands it to a step placed last (docs/architecture.md "Drone and
// Woodpecker").
const droneFailedStage = {
  DRONE: 'true',
  CI: 'drone',
  DRONE_REPO: 'acme/widgets',
  DRONE_REPO_OWNER: 'acme',
  DRONE_REPO_NAME: 'widgets',
  DRONE_BUILD_NUMBER: '42',
  DRONE_STAGE_NUMBER: '2',
  DRONE_STAGE_NAME: 'test',
  DRONE_BUILD_STARTED: '1769249703', // later than the stage start: the "now" stand-in peers trusted
  DRONE_STAGE_STARTED: '1769249403',
  DRONE_BUILD_STATUS: 'success',
  DRONE_STAGE_STATUS: 'failure',
  DRONE_FAILED_STEPS: 'unit-tests',
  DRONE_COMMIT_SHA: 'a'.repeat(40),
  DRONE_COMMIT_REF: 'refs/heads/feature',
  DRONE_SYSTEM_PROTO: 'https',
  DRONE_SYSTEM_HOST: 'drone.example.com',
  DRONE_WORKSPACE: '/drone/src',
  PLUGIN_GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
}

// Woodpecker's Drone compatibility layer says success whatever happened; CI_PIPELINE_STATUS is the truth.
const woodpeckerFailed = {
  CI: 'woodpecker',
  CI_REPO: 'acme/widgets',
  CI_REPO_OWNER: 'acme',
  CI_REPO_NAME: 'widgets',
  CI_PIPELINE_NUMBER: '17',
  CI_PIPELINE_CREATED: '1769249390',
  CI_PIPELINE_STARTED: '1769249400',
  CI_PIPELINE_STATUS: 'failure',
  CI_WORKFLOW_NAME: 'build',
  CI_WORKFLOW_NUMBER: '3',
  CI_COMMIT_SHA: 'b'.repeat(40),
  CI_COMMIT_PULL_REQUEST: '9',
  CI_WORKSPACE: '/woodpecker/src',
  DRONE_BUILD_STATUS: 'success',
  DRONE_STAGE_STATUS: 'success',
  DRONE_STAGE_STARTED: '1769249000',
  DRONE_BUILD_NUMBER: '999',
}

describe('readContext: the pipeline', () => {
  it('reads a failed Drone stage: failure, stage start, real build and stage numbers', () => {
    const { ci, settings, problems } = readContext(droneFailedStage, noFiles, { runEnvPath: '/nope' })
    expect(problems).toEqual([])
    expect(ci).toMatchObject({
      platform: 'drone',
      repo: 'acme/widgets',
      buildNumber: '42',
      stageNumber: '2',
      stageName: 'test',
      status: 'failure',
      statusFrom: 'DRONE_FAILED_STEPS',
      failedSteps: ['unit-tests'],
      startFrom: 'DRONE_STAGE_STARTED',
      server: 'https://drone.example.com',
      pullRequest: null,
    })
    expect(ci.start?.toISOString()).toBe('2026-01-24T10:10:03.000Z')
    expect(settings).toMatchObject({
      phase: 'test',
      env: 'ci',
      buildId: '42',
      registryOwner: 'acme',
      registryRepo: 'widgets',
      registryBranch: 'governance-registry',
      registryPath: 'environments/{env}/latest/build_timings.csv',
      githubApiUrl: 'https://api.github.com',
      comment: 'auto',
      failOn: 'never',
      dryRun: false,
    })
  })

  it.each([
    // stage, build, expected start source
    ['1769249403', '1769249703', 'DRONE_STAGE_STARTED'], // build start later: ignored
    ['1769249403', '1769249000', 'DRONE_STAGE_STARTED'], // earlier: an earlier stage's, not this one's
    ['1769249403', '0', 'DRONE_STAGE_STARTED'], // zero: ignored
    ['', '1769249000', 'DRONE_BUILD_STARTED'], // no stage start
    ['0', '1769249000', 'DRONE_BUILD_STARTED'], // a stage start of 0
    ['', '', null],
  ])('start: stage %p, build %p → %p', (stage, build, from) => {
    const { ci } = readContext(
      { ...droneFailedStage, DRONE_STAGE_STARTED: stage, DRONE_BUILD_STARTED: build },
      noFiles,
    )
    expect(ci.startFrom).toBe(from)
    if (from === 'DRONE_STAGE_STARTED') expect(ci.start?.getTime()).toBe(1769249403_000)
    if (from === 'DRONE_BUILD_STARTED') expect(ci.start?.getTime()).toBe(1769249000_000)
    if (from === null) expect(ci.start).toBeNull()
  })

  it.each([
    // stage status, build status, failed steps → status
    ['success', 'success', '', 'success'],
    ['failure', 'success', '', 'failure'],
    ['success', 'failure', '', 'success'], // another stage failed; this one did not
    ['', 'failure', '', 'failure'],
    ['success', 'success', 'lint,test', 'failure'],
    ['killed', '', '', 'cancelled'],
    ['', '', '', 'unknown'],
  ])('Drone status: stage %p build %p failed steps %p → %p', (stage, build, failed, expected) => {
    const { ci } = readContext(
      {
        ...droneFailedStage,
        DRONE_STAGE_STATUS: stage,
        DRONE_BUILD_STATUS: build,
        DRONE_FAILED_STEPS: failed,
      },
      noFiles,
    )
    expect(ci.status).toBe(expected)
  })

  it('reloads /run/drone/env (Kubernetes runner): its later values win over the process environment', () => {
    const runEnv = [
      '# written by the kubernetes runner',
      'DRONE_STAGE_STATUS=failure',
      'export DRONE_FAILED_STEPS="integration"',
      'DRONE_BUILD_STATUS=failure',
      '',
    ].join('\n')
    const env = { ...droneFailedStage, DRONE_STAGE_STATUS: 'success', DRONE_FAILED_STEPS: '' }
    expect(readContext(env, noFiles, { runEnvPath: '/run/drone/env' }).ci.status).toBe('success')
    const { ci } = readContext(env, files({ '/tmp/x/env': runEnv }), { runEnvPath: '/tmp/x/env' })
    expect(ci.status).toBe('failure')
    expect(ci.failedSteps).toEqual(['integration'])
  })

  it('Woodpecker: CI_PIPELINE_STATUS decides, DRONE_BUILD_STATUS=success is never read', () => {
    const { ci, settings } = readContext(woodpeckerFailed, noFiles)
    expect(ci).toMatchObject({
      platform: 'woodpecker',
      repo: 'acme/widgets',
      buildNumber: '17',
      stageNumber: '3',
      stageName: 'build',
      status: 'failure',
      statusFrom: 'CI_PIPELINE_STATUS',
      startFrom: 'CI_PIPELINE_STARTED',
      pullRequest: 9,
      queueSeconds: 10,
      cardPath: '',
    })
    expect(ci.start?.getTime()).toBe(1769249400_000)
    expect(settings.phase).toBe('build')
    expect(settings.buildId).toBe('17')
  })

  it('Woodpecker without CI_PIPELINE_STATUS (before 3.15) is unknown, not the hard-coded success', () => {
    const { CI_PIPELINE_STATUS: _unused, ...env } = woodpeckerFailed
    expect(readContext(env, noFiles).ci.status).toBe('unknown')
  })

  it('a missing build number is a blocking problem (every run would share one row_id)', () => {
    const { problems } = readContext({ ...droneFailedStage, DRONE_BUILD_NUMBER: '' }, noFiles)
    expect(problems).toEqual([expect.objectContaining({ setting: 'DRONE_BUILD_NUMBER', blocking: true })])
  })
})

describe('readContext: settings encodings', () => {
  it('folds keys as Drone and Woodpecker do: upper case, "-" and "." become "_"; empty values are unset', () => {
    expect(
      Object.fromEntries(
        pluginSettings({
          'PLUGIN_REGISTRY-BRANCH': 'timings',
          'PLUGIN_REGISTRY.PATH': 'x/{env}.csv',
          PLUGIN_FAIL_ON: 'over-max',
          PLUGIN_FLAGS: '',
          NOT_A_PLUGIN: 'x',
        }),
      ),
    ).toEqual({ registry_branch: 'timings', registry_path: 'x/{env}.csv', fail_on: 'over-max' })
  })

  it('reads every setting', () => {
    const { settings, problems } = readContext(
      {
        ...droneFailedStage,
        PLUGIN_PHASE: 'unit-tests',
        PLUGIN_ENVIRONMENT: 'Stage',
        PLUGIN_BUILD_ID: 'release-7',
        PLUGIN_FLAGS: 'nightly',
        PLUGIN_REGISTRY_REPOSITORY: 'acme/registry',
        PLUGIN_REGISTRY_BRANCH: 'timings',
        PLUGIN_REGISTRY_PATH: 'timings/{env}.csv',
        PLUGIN_COMMENT: 'off',
        PLUGIN_FAIL_ON: 'over_max',
        PLUGIN_GITHUB_API_URL: 'https://github.example.com/api/v3/',
        PLUGIN_DRY_RUN: 'true',
        PLUGIN_DRONE_TOKEN: 'drone-user-token-123',
      },
      noFiles,
    )
    expect(problems).toEqual([])
    expect(settings).toMatchObject({
      phase: 'unit-tests',
      env: 'staging',
      buildId: 'release-7',
      flags: 'nightly',
      registryOwner: 'acme',
      registryRepo: 'registry',
      registryBranch: 'timings',
      registryPath: 'timings/{env}.csv',
      comment: 'off',
      failOn: 'over-max',
      githubApiUrl: 'https://github.example.com/api/v3',
      dryRun: true,
      droneToken: 'drone-user-token-123',
    })
  })

  it.each([
    ['JSON map (Drone)', '{"deps":true,"build":false,"docker":""}'],
    ['JSON map with strings (Woodpecker)', '{"deps":"true","build":"false","docker":""}'],
    ['comma list (YAML list of scalars)', 'deps=true,build=false,docker='],
    ['lines', 'deps=true\nbuild=false\ndocker='],
    ['JSON list', '["deps=true","build=false","docker="]'],
  ])('cache_hits as a %s', (_name, value) => {
    const { settings, problems } = readContext({ ...droneFailedStage, PLUGIN_CACHE_HITS: value }, noFiles)
    expect(problems).toEqual([])
    expect(settings.cacheEntries).toEqual([
      { name: 'deps', result: 'exact' },
      { name: 'build', result: 'partial' },
      { name: 'docker', result: 'miss' },
    ])
  })

  it('inline budgets as YAML, and as JSON with numbers turned into strings (Woodpecker)', () => {
    const yaml = readContext(
      { ...droneFailedStage, PLUGIN_BUDGETS: 'phases:\n  test: { target: 1m, max: 2m }\n' },
      noFiles,
    )
    const json = readContext(
      {
        ...droneFailedStage,
        PLUGIN_BUDGETS: '{"phases":{"test":{"target":"60","max":"120"}},"regression":{"window":"5"}}',
      },
      noFiles,
    )
    for (const { settings, problems } of [yaml, json]) {
      expect(problems).toEqual([])
      expect(settings.budgets.phases).toEqual([{ pattern: 'test', budget: { target: 60, max: 120 } }])
    }
    expect(json.settings.budgets.regression.window).toBe(5)
  })

  it('reads the budgets file relative to the workspace; a missing default file means no budgets', () => {
    const text = 'defaults: { target: 10m, max: 15m }\n'
    const found = readContext(droneFailedStage, files({ '/drone/src/.github/build-budgets.yml': text }))
    expect(found.settings.budgets.defaults).toEqual({ target: 600, max: 900 })
    expect(found.settings.budgetsFrom).toBe('/drone/src/.github/build-budgets.yml')
    const missing = readContext(droneFailedStage, noFiles)
    expect(missing.problems).toEqual([])
    expect(missing.notes).toEqual([])
    expect(missing.settings.budgets.phases).toEqual([])
    const named = readContext({ ...droneFailedStage, PLUGIN_BUDGETS_FILE: 'ci/budgets.yml' }, noFiles)
    expect(named.notes).toEqual(['budgets file /drone/src/ci/budgets.yml not found: no budgets apply'])
    const wp = readContext(woodpeckerFailed, files({ '/woodpecker/src/.github/build-budgets.yml': text }))
    expect(wp.settings.budgets.defaults).toEqual({ target: 600, max: 900 })
  })

  it('a malformed budgets file is one warning naming file, line and column, and no budgets', () => {
    const { problems, settings } = readContext(
      droneFailedStage,
      files({ '/drone/src/.github/build-budgets.yml': 'phases:\n  test: { target: soon }\n' }),
    )
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ setting: 'budgets_file', blocking: false })
    expect(problems[0]?.message).toMatch(/^\/drone\/src\/\.github\/build-budgets\.yml:2:\d+: .*soon/)
    expect(settings.budgets.phases).toEqual([])
  })

  it.each([
    ['PLUGIN_ENVIRONMENT', '../../etc', 'environment', true],
    ['PLUGIN_REGISTRY_PATH', '/etc/passwd', 'registry_path', true],
    ['PLUGIN_REGISTRY_REPOSITORY', 'not a repo', 'registry_repository', true],
    ['PLUGIN_GITHUB_API_URL', 'github.example.com', 'github_api_url', true],
    ['PLUGIN_DRY_RUN', 'maybe', 'dry_run', true],
    ['PLUGIN_FAIL_ON', 'sometimes', 'fail_on', false],
    ['PLUGIN_COMMENT', 'loud', 'comment', false],
    ['PLUGIN_CACHE_HITS', 'deps=perhaps', 'cache_hits', false],
    ['PLUGIN_CACHE_HITS', '{"deps": tru', 'cache_hits', false],
  ])('malformed %s=%p is a problem for %p (blocking %p)', (key, value, setting, blocking) => {
    const { problems } = readContext({ ...droneFailedStage, [key]: value }, noFiles)
    expect(problems).toEqual([expect.objectContaining({ setting, blocking })])
    expect(problems[0]?.message).toContain(setting)
  })

  it('no repository anywhere is a blocking problem that says which setting to set', () => {
    const { problems } = readContext(
      { ...droneFailedStage, DRONE_REPO: '', DRONE_REPO_OWNER: '', DRONE_REPO_NAME: '' },
      noFiles,
    )
    expect(problems).toEqual([expect.objectContaining({ setting: 'registry_repository', blocking: true })])
  })
})

describe('settings helpers', () => {
  it('parses the env file format', () => {
    expect(parseEnvFile("A=1\nexport B='two words'\n# c\nnot a line\nC=x=y\n")).toEqual({
      A: '1',
      B: 'two words',
      C: 'x=y',
    })
  })

  it('reports cache_hits entries it cannot read', () => {
    expect(parseCacheHitsSetting('{"a": 3}').invalid).toEqual(['a=3'])
    expect(parseCacheHitsSetting('[{"name":"a","hit":true}]').entries).toEqual([
      { name: 'a', result: 'exact' },
    ])
  })
})
