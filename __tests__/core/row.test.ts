import { buildRow, cleanRow, exitCodeForStatus, rowId, type TimingEvent } from '../../src/core/row.js'
import { COLUMNS, HEADER_LINE, type Status } from '../../src/core/schema.js'

const HEADER_29 =
  'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,resources_added,resources_changed,resources_destroyed,log_path,status,source,repository,run_id,run_attempt,job_id,ref,sha,pr_number,runner,budget_target_seconds,budget_max_seconds,budget_status,cache_hits,cache_lookups,queue_seconds,row_id'
const SPEC_HEADER = `${HEADER_29},cpu_avg_percent,mem_peak_mb,disk_read_mb,disk_write_mb,net_rx_mb,net_tx_mb`

const base: TimingEvent = {
  source: 'github',
  phase: 'lint',
  env: 'ci',
  buildId: '9001',
  start: new Date('2026-01-24T10:15:03.400Z'),
  end: new Date('2026-01-24T10:16:34.900Z'),
  exitCode: 0,
  status: 'success',
  repository: 'acme/widgets',
  runId: '9001',
  runAttempt: '2',
  jobId: '555',
  jobKey: 'lint',
}

describe('buildRow', () => {
  test('has the 35 SPEC columns in SPEC order', () => {
    expect(HEADER_LINE).toBe(SPEC_HEADER)
    const row = buildRow(base)
    expect(Object.keys(row)).toEqual(SPEC_HEADER.split(','))
    expect(Object.keys(row)).toHaveLength(35)
  })

  test('fills every column from a complete event', () => {
    const row = buildRow({
      ...base,
      env: 'PROD',
      flags: 'fast',
      resources: { added: 3, changed: 0, destroyed: 1.6 },
      logPath: 'logs/lint.log',
      ref: 'refs/heads/main',
      sha: '0123456789abcdef0123456789abcdef01234567',
      prNumber: 42,
      runner: 'ubuntu-24.04',
      budget: { target: 60, max: 120.4, status: 'over_target' },
      cache: { hits: 2, lookups: 3 },
      queueSeconds: 4.6,
      usage: { cpuAvgPercent: 37.25, memPeakMb: 2048.04, diskReadMb: 0, diskWriteMb: 12.5, netRxMb: 300 },
    })
    expect(COLUMNS.map((c) => row[c])).toEqual([
      '2026-01-24T10:15:03Z',
      '2026-01-24T10:16:34Z',
      'lint',
      'production',
      '9001',
      '92',
      '0',
      'fast',
      '3',
      '0',
      '2',
      'logs/lint.log',
      'success',
      'github',
      'acme/widgets',
      '9001',
      '2',
      '555',
      'refs/heads/main',
      '0123456789abcdef0123456789abcdef01234567',
      '42',
      'ubuntu-24.04',
      '60',
      '120',
      'over_target',
      '2',
      '3',
      '5',
      'gh/acme/widgets/9001/2/555/lint',
      '37.3',
      '2048',
      '0',
      '12.5',
      '300',
      '',
    ])
  })

  test('leaves unknown columns empty and budget_status none', () => {
    const row = buildRow({
      source: 'cli',
      phase: 'build',
      env: 'dev',
      buildId: 'b1',
      start: base.start,
      end: base.end,
      exitCode: 2,
      status: 'failure',
    })
    for (const c of [
      'flags',
      'resources_added',
      'log_path',
      'repository',
      'run_id',
      'run_attempt',
      'job_id',
      'ref',
      'sha',
      'pr_number',
      'runner',
      'budget_target_seconds',
      'budget_max_seconds',
      'cache_hits',
      'cache_lookups',
      'queue_seconds',
    ] as const) {
      expect(row[c]).toBe('')
    }
    expect(row.budget_status).toBe('none')
    expect(row.exit_code).toBe('2')
  })

  test.each([
    ['2026-01-24T10:00:00.000Z', '2026-01-24T10:01:30.000Z', '90'],
    ['2026-01-24T10:00:00.000Z', '2026-01-24T10:00:00.499Z', '0'],
    ['2026-01-24T10:00:00.000Z', '2026-01-24T10:00:00.500Z', '1'],
    ['2026-01-24T10:00:00.700Z', '2026-01-24T10:00:02.100Z', '1'],
    ['2026-01-24T10:00:05.000Z', '2026-01-24T10:00:00.000Z', '0'],
    ['2026-01-24T10:00:00.000Z', '2026-01-24T12:00:00.000Z', '7200'],
  ])('duration %s → %s is %s (rounded, never negative)', (start, end, seconds) => {
    expect(buildRow({ ...base, start: new Date(start), end: new Date(end) }).duration_seconds).toBe(seconds)
  })

  test.each([
    ['dev', 'development'],
    ['STG', 'staging'],
    ['stage', 'staging'],
    ['Prod', 'production'],
    ['ci', 'ci'],
  ])('env %j is stored as %j', (env, canonical) => {
    expect(buildRow({ ...base, env }).env).toBe(canonical)
  })

  test('an invalid env throws instead of producing a row', () => {
    expect(() => buildRow({ ...base, env: '../../etc' })).toThrow(/environment/)
  })

  test.each<[string, Partial<TimingEvent>, string]>([
    ['github with job id', {}, 'gh/acme/widgets/9001/2/555/lint'],
    ['github without job id uses the job key', { jobId: undefined }, 'gh/acme/widgets/9001/2/lint/lint'],
    ['github with empty job id uses the job key', { jobId: '' }, 'gh/acme/widgets/9001/2/lint/lint'],
    [
      'github-run',
      { source: 'github-run', phase: 'test (ubuntu, 20)', jobId: '777' },
      'gh/acme/widgets/9001/2/777/test (ubuntu, 20)',
    ],
    ['github without run attempt', { runAttempt: undefined }, 'gh/acme/widgets/9001/1/555/lint'],
    [
      'drone',
      {
        source: 'drone',
        repository: 'acme/api',
        buildId: '314',
        jobKey: '2',
        phase: 'build',
        runId: undefined,
        jobId: undefined,
      },
      'drone/acme/api/314/2/build',
    ],
    [
      'drone with a build_id setting: keyed on the build number, not the build_id column',
      {
        source: 'drone',
        repository: 'acme/api',
        buildId: 'nightly-3',
        runId: '314',
        jobKey: '2',
        phase: 'build',
      },
      'drone/acme/api/314/2/build',
    ],
    [
      'woodpecker with a build_id setting',
      {
        source: 'woodpecker',
        repository: 'acme/api',
        buildId: 'nightly',
        runId: '27',
        jobKey: '3',
        phase: 'test',
      },
      'woodpecker/acme/api/27/3/test',
    ],
    [
      'woodpecker',
      {
        source: 'woodpecker',
        repository: 'acme/api',
        buildId: '27',
        jobKey: '3',
        phase: 'test',
        runId: undefined,
        jobId: undefined,
      },
      'woodpecker/acme/api/27/3/test',
    ],
    [
      'cli',
      { source: 'cli', env: 'dev', buildId: 'persistent', phase: 'apply' },
      'cli/development/persistent/apply/2026-01-24T10:15:03.400Z',
    ],
  ])('row_id for %s', (_name, patch, expected) => {
    const event = { ...base, ...patch }
    expect(buildRow(event).row_id).toBe(expected)
    expect(rowId(event)).toBe(expected)
  })

  test('row_id is the same however often the event is recorded', () => {
    const a = buildRow({ ...base, end: new Date('2026-01-24T10:20:00Z') })
    const b = buildRow({ ...base, end: new Date('2026-01-24T10:21:00Z'), status: 'failure', exitCode: 1 })
    expect(a.row_id).toBe(b.row_id)
  })

  const GHP = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
  test.each<[string, Partial<TimingEvent>, keyof ReturnType<typeof buildRow>, string]>([
    ['flags token', { flags: `--token=${GHP}` }, 'flags', "'--token=***"],
    ['flags password', { flags: 'deploy password=hunter2' }, 'flags', 'deploy password=***'],
    ['flags formula', { flags: '=cmd|calc' }, 'flags', "'=cmd|calc"],
    ['phase formula', { phase: '@SUM(1)' }, 'phase', "'@SUM(1)"],
    ['phase plus', { phase: '+lint' }, 'phase', "'+lint"],
    ['build_id formula', { buildId: '=1+1' }, 'build_id', "'=1+1"],
    ['log_path tab', { logPath: '\tlogs/x.log' }, 'log_path', ' logs/x.log'],
    ['log_path tab then formula', { logPath: '\t=x' }, 'log_path', "' =x"],
    ['phase escape sequence', { phase: '\x1b[2J\x1b]0;pwned\x07lint' }, 'phase', 'lint'],
    ['runner newline', { runner: 'a\nb' }, 'runner', 'a b'],
    ['ref URL credentials', { ref: 'https://u:p@host/x' }, 'ref', 'https://***@host/x'],
    [
      'repository known secret',
      { repository: 'acme/s3cr3tvalue', secrets: ['s3cr3tvalue'] },
      'repository',
      'acme/***',
    ],
    ['known secret in flags', { flags: 'use s3cr3tvalue', secrets: ['s3cr3tvalue'] }, 'flags', 'use ***'],
    ['status is not free text', { status: 'success' }, 'status', 'success'],
  ])('%s is cleaned', (_name, patch, column, expected) => {
    expect(buildRow({ ...base, ...patch })[column]).toBe(expected)
  })

  test('row_id never carries a secret or a formula start', () => {
    const row = buildRow({
      ...base,
      source: 'cli',
      phase: `=x ${GHP}`,
      buildId: 's3cr3tvalue',
      secrets: ['s3cr3tvalue'],
    })
    expect(row.row_id).toBe("cli/ci/***/'=x ***/2026-01-24T10:15:03.400Z")
    expect(row.row_id).not.toContain('s3cr3tvalue')
    expect(row.row_id).not.toContain(GHP)
  })

  test('two CLI runs of one phase in the same second are two rows', () => {
    const cli = { ...base, source: 'cli' as const }
    const a = buildRow({ ...cli, start: new Date('2026-01-24T10:15:03.100Z') })
    const b = buildRow({ ...cli, start: new Date('2026-01-24T10:15:03.900Z') })
    expect(a.start_time_utc).toBe(b.start_time_utc)
    expect(a.row_id).not.toBe(b.row_id)
    expect(a.row_id).toBe('cli/ci/9001/lint/2026-01-24T10:15:03.100Z')
  })

  test.each<[string, Partial<TimingEvent>]>([
    ['phase', { phase: 'x' }],
    ['build id', { buildId: 'x', source: 'cli' }],
    ['repository', { repository: 'x', source: 'drone', jobKey: '1' }],
  ])('a long %s is never cut: two that differ only at the end are two row_ids', (_name, patch) => {
    const [field] = Object.keys(patch).filter(
      (k) => k !== 'source' && k !== 'jobKey',
    ) as (keyof TimingEvent)[]
    const long = (tail: string): string => `${'p'.repeat(600)}-${tail}`
    const a = buildRow({ ...base, ...patch, [field as string]: long('a') })
    const b = buildRow({ ...base, ...patch, [field as string]: long('b') })
    expect(a.row_id).not.toBe(b.row_id)
    for (const part of a.row_id.split('/')) expect(part.length).toBeLessThanOrEqual(100)
    expect(a.row_id).toContain(`${'p'.repeat(40)}~`)
    expect(a.row_id).toMatch(/p{40}~[0-9a-f]{12}(\/|$)/)
  })

  test.each([
    ['deadbeef', 'deadbeef'],
    ['not-a-sha', ''],
    ['=1+1', ''],
  ])('sha %j is stored as %j', (sha, stored) => {
    expect(buildRow({ ...base, sha }).sha).toBe(stored)
  })
})

