/// <reference lib="dom" />
/**
 * docs/architecture.md stays true: every file it names exists, every folder of src/ is in its layer
 * table, and its Mermaid diagram renders (in headless Chromium, skipped with a printed reason without it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { ROOT } from '../support/action-runner.js'

const DOC = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8')

test('every path the map names exists', () => {
  const named = [...DOC.matchAll(/`((?:src|__tests__|docs|scripts|\.github)\/[\w./-]+)`/g)].map((m) => m[1]!)
  expect(named.length).toBeGreaterThan(20)
  expect(named.filter((p) => !existsSync(join(ROOT, p)))).toEqual([])
})

test('every folder of src/ has its row in the layer table', () => {
  const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
  expect(folders.filter((f) => !DOC.includes(`| \`src/${f}\``))).toEqual([])
})

const CHROMIUM = '/usr/bin/chromium'
const testIf = existsSync(CHROMIUM) ? test : test.skip
if (!existsSync(CHROMIUM)) console.log(`architecture diagram check skipped: ${CHROMIUM} is missing`)

declare const mermaid: {
  initialize(config: object): void
  render(id: string, text: string): Promise<{ svg: string }>
}

testIf(
  'its Mermaid diagram renders',
  async () => {
    const diagrams = [...DOC.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(diagrams.length).toBeGreaterThan(0)
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu'],
    })
    try {
      const page = await browser.newPage()
      await page.setContent('<!doctype html><html><body></body></html>')
      await page.addScriptTag({ path: join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js') })
      await page.evaluate(() => mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }))
      for (const [i, text] of diagrams.entries()) {
        const result = await page.evaluate(
          async ([id, text]) => {
            try {
              return (await mermaid.render(id, text)).svg
            } catch (e) {
              return `error: ${String((e as Error)?.message ?? e)}`
            }
          },
          [`a${i}`, text] as const,
        )
        expect(result).toMatch(/^<svg[\s>]/)
        expect(result).not.toMatch(/Syntax error/i)
      }
    } finally {
      await browser.close()
    }
  },
  60_000,
)
