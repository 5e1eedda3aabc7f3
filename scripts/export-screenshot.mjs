// Renders docs/export-prometheus.png: Debian's Pushgateway and Prometheus on free ports, timings pushed by the
// committed CLI bundle (`build-timings record --export pushgateway+…`) over a minute, then Prometheus' graph
// page of build_timings_duration_seconds captured by headless Chromium.
//
//   node scripts/export-screenshot.mjs            (needs prometheus, prometheus-pushgateway, chromium)
/* global fetch */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const OUT = join(ROOT, 'docs/export-prometheus.png')
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const freePort = () =>
  new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => done(port))
    })
  })
async function ready(url) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {
      // not listening yet
    }
    await sleep(100)
  }
  throw new Error(`${url} not ready`)
}

const dir = mkdtempSync(join(tmpdir(), 'bt-shot-'))
const children = []
try {
  const pgPort = await freePort()
  const promPort = await freePort()
  children.push(
    spawn('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${pgPort}`, '--log.level=warn'], {
      stdio: 'ignore',
    }),
  )
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pushgateway\n    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:${pgPort}']\n`,
  )
  children.push(
    spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      { stdio: 'ignore' },
    ),
  )
  await ready(`http://127.0.0.1:${pgPort}/-/ready`)
  await ready(`http://127.0.0.1:${promPort}/-/ready`)

  const phases = { build: 140, 'unit-tests': 260, 'e2e (chromium)': 420, deploy: 95 }
  const t0 = Date.UTC(2026, 10, 30, 9, 0, 0)
  for (let round = 0; round < 12; round++) {
    for (const [i, [phase, base]] of Object.entries(phases).entries()) {
      const d = Math.round(
        base * (1 + 0.25 * Math.sin(round / 2 + i)) + (round > 8 && phase === 'unit-tests' ? 180 : 0),
      )
      const start = new Date(t0 + round * 600_000)
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'dist/cli/index.js'),
          'record',
          '--registry',
          `file:${join(dir, 'registry.csv')}`,
          '--env',
          'ci',
          '--phase',
          phase,
          '--build-id',
          String(100 + round),
          '--exit-code',
          '0',
          '--start',
          start.toISOString(),
          '--end',
          new Date(start.getTime() + d * 1000).toISOString(),
          '--export',
          `pushgateway+http://127.0.0.1:${pgPort}`,
        ],
        { stdio: 'ignore', cwd: dir },
      )
    }
    await sleep(4000)
  }
  await sleep(2000)
  const expr = encodeURIComponent('build_timings_duration_seconds')
  const url = `http://127.0.0.1:${promPort}/graph?g0.expr=${expr}&g0.tab=0&g0.stacked=0&g0.show_exemplars=0&g0.range_input=1m`
  execFileSync(
    '/usr/bin/chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      '--window-size=1280,900',
      '--virtual-time-budget=15000',
      `--screenshot=${OUT}`,
      url,
    ],
    { stdio: 'ignore', timeout: 120_000 },
  )
  console.log(`wrote ${OUT}`)
} finally {
  for (const c of children) c.kill('SIGTERM')
  await sleep(500)
  rmSync(dir, { recursive: true, force: true })
}