describe('exitCodeForStatus', () => {
  test.each<[Status, number]>([
    ['success', 0],
    ['skipped', 0],
    ['failure', 1],
    ['unknown', 1],
    ['cancelled', 130],
  ])('%s → %d', (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code)
  })
})

describe('cleanRow: a copied row is cleaned like a new one, never cut', () => {
  test('controls, credentials and formula starts go; numbers and long text stay', () => {
    const copied = {
      ...buildRow({ ...base, phase: 'lint' }),
      phase: '\u001b]0;x\u0007=HYPERLINK("http://evil") ' + 'p'.repeat(600),
      flags: '--password hunter2',
      status: '\u001b[31msuccess',
      exit_code: '-1',
      queue_seconds: '4',
      budget_status: '@cmd',
      row_id: 'gh/acme/widgets/1/1/2/lint\u0000',
    }
    const clean = cleanRow(copied)
    expect(clean.phase.startsWith(`'=HYPERLINK("http://evil") ppp`)).toBe(true)
    expect(clean.phase).toHaveLength(1 + 26 + 600)
    expect(clean.flags).toBe("'--password ***")
    expect(clean.status).toBe('success')
    expect(clean.exit_code).toBe('-1')
    expect(clean.queue_seconds).toBe('4')
    expect(clean.budget_status).toBe("'@cmd")
    expect(clean.row_id).toBe('gh/acme/widgets/1/1/2/lint')
  })
})
