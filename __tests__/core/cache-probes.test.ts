import { CacheProbesError, parseCacheProbes, probeResult } from '../../src/core/cache-probes.js'

describe('parseCacheProbes', () => {
  test('a mapping of name → key, path and restore-keys, in the forms actions/cache accepts', () => {
    const text = [
      'npm: { key: npm-abc, path: ~/.npm, restore-keys: npm- }',
      'gradle:',
      '  key: gradle-123',
      '  path: |',
      '    ~/.gradle/caches',
      '    ~/.gradle/wrapper',
      '  restore-keys: [gradle-, g-]',
    ].join('\n')
    expect(parseCacheProbes(text)).toEqual([
      { name: 'npm', key: 'npm-abc', paths: ['~/.npm'], restoreKeys: ['npm-'] },
      {
        name: 'gradle',
        key: 'gradle-123',
        paths: ['~/.gradle/caches', '~/.gradle/wrapper'],
        restoreKeys: ['gradle-', 'g-'],
      },
    ])
  })

  test('empty input declares nothing', () => {
    expect(parseCacheProbes('  \n')).toEqual([])
  })

  test.each([
    ['npm: [a, b]', /"npm" must map to/],
    ['npm: { path: ~/.npm }', /"npm" needs a key/],
    ['npm: { key: k }', /"npm" needs a path/],
    ['- npm', /expected a mapping/],
    ['npm: { key: [a, }', /not valid YAML/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseCacheProbes(text)).toThrow(CacheProbesError)
    expect(() => parseCacheProbes(text)).toThrow(message)
  })
})

describe('probeResult', () => {
  test.each([
    ['npm-abc', 'npm-abc', 'exact'],
    ['npm-abc', 'NPM-ABC', 'exact'],
    ['npm-abc', 'npm-old', 'partial'],
    ['npm-abc', undefined, 'miss'],
    ['npm-abc', '', 'miss'],
  ] as [string, string | undefined, string][])('primary %s, matched %s → %s', (key, matched, result) => {
    expect(probeResult(key, matched)).toBe(result)
  })
})
