import { NO_BUDGETS } from '../../../src/core/budgets.js'
import { renderComment } from '../../../src/core/render/comment.js'
import { inert } from '../../../src/core/render/markdown.js'
import { ganttText, mermaidBlocks, quoted } from '../../../src/core/render/mermaid.js'
import { renderRunSummary } from '../../../src/core/render/run-summary.js'
import { row } from './samples.js'

const WJ = '\u2060'

describe('inert: user text shown in Markdown cannot act', () => {
  test.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['<!-- build-timings:CI -->', '&lt;!-- build-timings:CI --&gt;'],
    ['cc @octocat and @acme/team', `cc @${WJ}octocat and @${WJ}acme/team`],
    ['fixes #12 and acme/widgets#7 GH-3', `fixes #${WJ}12 and acme/widgets#${WJ}7 GH-${WJ}3`],
    ['[click](https://evil.example)', `\\[click\\](https:${WJ}//evil.example)`],
    ['![x](https://evil.example/p.png)', `!\\[x\\](https:${WJ}//evil.example/p.png)`],
    [
      'see https://evil.example and www.evil.example',
      `see https:${WJ}//evil.example and www${WJ}.evil.example`,
    ],
    ['mail a@b.example', `mail a@${WJ}b.example`],
    ['`code` and \\', '\\`code\\` and \\\\'],
    ['a | b', 'a \\| b'],
    ['&lt;b&gt;', '&amp;lt;b&amp;gt;'],
    ['\x1b[31mred\x1b]8;;https://x\x07', 'red'],
    ['line1\nline2', 'line1 line2'],
    ['--password hunter2', '--password ***'],
    ['test (ubuntu-latest, 20)', 'test (ubuntu-latest, 20)'],
  ])('%j → %j', (value, expected) => {
    expect(inert(value)).toBe(expected)
  })
})

describe('Mermaid text cannot carry a directive or markup', () => {
  test.each([
    ['%%{init: {"securityLevel": "loose"}}%%'],
    ['a\n  click s1 href "javascript:alert(1)"'],
    ['<img src=x onerror=alert(1)>'],
    ['\x1b[2Jx'],
  ])('%j', (value) => {
    for (const out of [ganttText(value), quoted(value)]) {
      // eslint-disable-next-line no-control-regex -- ESC must not survive
      expect(out).not.toMatch(/%%|[\n<>\x1b]/)
    }
  })
})

describe('hostile phase names through the PR comment and the run summary', () => {
  const HOSTILE = [
    '@octocat please look',
    'deploy #1 ![i](https://evil.example/i.png)',
    '<script>alert(1)</script>',
    '[x](javascript:alert(1))',
    '%%{init: {"theme":"dark"}}%% x',
    'db --password hunter2',
  ]
  const rows = HOSTILE.map((phase, i) =>
    row({
      phase,
      runId: 7,
      duration: 60 + i,
      budget: [10, 20, 'over_max'],
      start: `2026-01-24T10:0${i}:00Z`,
    }),
  )

  test.each([
    [
      'comment',
      (): string => renderComment({ workflow: 'CI @all', rows, history: rows, budgets: NO_BUDGETS }),
    ],
    ['run summary', (): string => renderRunSummary('7', rows, 'dry run')],
  ])('%s: no mention, link, image, HTML, directive or password', (_name, render) => {
    const text = render()
    // Fenced blocks and the hidden marker are not rendered as Markdown: mentions and links do not form there.
    const outsideMermaid = text.replace(/^(`{3,})\w*\n[\s\S]*?\n\1$/gm, '').replace(/^<!--.*-->$/m, '')
    expect(outsideMermaid).not.toMatch(/@[A-Za-z]/)
    expect(outsideMermaid).not.toMatch(/#\d/)
    expect(outsideMermaid).not.toMatch(/(?<!\\)\]\(/)
    expect(outsideMermaid).not.toMatch(/<(?!!-- build-timings:|sub>|\/sub>)/)
    for (const block of mermaidBlocks(text)) expect(block).not.toMatch(/%%\{|<script/)
    expect(text).not.toContain('hunter2')
  })
})
