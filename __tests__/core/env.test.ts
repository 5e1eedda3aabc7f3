import { canonicalEnv, DEFAULT_PATH_TEMPLATE, registryPath } from '../../src/core/env.js'
import { InputError } from '../../src/core/errors.js'

describe('canonicalEnv', () => {
  test.each([
    ['dev', 'development'],
    ['stg', 'staging'],
    ['stage', 'staging'],
    ['prod', 'production'],
    ['DEV', 'development'],
    ['Stage', 'staging'],
    ['PROD', 'production'],
    ['Production', 'production'],
    ['  ci  ', 'ci'],
    ['QA', 'qa'],
    ['eu-west-1.blue_2', 'eu-west-1.blue_2'],
    ['7', '7'],
    ['a'.repeat(63), 'a'.repeat(63)],
    ['development', 'development'],
  ])('%j → %j', (raw, expected) => {
    expect(canonicalEnv(raw)).toBe(expected)
  })

  test.each([
    ['../../etc'],
    ['..'],
    ['a/b'],
    ['a\\b'],
    [''],
    ['   '],
    ['a'.repeat(64)],
    ['-staging'],
    ['.hidden'],
    ['_x'],
    ['a..b'],
    ['has space'],
    ['prod;rm'],
    ['{env}'],
    ['dév'],
  ])('rejects %j with an InputError naming the input', (raw) => {
    expect(() => canonicalEnv(raw, 'environment')).toThrow(InputError)
    try {
      canonicalEnv(raw, 'environment')
    } catch (e) {
      expect((e as InputError).input).toBe('environment')
      expect((e as Error).message).toContain('environment')
    }
  })
})

describe('registryPath', () => {
  test.each([
    [DEFAULT_PATH_TEMPLATE, 'staging', 'environments/staging/latest/build_timings.csv'],
    ['timings/{env}.csv', 'ci', 'timings/ci.csv'],
    ['{env}/{env}.csv', 'production', 'production/production.csv'],
    ['docs/build-timings-{env}.csv', 'development', 'docs/build-timings-development.csv'],
  ])('%j with %j → %j', (template, env, expected) => {
    expect(registryPath(template, env)).toBe(expected)
  })

  test.each([
    ['environments/latest/build_timings.csv', 'no {env}'],
    ['/environments/{env}/build_timings.csv', 'absolute'],
    ['/{env}.csv', 'absolute at root'],
    ['environments/{env}/../../etc/x.csv', 'contains ..'],
    ['../{env}.csv', 'leading ..'],
    ['environments/./{env}.csv', 'contains .'],
    ['environments//{env}.csv', 'empty segment'],
    ['environments\\{env}.csv', 'backslash'],
    ['environments/{env}/build_timings.txt', 'not .csv'],
    ['environments/{env}/build_timings', 'no extension'],
    ['environments/{env}/', 'a folder'],
    ['', 'empty'],
  ])('refuses %j (%s)', (template) => {
    expect(() => registryPath(template, 'ci', 'registry-path')).toThrow(InputError)
    expect(() => registryPath(template, 'ci', 'registry-path')).toThrow(/registry-path/)
  })

  // registryPath trusts its env to be canonical (callers run canonicalEnv first); it still never leaves the folder.
  test.each([['../../etc'], ['/etc'], ['../']])('refuses the env %j even with a valid template', (env) => {
    expect(() => registryPath(DEFAULT_PATH_TEMPLATE, env)).toThrow(InputError)
    expect(() => registryPath('{env}.csv', env)).toThrow(InputError)
  })
})
