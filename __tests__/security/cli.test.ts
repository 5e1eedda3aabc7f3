import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { COLUMNS, HEADER_LINE } from '../../src/core/schema.js'
import { cli, tempDir } from '../cli/helpers.js'

// Built at run time so that no scanner mistakes it for a live credential.
const TOKEN = ['ghp', '_', 'Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8'].join('')

// eslint-disable-next-line no-control-regex -- none may reach a terminal
const CONTROLS = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/

describe('CLI: hostile values never reach the registry, the terminal or a message raw', () => {
  test('record: secrets in phase and flags are redacted in the row and in what is printed', async () => {
    const cwd = await tempDir()
    const r = await cli(
      [
        'record',
        '--phase',
        '\x1b]0;pwned\x07deploy -p hunter2\n=cmd',
        `--flags=--password hunter2 DB_PASS=hunter2 {"client_secret": "hunter2"} https://${TOKEN}@github.com/x Authorization: Basic aHVudGVyMg==`,
        '--start',
        '2026-01-24T10:15:03Z',
        '--end',
        '2026-01-24T10:16:03Z',
        '--exit-code',
        '0',
        '--registry',
        'file:reg.csv',
      ],
      { cwd, env: { MY_API_TOKEN: 'env-known-secret-42' } },
    )
    expect(r.code).toBe(0)
    const csv = await readFile(join(cwd, 'reg.csv'), 'utf8')
    for (const text of [csv, r.stderr, r.stdout]) {
      expect(text).not.toContain('hunter2')
      expect(text).not.toContain('aHVudGVyMg')
      expect(text).not.toContain(TOKEN)
      expect(text).not.toMatch(CONTROLS)
    }
    expect(csv).toContain('deploy -p *** =cmd')

    const report = await cli(['report', '--registry', 'file:reg.csv'], { cwd })
    expect(report.stdout).toContain('deploy')
    expect(report.stdout).not.toMatch(CONTROLS)
  })

  test('a registry URL with credentials in it is never echoed', async () => {
    const cwd = await tempDir()
    const r = await cli(['report', '--registry', `https://oauth2:pa@ss-word-9@gitlab.example/x.git`], {
      cwd,
      env: { GITHUB_TOKEN: TOKEN },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('gitlab.example')
    expect(r.stderr).not.toMatch(/pa@ss|ss-word-9|oauth2:/)
  })

  test('a known secret from the environment is never printed, even inside an error', async () => {
    const cwd = await tempDir()
    const r = await cli(
      ['record', '--phase', 'x', '--start', 'env-known-secret-42', '--end', 'y', '--exit-code', '0'],
      {
        cwd,
        env: { DEPLOY_KEY: 'env-known-secret-42' },
      },
    )
    expect(r.code).toBe(2)
    expect(r.stderr).not.toContain('env-known-secret-42')
  })

  test('two runs of one phase in the same second, and two long phases that differ at the end, are four rows', async () => {
    const cwd = await tempDir()
    const long = 'deploy '.repeat(30)
    const record = (phase: string, start: string) =>
      cli(
        [
          'record',
          '--phase',
          phase,
          '--start',
          start,
          '--end',
          '2026-01-24T10:16:00Z',
          '--exit-code',
          '0',
          '--registry',
          'file:reg.csv',
        ],
        { cwd },
      )
    for (const [phase, start] of [
      ['apply', '2026-01-24T10:15:03.100Z'],
      ['apply', '2026-01-24T10:15:03.900Z'],
      [`${long}a`, '2026-01-24T10:15:04Z'],
      [`${long}b`, '2026-01-24T10:15:04Z'],
    ] as const) {
      const r = await record(phase, start)
      expect(r.stderr).toMatch(/row recorded/)
    }
    const lines = (await readFile(join(cwd, 'reg.csv'), 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(5)
  })

  test('push cleans the rows it copies: escapes, credentials and formulas stay behind', async () => {
    const cwd = await tempDir()
    const header = HEADER_LINE
    const cells: Record<string, string> = {
      start_time_utc: '2026-01-24T10:00:00Z',
      end_time_utc: '2026-01-24T10:01:00Z',
      phase: '"\u001b]0;pwned\u0007=HYPERLINK(""http://evil"")"',
      env: 'ci',
      build_id: '1',
      duration_seconds: '60',
      exit_code: '0',
      flags: '--password hunter2',
      status: 'success',
      source: 'cli',
      budget_status: 'none',
      row_id: 'cli/ci/1/x/2026-01-24T10:00:00.000Z',
    }
    const hostile = COLUMNS.map((c) => cells[c] ?? '').join(',')
    await writeFile(join(cwd, 'from.csv'), `${header}\n${hostile}\n`)
    const r = await cli(['push', '--from', 'file:from.csv', '--to', 'file:to.csv'], { cwd })
    expect(r.code).toBe(0)
    const copied = await readFile(join(cwd, 'to.csv'), 'utf8')
    // eslint-disable-next-line no-control-regex -- no escape may be copied
    expect(copied).not.toMatch(/hunter2|pwned|\u001b/)
    expect(copied).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(copied).toContain(',--password ***,'.replace(',--', ",'--"))
    // Twice is still one row.
    await cli(['push', '--from', 'file:from.csv', '--to', 'file:to.csv'], { cwd })
    expect((await readFile(join(cwd, 'to.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(2)
  })
})
