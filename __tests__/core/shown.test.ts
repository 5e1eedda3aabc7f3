import { rowKey, rowsShown, showsAll, shownLine } from '../../src/core/render/shown.js'

test('a body lists the rows it shows; a job whose rows are all listed has nothing to add', () => {
  const ids = ['gh/acme/widgets/1/1/10/test (0)', 'gh/acme/widgets/1/1/11/test (1)']
  const body = `<!-- build-timings:CI -->\n### table\n${shownLine(ids)}`
  expect(rowsShown(body)).toEqual(new Set(ids.map(rowKey)))
  expect(showsAll(body, [ids[0]!])).toBe(true)
  expect(showsAll(body, ids)).toBe(true)
  expect(showsAll(body, [...ids, 'gh/acme/widgets/1/1/12/test (2)'])).toBe(false)
})

test('a body without the line (an older comment) shows nothing', () => {
  expect(showsAll('<!-- build-timings:CI -->\nold', ['x'])).toBe(false)
  expect(showsAll('<!-- build-timings:CI -->\nold', [])).toBe(true)
})

test('keys are 8 hex digits, stable, and differ for different rows', () => {
  expect(rowKey('a')).toMatch(/^[0-9a-f]{8}$/)
  expect(rowKey('gh/x/1/1/1/a')).toBe(rowKey('gh/x/1/1/1/a'))
  expect(
    new Set(Array.from({ length: 256 }, (_, i) => rowKey(`gh/acme/widgets/9/1/${i}/test (${i})`))).size,
  ).toBe(256)
})
