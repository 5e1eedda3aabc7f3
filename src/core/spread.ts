/**
 * Where a post stands among the run's jobs that may be writing to the registry at the same moment: its
 * position (by job id) among the jobs still in progress, and how many there are (Jobs API, one request).
 */
export interface Contention {
  position: number
  writers: number
}

/** This job and the run's other jobs still in progress (ids ascending): who may be writing right now. */
export interface Writers {
  self: number
  ids: number[]
}

interface ListedJob {
  id: number
  status: string
  steps?: readonly { name: string; status: string }[]
}

/**
 * A job in progress that is running its post steps is writing now or about to (the runner names them
 * `Post …`); one whose steps are not listed may be. A job still running its own steps writes later.
 */
function finishing(job: ListedJob): boolean {
  if (job.status !== 'in_progress') return false
  if (!job.steps?.length) return true
  return job.steps.some((s) => s.name.startsWith('Post ') && s.status !== 'queued')
}

/** Null when this job is not among the listed ones (no Jobs API answer, or a run of more than one page). */
export function writersOf(selfId: number, jobs: readonly ListedJob[]): Writers | null {
  const ids = jobs
    .filter((j) => j.id === selfId || finishing(j))
    .map((j) => j.id)
    .sort((a, b) => a - b)
  return ids.includes(selfId) ? { self: selfId, ids } : null
}

/**
 * Where this job stands among the writers whose rows the registry does not hold yet. Writers land in the
 * order of their ids, so one ahead of a writer that has landed was passed over by it (it lands nothing: it
 * died, kept its row, or records nothing) and is not waited for here either.
 */
export function contentionAmong(writers: Writers, landed: (jobId: number) => boolean): Contention {
  const pending = writers.ids.filter((id) => id === writers.self || !landed(id))
  const lastLanded = Math.max(-1, ...writers.ids.filter((id) => id < writers.self && landed(id)))
  const ahead = pending.filter((id) => id < writers.self && id > lastLanded).length
  return { position: ahead, writers: pending.length }
}

/**
 * The writers behind this one whose rows the registry does not hold yet: when this writer's turn comes, the
 * rows they offered are its to write with its own (one commit for many rows).
 */
export function writersBehind(writers: Writers, landed: (jobId: number) => boolean): number[] {
  return writers.ids.filter((id) => id > writers.self && !landed(id))
}

/** Whether a registry file holds a row of job `jobId` of this run attempt (its row_id starts `gh/{repository}/{run}/{attempt}/{job}/`). */
export function landedIn(
  text: string,
  run: { repository: string; runId: string; runAttempt: string },
): (jobId: number) => boolean {
  const prefix = `gh/${run.repository}/${run.runId}/${run.runAttempt || '1'}/`
  return (jobId) => text.includes(`${prefix}${jobId}/`)
}

/**
 * Whether a registry file holds every one of these row_ids as a whole cell (a hint, read from the text: the
 * append's merge is what decides).
 */
export function holdsRowIds(text: string, ids: readonly string[]): boolean {
  return ids.every((id) => [',', '\n', '\r', '"'].some((end) => text.includes(`${id}${end}`)))
}

/**
 * A write holds the branch for about as long as it takes; outside these bounds the measure is noise (a
 * contents PUT on GitHub takes well under a second; a slow one is mostly waiting, not holding the branch).
 */
const SLOT_MIN_MS = 50
const SLOT_MAX_MS = 1_000
/** The longest random window a writer that does not know its position waits in. */
const WINDOW_MAX_MS = 6_000

/**
 * How long to wait before the first write (`attempt` 0) or after the `attempt`-th write conflicted, given how long that write took (`slotMs`: the
 * time one commit holds the branch). Writers of one run that collided once come back one slot apart in
 * the order of their position, so they do not collide again; a writer that still collides, or that does
 * not know its position, waits a random time in a window that doubles per attempt.
 */
export function conflictDelayMs(
  attempt: number,
  slotMs: number,
  contention: Contention | null,
  random: () => number,
): number {
  const slot = Math.min(SLOT_MAX_MS, Math.max(SLOT_MIN_MS, slotMs))
  // Before the first write: writers finishing together start one write time apart instead of at once.
  if (attempt === 0) return contention && contention.writers > 1 ? Math.round(contention.position * slot) : 0
  if (contention && contention.writers > 1) {
    if (attempt === 1) return Math.round(contention.position * slot + random() * slot * 0.5)
    return Math.round(random() * contention.writers * slot)
  }
  return Math.round(Math.min(WINDOW_MAX_MS, slot * 2 ** Math.min(attempt - 1, 5)) * (0.5 + random()))
}

/** One write's turn, from a measure of it (a read's round trip, or the time between commits observed). */
export function turnSlotMs(measuredMs: number): number {
  return Math.min(SLOT_MAX_MS, Math.max(SLOT_MIN_MS, Math.round(measuredMs)))
}

/**
 * How long a writer waiting for its turn lets the writers ahead land nothing before it writes anyway: a
 * writer ahead may have died, kept its row, or be a job of the run that records nothing.
 */
export function turnPatienceMs(slotMs: number): number {
  return Math.max(2_000, 4 * slotMs)
}
