/**
 * The layer rule in eslint.config.js: core <- github <- registry <- app <- doors (action, drone, cli).
 * Snippets placed in each folder import each other folder; only the imports that run down the layers pass.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../support/action-runner.js'

const ORDER = ['core', 'github', 'registry', 'telemetry', 'app'] as const
const DOORS = ['action', 'drone', 'cli'] as const
const FOLDERS = [...ORDER, ...DOORS]

interface Finding {
  ruleId: string | null
  message: string
}

function lint(snippets: { filePath: string; code: string }[]): Finding[][] {
  const r = spawnSync(process.execPath, [join(ROOT, '__tests__', 'lint', 'lint-snippets.mjs')], {
    cwd: ROOT,
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`lint-snippets failed: ${r.stderr}`)
  return JSON.parse(r.stdout) as Finding[][]
}

function allowed(from: string, to: string): boolean {
  if (from === to) return true
  const rank = (f: string): number => (ORDER as readonly string[]).indexOf(f)
  if (rank(to) < 0) return false // a door is imported by nobody
  return rank(from) < 0 || rank(to) < rank(from)
}

test('each folder may import only the layers below it; doors import no other door', () => {
  const cases = FOLDERS.flatMap((from) =>
    FOLDERS.flatMap((to) =>
      ['', 'render/'].map((sub) => ({
        from,
        to,
        filePath: join(ROOT, 'src', from, sub, 'layer-probe.ts'),
        code: `import { x } from '${sub ? '../../' : '../'}${to}/some-module.js'\nexport const y = x\n`,
      })),
    ),
  )
  const found = lint(cases)
  const verdicts = cases.map((c, i) => {
    const restricted = found[i]!.some((f) => f.ruleId === 'no-restricted-imports')
    return `${c.filePath.slice(ROOT.length + 5)} -> ${c.to}: ${restricted ? 'rejected' : 'allowed'}`
  })
  const expected = cases.map(
    (c) =>
      `${c.filePath.slice(ROOT.length + 5)} -> ${c.to}: ${allowed(c.from, c.to) ? 'allowed' : 'rejected'}`,
  )
  expect(verdicts).toEqual(expected)
  expect(verdicts.filter((v) => v.endsWith('rejected')).length).toBeGreaterThan(20)
})

test('the message names the rule and where the layers are described', () => {
  const [findings] = lint([
    { filePath: join(ROOT, 'src', 'core', 'x.ts'), code: "export { buildRow } from '../app/record.js'\n" },
  ])
  expect(findings).toEqual([
    {
      ruleId: 'no-restricted-imports',
      message: expect.stringContaining(
        'src/core must not import github, registry, telemetry, app',
      ) as unknown as string,
    },
  ])
  expect(findings![0]!.message).toContain('docs/architecture.md')
})

test('core stays pure: the toolkit and the file system are refused there and nowhere else', () => {
  const code =
    "import { readFileSync } from 'node:fs'\nimport * as core from '@actions/core'\nexport { readFileSync, core }\n"
  const [inCore, inApp] = lint([
    { filePath: join(ROOT, 'src', 'core', 'x.ts'), code },
    { filePath: join(ROOT, 'src', 'app', 'x.ts'), code },
  ])
  expect(inCore!.filter((f) => f.ruleId === 'no-restricted-imports')).toHaveLength(2)
  expect(inApp).toEqual([])
})
