import { isBranchName, parseBool, parseComment, parseFailOn } from '../../src/core/config.js'

test.each([
  ['true', true],
  ['YES', true],
  ['y', true],
  ['off', false],
  ['0', false],
  ['maybe', null],
  ['', null],
])('parseBool(%p) is %p', (value, expected) => {
  expect(parseBool(value)).toBe(expected)
})

test('fail-on and comment accept the spellings of every door', () => {
  expect(['never', 'over-max', 'over_max', 'TIMEOUT', 'soon'].map(parseFailOn)).toEqual([
    'never',
    'over-max',
    'over-max',
    'timeout',
    null,
  ])
  expect(['auto', 'on', 'off', 'never', 'sometimes'].map(parseComment)).toEqual([
    'auto',
    'auto',
    'off',
    'off',
    null,
  ])
})

test.each([
  ['governance-registry', true],
  ['timings/ci', true],
  ['../main', false],
  ['-x', false],
  ['a b', false],
  ['ref.lock', false],
  ['', false],
])('isBranchName(%p) is %p', (name, expected) => {
  expect(isBranchName(name)).toBe(expected)
})
