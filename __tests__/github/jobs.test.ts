import { getJob, listRunJobs } from '../../src/github/jobs.js'
import { createClient } from '../../src/github/octokit.js'
import { FakeGitHub, type JobFixture } from '../support/github-server.js'

let gh: FakeGitHub

beforeEach(async () => {
  gh = await FakeGitHub.start()
  gh.addToken('ghs_actions', { contents: 'read', actions: 'read' })
  gh.addToken('ghs_noactions', { contents: 'read', actions: 'none' })
})

afterEach(async () => {
  await gh.close()
})

const job = (id: number, extra: Partial<JobFixture> = {}): JobFixture => ({
  id,
  name: `test (shard ${id})`,
  status: 'completed',
  conclusion: 'success',
  started_at: '2026-01-24T10:00:05Z',
  completed_at: '2026-01-24T10:03:17Z',
  ...extra,
})

describe('getJob', () => {
  it('returns the job as a small typed value with its steps', async () => {
    gh.setJobs(2001, 1, [
      job(42, {
        status: 'in_progress',
        conclusion: null,
        completed_at: null,
        created_at: '2026-01-24T10:00:00Z',
        steps: [
          {
            name: 'Set up job',
            status: 'completed',
            conclusion: 'success',
            number: 1,
            started_at: '2026-01-24T10:00:05Z',
            completed_at: '2026-01-24T10:00:07Z',
          },
          {
            name: 'Post Run build-timings',
            status: 'in_progress',
            conclusion: null,
            number: 2,
            started_at: '2026-01-24T10:03:10Z',
            completed_at: null,
          },
        ],
      }),
    ])
    const answer = await getJob(
      createClient({ token: 'ghs_actions', baseUrl: gh.url }),
      'acme',
      'widgets',
      42,
    )
    expect(answer.reason).toBeNull()
    expect(answer.value).toEqual({
      id: 42,
      runId: 2001,
      runAttempt: 1,
      name: 'test (shard 42)',
      status: 'in_progress',
      conclusion: null,
      createdAt: '2026-01-24T10:00:00Z',
      startedAt: '2026-01-24T10:00:05Z',
      completedAt: null,
      runnerName: 'GitHub Actions 1',
      htmlUrl: 'https://github.com/acme/widgets/actions/runs/2001/job/42',
      steps: [
        {
          name: 'Set up job',
          status: 'completed',
          conclusion: 'success',
          number: 1,
          started_at: '2026-01-24T10:00:05Z',
          completed_at: '2026-01-24T10:00:07Z',
        },
        {
          name: 'Post Run build-timings',
          status: 'in_progress',
          conclusion: null,
          number: 2,
          started_at: '2026-01-24T10:03:10Z',
          completed_at: null,
        },
      ],
    })
  })

  it.each([
    ['ghs_noactions', 42, /^the token cannot read job 42: grant "actions: read"/],
    ['ghs_actions', 404404, /^job 404404 was not found \(404\)/],
  ])('token %s, job %i → null with a reason, no throw', async (token, id, reason) => {
    gh.setJobs(2001, 1, [job(42)])
    const answer = await getJob(createClient({ token, baseUrl: gh.url }), 'acme', 'widgets', id)
    expect(answer.value).toBeNull()
    expect(answer.reason).toMatch(reason)
  })
})

describe('listRunJobs', () => {
  it('reads every page of one attempt (a workflow with 130 jobs)', async () => {
    gh.setJobs(
      2001,
      1,
      Array.from({ length: 40 }, (_, i) => job(1000 + i)),
    )
    gh.setJobs(
      2001,
      2,
      Array.from({ length: 130 }, (_, i) => job(2000 + i)),
    )
    const answer = await listRunJobs(
      createClient({ token: 'ghs_actions', baseUrl: gh.url }),
      'acme',
      'widgets',
      2001,
      2,
    )
    expect(answer.value?.map((j) => j.id)).toEqual(Array.from({ length: 130 }, (_, i) => 2000 + i))
    expect(answer.value?.every((j) => j.runAttempt === 2)).toBe(true)
    const first = await listRunJobs(
      createClient({ token: 'ghs_actions', baseUrl: gh.url }),
      'acme',
      'widgets',
      2001,
      1,
    )
    expect(first.value).toHaveLength(40)
  })

  it('without actions: read → null with a reason', async () => {
    gh.setJobs(2001, 1, [job(1)])
    const answer = await listRunJobs(
      createClient({ token: 'ghs_noactions', baseUrl: gh.url }),
      'acme',
      'widgets',
      2001,
      1,
    )
    expect(answer).toEqual({
      value: null,
      reason:
        'the token cannot read the jobs of run 2001 attempt 1: grant "actions: read" to see where the time went.',
    })
  })
})
