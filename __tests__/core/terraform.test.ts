import { parseResourceCounts, ResourceCountScanner, stripAnsi } from '../../src/core/terraform.js'

describe('parseResourceCounts', () => {
  test.each([
    ['Apply complete! Resources: 3 added, 1 changed, 0 destroyed.', { added: 3, changed: 1, destroyed: 0 }],
    [
      'Apply complete! Resources: 1 imported, 2 added, 0 changed, 5 destroyed.',
      { added: 2, changed: 0, destroyed: 5 },
    ],
    ['Destroy complete! Resources: 7 destroyed.', { added: 0, changed: 0, destroyed: 7 }],
    // OpenTofu prints the same summary.
    [
      'OpenTofu used the selected providers...\nApply complete! Resources: 0 added, 0 changed, 0 destroyed.\n',
      { added: 0, changed: 0, destroyed: 0 },
    ],
    [
      '\u001b[0m\u001b[1m\u001b[32mApply complete! Resources: \u001b[0m4 added, 2 changed, 1 destroyed.\u001b[0m',
      { added: 4, changed: 2, destroyed: 1 },
    ],
    ['Plan: 3 to add, 0 to change, 0 to destroy.', null],
    ['nothing to see', null],
  ])('%j', (text, expected) => {
    expect(parseResourceCounts(text)).toEqual(expected)
  })

  test('the last summary wins, whichever kind it is', () => {
    const text = [
      'Apply complete! Resources: 3 added, 1 changed, 0 destroyed.',
      'Destroy complete! Resources: 9 destroyed.',
      'Apply complete! Resources: 5 added, 0 changed, 0 destroyed.',
    ].join('\n')
    expect(parseResourceCounts(text)).toEqual({ added: 5, changed: 0, destroyed: 0 })
    expect(parseResourceCounts(text.split('\n').slice(0, 2).join('\n'))).toEqual({
      added: 0,
      changed: 0,
      destroyed: 9,
    })
  })

  test('stripAnsi removes colour and OSC sequences only', () => {
    expect(stripAnsi('\u001b[1;32mgreen\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007')).toBe(
      'green link',
    )
  })
})

describe('ResourceCountScanner', () => {
  test('finds a summary split across chunks, and keeps the last one', () => {
    const s = new ResourceCountScanner()
    for (const chunk of [
      'noise\nApply compl',
      'ete! Resources: 1 add',
      'ed, 2 changed, 3 destroyed.\nmore\n',
    ])
      s.push(chunk)
    expect(s.result()).toEqual({ added: 1, changed: 2, destroyed: 3 })
    s.push('Destroy complete! Resources: 4 destroyed.')
    expect(s.result()).toEqual({ added: 0, changed: 0, destroyed: 4 })
  })

  test('holds at most maxLine characters of an endless line', () => {
    const s = new ResourceCountScanner(100)
    for (let i = 0; i < 1000; i++) s.push('x'.repeat(50))
    s.push('Resources: 1 added, 0 changed, 0 destroyed.')
    expect(s.result()).toEqual({ added: 1, changed: 0, destroyed: 0 })
    expect(new ResourceCountScanner().result()).toBeNull()
  })
})
