import {
  conflictDelayMs,
  contentionAmong,
  holdsRowIds,
  landedIn,
  writersBehind,
  writersOf,
} from '../../src/core/spread.js'

describe('writers and contention', () => {
  test('the position by job id among the jobs still in progress whose rows have not landed', () => {
    const jobs = [
      { id: 30, status: 'in_progress' },
      { id: 10, status: 'completed' },
      { id: 20, status: 'in_progress' },
      { id: 40, status: 'queued' },
      { id: 25, status: 'in_progress' },
    ]
    const writers = writersOf(25, jobs)!
    expect(writers).toEqual({ self: 25, ids: [20, 25, 30] })
    expect(contentionAmong(writers, () => false)).toEqual({ position: 1, writers: 3 })
    // Job 20's row is in the registry: it writes no more.
    const text = 'a,b\n...,gh/acme/widgets/77/1/20/test (1)\n'
    const landed = landedIn(text, { repository: 'acme/widgets', runId: '77', runAttempt: '1' })
    expect(contentionAmong(writers, landed)).toEqual({ position: 0, writers: 2 })
    expect(landed(2)).toBe(false)
  })

  test('a writer ahead of one that landed was passed over by it, and is not waited for', () => {
    const writers = { self: 40, ids: [10, 20, 30, 40, 50] }
    // 20 landed while 10 did not: 10 lands nothing. 30 is still ahead.
    const landed = (id: number) => id === 20
    expect(contentionAmong(writers, landed)).toEqual({ position: 1, writers: 4 })
    // Once 30 lands too, this writer is next.
    expect(contentionAmong(writers, (id) => id === 20 || id === 30)).toEqual({ position: 0, writers: 3 })
    // Writers behind that landed (their rows came with another's commit) pass nobody over.
    expect(contentionAmong(writers, (id) => id === 50)).toEqual({ position: 3, writers: 4 })
  })

  test('the writers behind whose rows have not landed are the ones whose offers a turn takes', () => {
    const writers = { self: 20, ids: [10, 20, 30, 40, 50] }
    const text = 'a,b\n...,gh/acme/widgets/77/1/40/test (4)\n...,gh/acme/widgets/77/1/10/test (1)\n'
    const landed = landedIn(text, { repository: 'acme/widgets', runId: '77', runAttempt: '1' })
    expect(writersBehind(writers, landed)).toEqual([30, 50])
    expect(writersBehind({ self: 50, ids: [10, 50] }, landed)).toEqual([])
  })

  test('a row_id is held only as a whole cell, never as the start of a longer one', () => {
    const text = 'h\nx,gh/a/1/1/7/test (1),y\n"gh/a/1/1/8/say ""hi""",z\ngh/a/1/1/9/end\n'
    expect(holdsRowIds(text, ['gh/a/1/1/7/test (1)'])).toBe(true)
    expect(holdsRowIds(text, ['gh/a/1/1/9/end'])).toBe(true)
    expect(holdsRowIds(text, ['gh/a/1/1/7/test'])).toBe(false)
    expect(holdsRowIds(text, ['gh/a/1/1/7/test (1)', 'gh/a/1/1/6/test (0)'])).toBe(false)
  })

  test('a job still running its own steps is not writing yet; one running its post steps is', () => {
    const step = (name: string, status: string) => ({ name, status })
    const jobs = [
      {
        id: 1,
        status: 'in_progress',
        steps: [step('Run tests', 'in_progress'), step('Post Run x', 'queued')],
      },
      {
        id: 2,
        status: 'in_progress',
        steps: [step('Run tests', 'completed'), step('Post Run x', 'in_progress')],
      },
      { id: 3, status: 'in_progress', steps: [step('Run tests', 'completed'), step('Post Run x', 'queued')] },
    ]
    expect(writersOf(3, jobs)).toEqual({ self: 3, ids: [2, 3] })
  })

  test('a job the list does not hold has no writers', () => {
    expect(writersOf(99, [{ id: 1, status: 'in_progress' }])).toBeNull()
  })
})

describe('conflictDelayMs', () => {
  const half = () => 0.5
  test('before the first write, writers finishing together start one write time apart; a lone one at once', () => {
    expect([0, 1, 2].map((position) => conflictDelayMs(0, 200, { position, writers: 3 }, half))).toEqual([
      0, 200, 400,
    ])
    expect(conflictDelayMs(0, 200, { position: 0, writers: 1 }, half)).toBe(0)
    expect(conflictDelayMs(0, 200, null, half)).toBe(0)
  })

  test('after the first collision, writers come back one write time apart in the order of their position', () => {
    const delays = [0, 1, 2, 3].map((position) => conflictDelayMs(1, 200, { position, writers: 4 }, () => 0))
    expect(delays).toEqual([0, 200, 400, 600])
  })

  test('a second collision waits at random within the time all writers need', () => {
    expect(conflictDelayMs(2, 200, { position: 3, writers: 10 }, half)).toBe(1000)
    expect(conflictDelayMs(2, 200, { position: 3, writers: 10 }, () => 0.99)).toBeLessThan(2000)
  })

  test('without a position: a window of write times that doubles per attempt', () => {
    expect(conflictDelayMs(1, 200, null, half)).toBe(200)
    expect(conflictDelayMs(3, 200, null, half)).toBe(800)
    expect(conflictDelayMs(9, 1000, null, half)).toBe(6000)
  })

  test('write times outside 50 ms to 1 s are taken as noise and clamped', () => {
    expect(conflictDelayMs(1, 1, { position: 2, writers: 3 }, () => 0)).toBe(100)
    expect(conflictDelayMs(1, 60_000, { position: 1, writers: 3 }, () => 0)).toBe(1000)
  })
})
