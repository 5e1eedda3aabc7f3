/// <reference lib="dom" />
// The dashboard (`report --format html`) opens from a file in headless Chromium with the network off, and
// every chart draws. Chromium is Debian's `chromium`, driven by playwright-core.
// BUILD_TIMINGS_SCREENSHOT=1 also refreshes docs/dashboard.png.
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { stringify } from 'csv-stringify/sync'
import { chromium, type Browser } from 'playwright-core'
import { COLUMNS } from '../../src/core/schema.js'
import { cli, tempDir } from '../cli/helpers.js'
import { NOW, plantedRegistry, rng } from '../core/insights/registry.js'

const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available)
  console.log(`Dashboard rendering test skipped: ${CHROMIUM} is missing (apt-get install -y chromium).`)
const describeIf = available ? describe : describe.skip

const BUDGETS = `
phases:
  build: { target: 2m, max: 3m30s }
  test: { target: 4m, max: 6m }
  "lint*": { target: 25s, max: 40s }
flake-rate-target: 0.1%
`
const HOSTILE = '<img src=x onerror="document.title=1">'

let cwd: string
let page: string
beforeAll(async () => {
  cwd = await tempDir()
  const rand = rng(5)
  const rows: Record<string, string | undefined>[] = plantedRegistry().rows.map((r, i) => ({
    ...r,
    queue_seconds: String(Math.round(rand() * 40 + (i % 7) * 3)),
    // Spread the builds over the last 30 days, so that trends have days and the 7/30-day rates differ
    // (each build has its own sha: moving them plants no flake).
    ...(r.phase === 'build'
      ? {
          start_time_utc: new Date(NOW.getTime() - (i % 29) * 86_400_000 - 3_600_000)
            .toISOString()
            .replace(/\.\d{3}Z$/, 'Z'),
        }
      : {}),
  }))
  const csv = (all: typeof rows): string =>
    stringify([[...COLUMNS], ...all.map((r) => COLUMNS.map((c) => r[c] ?? ''))])
  // The picture in docs/ leaves out the hostile name the test plants.
  await writeFile(join(cwd, 'clean.csv'), csv(rows))
  rows.push({ ...rows[0]!, phase: HOSTILE, sha: 'f'.repeat(40) })
  await writeFile(join(cwd, 'reg.csv'), csv(rows))
  await writeFile(join(cwd, 'budgets.yml'), BUDGETS)
  const r = await cli(
    [
      'report',
      '--registry',
      'file:reg.csv',
      '--budgets',
      'budgets.yml',
      '--format',
      'html',
      '--output',
      'dash.html',
    ],
    { cwd, now: () => NOW },
  )
  expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'build-timings: wrote dash.html\n' })
  page = join(cwd, 'dash.html')
})
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true })
})

test('the page is one file: the chart library and the data inline, nothing to fetch', async () => {
  const html = await readFile(page, 'utf8')
  expect(html).toMatch(/^<!doctype html>/)
  expect(html).toContain('Chart.js v4')
  expect(html).toContain("default-src 'none'")
  expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i)
  // A hostile phase name travels as escaped JSON only.
  expect(html).not.toContain(HOSTILE)
  expect(html).toContain('\\u003cimg src=x onerror=')
})

test('--format html with --by is a usage error', async () => {
  const r = await cli(['report', '--registry', 'file:reg.csv', '--format', 'html', '--by', 'cache'], { cwd })
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(/--format html is a page of its own; leave out --by and --compare/)
})

describeIf('the dashboard in headless Chromium, network off', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  })
  afterAll(async () => {
    await browser?.close()
  })

  test('every chart draws, from the file alone', async () => {
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } })
    const fetched: string[] = []
    await context.route('**/*', (route) => {
      const url = route.request().url()
      if (url.startsWith('file:')) return route.continue()
      fetched.push(url)
      return route.abort()
    })
    const tab = await context.newPage()
    const errors: string[] = []
    tab.on('pageerror', (e) => errors.push(e.message))
    tab.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await tab.goto(pathToFileURL(page).href)
    await tab.waitForFunction(() => document.documentElement.dataset.chartsDrawn !== undefined, null, {
      timeout: 15_000,
    })
    const state = await tab.evaluate(() => {
      const canvases = [...document.querySelectorAll('canvas')]
      return {
        expected: Number(document.documentElement.dataset.chartsExpected),
        drawn: Number(document.documentElement.dataset.chartsDrawn),
        error: document.documentElement.dataset.error ?? null,
        title: document.title,
        images: document.querySelectorAll('img').length,
        canvases: canvases.map((c) => {
          const ctx = c.getContext('2d')!
          const pixels = ctx.getImageData(0, 0, c.width, c.height).data
          let painted = 0
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++
          return { id: c.id, width: c.width, height: c.height, painted }
        }),
        flakeRows: document.querySelectorAll('#flake-table tr').length,
        cacheRows: document.querySelectorAll('#cache-table tr').length,
        kpis: [...document.querySelectorAll('.kpi')].map((k) => k.textContent),
      }
    })
    expect(errors).toEqual([])
    expect(fetched).toEqual([])
    expect(state.error).toBeNull()
    expect(state.title).toBe('Build timings')
    expect(state.images).toBe(0)
    // success, pareto, cache, flakes, queue, and one trend per phase with successful runs (build, deploy,
    // lint, lint-extra, test, the hostile one; lint in staging too).
    const ids = state.canvases.map((c) => c.id)
    for (const id of [
      'chart-success',
      'chart-pareto',
      'chart-cache',
      'chart-flakes',
      'chart-queue',
      'chart-trend-0',
    ])
      expect(ids).toContain(id)
    expect(state.expected).toBe(state.canvases.length)
    expect(state.drawn).toBe(state.expected)
    for (const c of state.canvases) {
      expect(c.width).toBeGreaterThan(100)
      // A drawn chart paints axes, labels and bars or lines: far more than a few pixels.
      expect({ id: c.id, painted: c.painted > 2000 }).toEqual({ id: c.id, painted: true })
    }
    expect(state.flakeRows).toBe(1 + 6)
    expect(state.cacheRows).toBeGreaterThan(1)
    expect(state.kpis.join(' ')).toMatch(/6flaky shas of/)
    if (process.env.BUILD_TIMINGS_SCREENSHOT === '1') {
      const clean = await cli(
        [
          'report',
          '--registry',
          'file:clean.csv',
          '--budgets',
          'budgets.yml',
          '--format',
          'html',
          '--output',
          'clean.html',
        ],
        { cwd, now: () => NOW },
      )
      expect(clean.code).toBe(0)
      await tab.goto(pathToFileURL(join(cwd, 'clean.html')).href)
      await tab.waitForFunction(() => document.documentElement.dataset.chartsDrawn !== undefined)
      await tab.screenshot({ path: join(process.cwd(), 'docs/dashboard.png'), fullPage: true })
    }
    await context.close()
  }, 60_000)
})
