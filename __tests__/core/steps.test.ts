import {
  cacheStepDurations,
  inJobOrder,
  isCacheStepName,
  rankSteps,
  type JobStep,
} from '../../src/core/steps.js'

const T0 = '2026-01-24T10:00:00Z'
const at = (s: number): string => new Date(Date.parse(T0) + s * 1000).toISOString().replace(/\.000Z$/, 'Z')

/** [number, name, status, conclusion, start (s after T0), end (s after T0)] as the Jobs API reports them. */
type StepCase = [number, string, JobStep['status'], string | null, number | null, number | null]
const steps = (cases: StepCase[]): JobStep[] =>
  cases.map(([number, name, status, conclusion, start, end]) => ({
    number,
    name,
    status,
    conclusion,
    started_at: start === null ? null : at(start),
    completed_at: end === null ? null : at(end),
  }))

// A ten-step job, seen from its own post step: the Jobs API timestamps of a real run's shape.
const TEN_STEPS = steps([
  [1, 'Set up job', 'completed', 'success', 0, 2],
  [2, 'Run actions/checkout@v4', 'completed', 'success', 2, 5],
  [3, 'Run actions/setup-node@v4', 'completed', 'success', 5, 13],
  [4, 'Restore npm cache', 'completed', 'success', 13, 19],
  [5, 'Run npm ci', 'completed', 'success', 19, 61],
  [6, 'Lint', 'completed', 'success', 61, 79],
  [7, 'Unit tests', 'completed', 'success', 79, 191],
  [8, 'Build', 'completed', 'success', 191, 230],
  [9, 'Upload coverage', 'completed', 'skipped', 230, 229], // skipped: completed before it started
  [10, 'Post Restore npm cache', 'completed', 'success', 230, 234],
  [11, 'Post Run build-timings', 'in_progress', null, 234, null], // this very step
  [12, 'Complete job', 'queued', null, null, null],
])

describe('rankSteps', () => {
  it('ranks a ten-step job by duration against the Jobs API timestamps', () => {
    const ranking = rankSteps(TEN_STEPS, T0)
    const table = ranking.steps.map((s) => [
      s.rank,
      s.number,
      s.name,
      s.offset,
      s.seconds,
      +(s.share * 100).toFixed(1),
      +(s.cumulative * 100).toFixed(1),
    ])
    expect(table).toEqual([
      // rank, step, name, offset s, seconds, share %, cumulative %
      [1, 7, 'Unit tests', 79, 112, 47.9, 47.9],
      [2, 5, 'Run npm ci', 19, 42, 17.9, 65.8],
      [3, 8, 'Build', 191, 39, 16.7, 82.5],
      [4, 6, 'Lint', 61, 18, 7.7, 90.2],
      [5, 3, 'Run actions/setup-node@v4', 5, 8, 3.4, 93.6],
      [6, 4, 'Restore npm cache', 13, 6, 2.6, 96.2],
      [7, 10, 'Post Restore npm cache', 230, 4, 1.7, 97.9],
      [8, 2, 'Run actions/checkout@v4', 2, 3, 1.3, 99.1],
      [9, 1, 'Set up job', 0, 2, 0.9, 100],
      [10, 9, 'Upload coverage', 230, 0, 0, 100],
    ])
    expect(ranking.total).toBe(234)
    expect(ranking.incomplete).toBe(2)
  })

  it.each<[string, StepCase[], { ranked: [string, number][]; incomplete: number; total: number }]>([
    ['no steps', [], { ranked: [], incomplete: 0, total: 0 }],
    [
      'only incomplete steps',
      [
        [1, 'a', 'in_progress', null, 0, null],
        [2, 'b', 'queued', null, null, null],
      ],
      { ranked: [], incomplete: 2, total: 0 },
    ],
    [
      'completed status without completed_at is incomplete',
      [
        [1, 'a', 'completed', 'success', 0, null],
        [2, 'b', 'completed', 'success', 0, 5],
      ],
      { ranked: [['b', 5]], incomplete: 1, total: 5 },
    ],
    [
      'a negative span counts as zero',
      [
        [1, 'skipped', 'completed', 'skipped', 10, 3],
        [2, 'real', 'completed', 'success', 3, 10],
      ],
      {
        ranked: [
          ['real', 7],
          ['skipped', 0],
        ],
        incomplete: 0,
        total: 7,
      },
    ],
    [
      'ties keep the job order',
      [
        [1, 'first', 'completed', 'success', 0, 5],
        [2, 'second', 'completed', 'success', 5, 10],
        [3, 'third', 'completed', 'success', 10, 15],
      ],
      {
        ranked: [
          ['first', 5],
          ['second', 5],
          ['third', 5],
        ],
        incomplete: 0,
        total: 15,
      },
    ],
    [
      'all zero: shares are zero, not NaN',
      [[1, 'instant', 'completed', 'success', 4, 4]],
      { ranked: [['instant', 0]], incomplete: 0, total: 0 },
    ],
  ])('%s', (_name, cases, expected) => {
    const ranking = rankSteps(steps(cases), T0)
    expect(ranking.steps.map((s) => [s.name, s.seconds])).toEqual(expected.ranked)
    expect(ranking.incomplete).toBe(expected.incomplete)
    expect(ranking.total).toBe(expected.total)
    for (const s of ranking.steps) {
      expect(Number.isFinite(s.share)).toBe(true)
      expect(Number.isFinite(s.cumulative)).toBe(true)
    }
  })

  it('anchors offsets on the earliest step when the job start is unknown, never below zero', () => {
    const ranking = rankSteps(
      steps([
        [1, 'a', 'completed', 'success', 30, 40],
        [2, 'b', 'completed', 'success', 40, 41],
      ]),
    )
    expect(inJobOrder(ranking).map((s) => [s.name, s.offset])).toEqual([
      ['a', 0],
      ['b', 10],
    ])
    // A job start later than a step (clock skew) does not make offsets negative.
    expect(rankSteps(steps([[1, 'a', 'completed', 'success', 0, 4]]), at(2)).steps[0]!.offset).toBe(0)
  })

  it('puts the steps back in job order for a timeline', () => {
    expect(inJobOrder(rankSteps(TEN_STEPS, T0)).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})

describe('cache steps', () => {
  it.each<[string, boolean]>([
    ['Restore npm cache', true],
    ['Restore', true],
    ['Run actions/cache@v4', true],
    ['Run actions/cache/restore@v4', true],
    ['Post Run actions/cache@v4', true],
    ['Cache cargo registry', true],
    ['Post Cache cargo registry', true],
    ['Run npm ci', false],
    ['Restorer of things', false],
    ['Post Run actions/checkout@v4', false],
  ])('%s → %s', (name, expected) => {
    expect(isCacheStepName(name)).toBe(expected)
  })

  it('reports restore and save durations of completed cache steps in job order', () => {
    const list = cacheStepDurations([
      ...TEN_STEPS,
      ...steps([
        [13, 'Run actions/cache@v4', 'completed', 'success', 300, 311],
        [14, 'Post Run actions/cache@v4', 'in_progress', null, 400, null],
      ]),
    ])
    expect(list).toEqual([
      { name: 'Restore npm cache', kind: 'restore', seconds: 6, conclusion: 'success' },
      { name: 'Post Restore npm cache', kind: 'save', seconds: 4, conclusion: 'success' },
      { name: 'Run actions/cache@v4', kind: 'restore', seconds: 11, conclusion: 'success' },
    ])
  })
})
