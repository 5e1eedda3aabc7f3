/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The Mermaid charts of a sample comment and a sample summary really render: each diagram goes through
// the `mermaid` package in headless Chromium (Debian's `chromium`, driven by playwright-core).
// BUILD_TIMINGS_SCREENSHOT=1 also refreshes docs/sample-comment.png and docs/sample-summary.png.
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { mermaidBlocks, stepsGantt, trendChart } from '../../src/core/render/mermaid.js'
import { sampleComment, sampleSummary } from '../core/render/samples.js'
import { commentPage } from './markdown-html.js'

const CHROMIUM = '/usr/bin/chromium'
const MERMAID = join(process.cwd(), 'node_modules/mermaid/dist/mermaid.min.js')
const available = existsSync(CHROMIUM)
if (!available)
  console.log(`Mermaid rendering test skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`)
const describeIf = available ? describe : describe.skip

declare const mermaid: {
  initialize(config: object): void
  parse(text: string): Promise<unknown>
  render(id: string, text: string): Promise<{ svg: string }>
  run(opts: { querySelector: string }): Promise<void>
}

describeIf('Mermaid diagrams in headless Chromium', () => {
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    })
    page = await browser.newPage()
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>')
    await page.addScriptTag({ path: MERMAID })
    await page.evaluate(() => mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }))
  })

  afterAll(async () => {
    await browser?.close()
  })

  /** Parses and renders one diagram; returns the SVG text or the error message. */
  const render = (id: string, text: string): Promise<{ svg: string | null; error: string | null }> =>
    page.evaluate(
      async ([id, text]) => {
        try {
          await mermaid.parse(text)
          const { svg } = await mermaid.render(id, text)
          document.getElementById('out')!.innerHTML = svg
          return { svg, error: null }
        } catch (e) {
          return { svg: null, error: String((e as Error)?.message ?? e) }
        }
      },
      [id, text] as const,
    )

  const cases: [string, string[]][] = [
    ['sample comment (xychart-beta trends)', mermaidBlocks(sampleComment())],
    ['sample summary (gantt of the steps)', mermaidBlocks(sampleSummary())],
  ]

  it.each(cases)('%s: every diagram renders to an <svg> without a syntax error', async (_name, diagrams) => {
    expect(diagrams.length).toBeGreaterThan(0)
    for (const [i, diagram] of diagrams.entries()) {
      const { svg, error } = await render(`d${i}`, diagram)
      expect(error).toBeNull()
      expect(svg).toMatch(/^<svg[\s>]/)
      expect(svg).not.toMatch(/Syntax error/i)
    }
  })

  it('names with the characters Mermaid reserves are drawn as written', async () => {
    const names = ['Build: linux #2; 100% %% done', 'say "hi" -- now', 'section title']
    const gantt = stepsGantt(
      'a: b #c',
      names.map((name, i) => ({
        rank: i + 1,
        number: i + 1,
        name,
        conclusion: 'success',
        offset: i * 5,
        seconds: 5,
        share: 0,
        cumulative: 0,
      })),
    )
    const chart = trendChart({ title: names[1] as string, durations: [1, 2, 3], target: 2, max: 3 })
    for (const [id, diagram, expected] of [
      ['g', gantt, ['a: b #c', ...names.map((n, i) => `${i + 1}. ${n}`)]],
      ['x', chart, [names[1]]],
    ] as const) {
      const { svg, error } = await render(id, diagram)
      expect(error).toBeNull()
      const texts = await page.evaluate(() =>
        [...document.querySelectorAll('#out text')].map((t) => (t.textContent ?? '').trim()),
      )
      for (const text of expected) expect(texts.some((t) => t.includes(text as string))).toBe(true)
      expect(svg).not.toMatch(/Syntax error/i)
    }
  })

  it('a broken diagram is caught (the check can fail)', async () => {
    const { svg, error } = await render('bad', 'gantt\n  dateFormat X\n  a: b: c #d; e')
    expect(svg === null || /Syntax error/i.test(svg)).toBe(true)
    expect(error).not.toBeNull()
  })

  it('the gantt puts each step where the Jobs API says, in seconds since the job started', async () => {
    const [gantt] = mermaidBlocks(sampleSummary())
    await render('gantt', gantt as string)
    const bars = await page.evaluate(() =>
      [...document.querySelectorAll('#out rect.task')].map((r) => ({
        id: r.id,
        x: Number(r.getAttribute('x')),
        width: Number(r.getAttribute('width')),
      })),
    )
    const byId = new Map(bars.map((b) => [b.id.replace(/^.*-/, ''), b]))
    const unit = byId.get('s7')!
    const npm = byId.get('s5')!
    expect(unit.width).toBeGreaterThan(0)
    // Step 7 took 84 s and step 5 42 s: twice the width, and step 7 starts after step 5 ends.
    expect(unit.width / npm.width).toBeCloseTo(2, 1)
    expect(unit.x).toBeGreaterThanOrEqual(npm.x + npm.width - 0.5)
  })

  it('renders a picture of the sample comment and summary', async () => {
    const dir =
      process.env.BUILD_TIMINGS_SCREENSHOT === '1'
        ? join(process.cwd(), 'docs')
        : await mkdtemp(join(tmpdir(), 'bt-shot-'))
    for (const [name, markdown] of [
      ['sample-comment.png', sampleComment()],
      ['sample-summary.png', sampleSummary()],
    ] as const) {
      const shot = await browser.newPage({ viewport: { width: 960, height: 800 }, deviceScaleFactor: 1 })
      await shot.setContent(commentPage(markdown))
      await shot.addScriptTag({ path: MERMAID })
      const drawn = await shot.evaluate(async () => {
        mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })
        await mermaid.run({ querySelector: 'pre.mermaid' })
        return [...document.querySelectorAll('pre.mermaid')].map((p) => p.querySelector('svg') !== null)
      })
      expect(drawn.length).toBeGreaterThan(0)
      expect(drawn.every(Boolean)).toBe(true)
      const png = await shot.locator('.comment').screenshot()
      expect(png.length).toBeGreaterThan(10_000)
      await writeFile(join(dir, name), png)
      await shot.close()
    }
  })
})
