/** The pure part of recording a run: which jobs become rows, and how. */
import { rowsForRun, type TargetRun } from '../../src/app/record-run.js'
import { parseBudgets } from '../../src/core/budgets.js'
import type { JobInfo } from '../../src/github/jobs.js'

const run: TargetRun = {
  repository: 'acme/widgets',
  owner: 'acme',
  repo: 'widgets',
  runId: '1001',
  runAttempt: '2',
  workflow: 'CI',
  ref: 'main',
  sha: 'c'.repeat(40),
  prNumber: 3,
  selfJobId: '99',
  selfJobName: 'timings',
}

const job = (id: number, name: string, extra: Partial<JobInfo> = {}): JobInfo => ({
  id,
  runId: 1001,
  runAttempt: 2,
  name,
  status: 'completed',
  conclusion: 'success',
  createdAt: '2026-01-24T10:00:00Z',
  startedAt: '2026-01-24T10:00:05Z',
  completedAt: '2026-01-24T10:01:35Z',
  runnerName: `runner-${id}`,
  htmlUrl: null,
  steps: [],
  ...extra,
})

test('finished jobs become github-run rows; this job and unfinished ones are left out', () => {
  const budgets = parseBudgets('phases:\n  e2e: { target: 30, max: 60 }\n', 'b.yml')
  const out = rowsForRun(
    [
      job(11, 'lint'),
      job(12, 'e2e', { conclusion: 'timed_out' }),
      job(13, 'deploy', { status: 'in_progress', completedAt: null }),
      job(99, 'timings', { status: 'in_progress', completedAt: null }),
    ],
    run,
    { env: 'ci', buildId: '1001', flags: '' },
    budgets,
    [],
  )
  expect(out.unfinished).toEqual(['deploy'])
  expect(out.verdicts).toEqual(['none', 'over_max'])
  expect(out.rows.map((r) => [r.row_id, r.status, r.exit_code, r.duration_seconds, r.queue_seconds])).toEqual(
    [
      ['gh/acme/widgets/1001/2/11/lint', 'success', '0', '90', '5'],
      ['gh/acme/widgets/1001/2/12/e2e', 'failure', '1', '90', '5'],
    ],
  )
})
