// Hostile values through the committed Drone plugin bundle: the registry row, the step log and the card.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { buildCard, cardText } from '../../src/drone/card.js'
import { buildRow } from '../../src/core/row.js'
import { runBundle } from '../drone/run-bundle.js'
import { FakeGitHub } from '../support/github-server.js'

const TOKEN = ['ghs', '_', 'Dr0neH0stileT3st0123456789abcdefXYZ'].join('')
const NPM = ['npm', '_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'].join('')
const WJ = '\u2060'

let gh: FakeGitHub
let workspace: string
beforeAll(async () => {
  gh = await FakeGitHub.start()
  gh.addToken(TOKEN, { contents: 'write', pullRequests: 'write' })
})
afterAll(async () => {
  await gh.close()
})
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'drone-hostile-'))
})
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true })
})

describe('the Drone plugin with hostile values', () => {
  test('registry, log and card carry no secret, escape or link', async () => {
    const card = join(workspace, 'card.json')
    const now = Math.floor(Date.now() / 1000)
    const run = await runBundle({
      DRONE: 'true',
      CI: 'drone',
      DRONE_REPO: 'acme/widgets',
      DRONE_REPO_OWNER: 'acme',
      DRONE_REPO_NAME: 'widgets',
      DRONE_BUILD_NUMBER: '77',
      DRONE_STAGE_NUMBER: '1',
      DRONE_STAGE_NAME: 'build',
      DRONE_STAGE_STARTED: String(now - 30),
      DRONE_STAGE_STATUS: 'success',
      DRONE_WORKSPACE: workspace,
      DRONE_CARD_PATH: card,
      PLUGIN_GITHUB_API_URL: gh.url,
      PLUGIN_GITHUB_TOKEN: TOKEN,
      PLUGIN_COMMENT: 'off',
      PLUGIN_PHASE: '\u001b]0;pwned\u0007deploy [x](https://evil.example) -p hunter2',
      PLUGIN_FLAGS: `--client-secret hunter2 {"password": "hunter2"} ${NPM} https://user:pa@ss@host.example`,
    })
    expect(run.code).toBe(0)
    const csv = (await gh.readFile('governance-registry', 'environments/ci/latest/build_timings.csv')) ?? ''
    const [row] = parse(csv, { columns: true }) as Record<string, string>[]
    expect(row?.phase).toBe('deploy [x](https://evil.example) -p ***')
    const cardJson = readFileSync(card, 'utf8')
    for (const [where, text] of Object.entries({
      csv,
      stdout: run.stdout,
      stderr: run.stderr,
      card: cardJson,
    })) {
      expect({ where, leak: /hunter2|pa@ss|a1B2c3D4e5F6|pwned/.test(text) }).toEqual({ where, leak: false })
      expect({ where, token: text.includes(TOKEN) }).toEqual({ where, token: false })
      // eslint-disable-next-line no-control-regex -- no escape may be stored or printed
      expect({ where, escape: /\u001b|\\u001b/.test(text) }).toEqual({ where, escape: false })
    }
    const data = (JSON.parse(cardJson) as { data: { phase: string } }).data
    expect(data.phase).toBe(`deploy [x]${WJ}(https:${WJ}//evil.example) -p ***`)
  }, 60_000)
})

describe('cardText', () => {
  test.each([
    ['[click](https://evil.example)', `[click]${WJ}(https:${WJ}//evil.example)`],
    ['![i](http://x/i.png)', `![i]${WJ}(http:${WJ}//x/i.png)`],
    ['\u001b[31mred', 'red'],
    ['unit-tests', 'unit-tests'],
  ])('%j → %j', (value, expected) => {
    expect(cardText(value)).toBe(expected)
  })

  test('step names from the Drone API are made inert too', () => {
    const card = buildCard({
      row: buildRow({
        source: 'drone',
        phase: 'build',
        env: 'ci',
        buildId: '1',
        start: new Date(0),
        end: new Date(1000),
        exitCode: 0,
        status: 'success',
      }),
      cache: { hits: 0, lookups: 0, rate: null, verdict: 'none' },
      change: null,
      registry: 'github:acme/widgets',
      steps: [
        { name: '![x](https://evil.example/p.png) --token abc', seconds: 3, status: 'success', exitCode: 0 },
      ],
    })
    expect(card.data.steps[0]?.name).toBe(`![x]${WJ}(https:${WJ}//evil.example/p.png) --token ***`)
  })
})
