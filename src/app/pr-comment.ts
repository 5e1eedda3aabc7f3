import type { Budgets } from '../core/budgets.js'
import type { StoredRow } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import type { Deadline } from '../core/deadline.js'
import { COMMENT_LIMIT, commentMarker, renderComment } from '../core/render/comment.js'
import { shownLine, showsAll } from '../core/render/shown.js'
import { contentionAmong, landedIn, type Writers } from '../core/spread.js'
import {
  CommentDenied,
  pullRequestComments,
  type IssueComment,
  type PullRequestComments,
} from '../github/comments.js'
import { isRateLimited, type GitHubClient } from '../github/octokit.js'
import type { RegistryRead, RegistryStore } from '../registry/port.js'

export interface UpsertOptions {
  client: GitHubClient
  owner: string
  repo: string
  prNumber: number
  workflow: string
  store: RegistryStore
  env: string
  /** Which registry rows belong to this run (e.g. same repository, run_id and run_attempt). */
  selectRun: (row: StoredRow) => boolean
  budgets: Budgets
  log: (line: string) => void
  /**
   * Asked before a write, with the registry as rendered: true when a job that knows more rows is about to
   * write the comment (the registry moved after this job's row), so this one leaves it to that job.
   */
  deferTo?: (read: RegistryRead) => Promise<boolean>
  /**
   * How long after its write a job of a matrix looks at the comment again, to catch a racing job's older
   * render that landed after it (default 1 s).
   */
  settleMs?: number
}

export type UpsertResult = { commentId: number; action: 'created' | 'updated' | 'unchanged' } | null

/** Looks after a write: a racing job's older render can land after ours at most this many times in a row. */
const MAX_CHECKS = 3

/** Long enough for the next writer of a matrix to commit its row (a write is well under a second). */
const HAND_OVER_MS = 1500
const HAND_OVER_LOOK_MS = 150

/**
 * `deferTo` for a job of a matrix (README "Within GitHub's limits"): while other jobs of the run are still
 * to write their rows, wait a moment and look whether the registry moved; if it did, a job that knows more
 * rows writes the comment, and this one spends no write on it.
 */
export function handOverToLaterWriters(opts: {
  writers: Writers | null
  run: { repository: string; runId: string; runAttempt: string }
  store: RegistryStore
  env: string
  deadline?: Deadline
}): (read: RegistryRead) => Promise<boolean> {
  return async (read) => {
    if (!opts.writers) return false
    const landed = landedIn(read.rows.map((r) => r.row_id ?? '').join('\n'), opts.run)
    if (contentionAmong(opts.writers, landed).writers <= 1) return false
    if (opts.deadline && !opts.deadline.allows(HAND_OVER_MS * 2)) return false
    // The next writer usually commits within one write's time: look often (a conditional read of an
    // unchanged file costs no budget) and hand over as soon as it has.
    for (let waited = 0; waited < HAND_OVER_MS; waited += HAND_OVER_LOOK_MS) {
      await sleep(HAND_OVER_LOOK_MS)
      const now = await opts.store.read(opts.env, { fresh: true })
      if (now.version !== read.version) return true
    }
    return false
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const NO_PERMISSION =
  'cannot comment: grant pull-requests: write (fork and Dependabot pull requests get a read-only token)'

const oldestFirst = (a: IssueComment, b: IssueComment): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id

/** The identity GITHUB_TOKEN writes as: the default of the action's github-token. */
export const ACTIONS_BOT = 'github-actions[bot]'

/**
 * Whose comment is it? Ours only when its body starts with our marker and its author is the identity this
 * token writes as (README "The GitHub Action"): another bot's or person's comment is never edited or deleted, whatever marker
 * it carries. GitHub says so with each comment when the listing comes from GraphQL (`viewerDidAuthor`);
 * a REST listing asks the identity once, and only when a marker comment exists (GraphQL's viewer: a
 * user's login for a personal token, `{app}[bot]` for an app, github-actions[bot] for GITHUB_TOKEN), or
 * learns it from the comment this call creates. Should GitHub not say, only github-actions[bot], the
 * default token's identity, is taken as ours.
 */
class OurComments {
  private readonly logins = new Set<string>()
  /** undefined: not asked yet; null: GitHub did not say. */
  private viewer: string | null | undefined = undefined
  constructor(
    private readonly api: PullRequestComments,
    private readonly marker: string,
  ) {}

  learn(login: string): void {
    if (login) this.logins.add(login)
  }

  /** Ours, oldest first. */
  async list(): Promise<IssueComment[]> {
    const marked = (await this.api.list()).filter((c) => c.body.startsWith(this.marker))
    const unsaid = marked.some((c) => c.mine === undefined)
    if (unsaid && this.viewer === undefined && this.logins.size === 0) {
      this.viewer = await this.api.viewerLogin()
      if (this.viewer) this.learn(this.viewer)
    }
    return marked.filter((c) => this.isOurs(c)).sort(oldestFirst)
  }

  private isOurs(c: IssueComment): boolean {
    if (c.mine !== undefined) return c.mine
    if (this.logins.has(c.login)) return true
    return this.viewer === null && this.logins.size === 0 && c.login === ACTIONS_BOT
  }
}

interface Written {
  keptId: number | null
  createdId: number | null
  updated: boolean
}

/**
 * Create the comment if none is ours, update the oldest when it does not show every row of this render yet
 * (README "Within GitHub's limits"), delete the others.
 */
async function writeOnce(
  api: PullRequestComments,
  ours: OurComments,
  render: { ids: string[]; body: string },
): Promise<Written> {
  const done: Written = { keptId: null, createdId: null, updated: false }
  let mine = await ours.list()
  if (mine.length === 0) {
    const created = await api.create(render.body)
    done.keptId = created.id
    done.createdId = created.id
    ours.learn(created.login)
    // Another job may have created one at the same moment: look again, so that the oldest wins below.
    mine = await ours.list()
  }
  const keep = mine[0]
  if (!keep) return done
  done.keptId = keep.id
  if (keep.id !== done.createdId && keep.body !== render.body && !showsAll(keep.body, render.ids)) {
    // False: deleted by a racing job between our list and our update; that job's comment stands.
    done.updated = await api.update(keep.id, render.body)
  }
  for (const extra of mine.slice(1)) await api.remove(extra.id)
  return done
}

/** The body for these rows, with the hidden line of the rows it shows. */
function renderFor(
  opts: UpsertOptions,
  read: RegistryRead,
  rows: readonly StoredRow[],
): { ids: string[]; body: string } {
  const ids = rows.map((r) => r.row_id ?? '')
  const shown = shownLine(ids)
  const table = renderComment({
    workflow: opts.workflow,
    rows,
    history: read.rows,
    budgets: opts.budgets,
    limit: COMMENT_LIMIT - shown.length - 1,
  })
  return { ids, body: `${table}\n${shown}` }
}

/**
 * The PR comment of a run (README "What you see"): one comment per pull request and workflow, rendered
 * from the registry rows of this run, updated in place, duplicates from racing jobs collapsed to the
 * oldest. Never throws: GitHub or registry trouble is one log line and null.
 */
export async function upsertRunComment(opts: UpsertOptions): Promise<UpsertResult> {
  const api = pullRequestComments(opts.client, opts.owner, opts.repo, opts.prNumber)
  try {
    return await converge(opts, api)
  } catch (e) {
    if (e instanceof CommentDenied) opts.log(NO_PERMISSION)
    else if (isRateLimited(e)) opts.log(`PR comment skipped: GitHub rate limit reached (${errorMessage(e)}).`)
    else opts.log(`PR comment skipped: ${errorMessage(e)}`)
    return null
  }
}

async function converge(opts: UpsertOptions, api: PullRequestComments): Promise<UpsertResult> {
  const ours = new OurComments(api, commentMarker(opts.workflow))
  // The registry as this job last saw it (after its own write): every row of the run up to this job's.
  const read = await opts.store.read(opts.env)
  const rows = read.rows.filter(opts.selectRun)
  if (rows.length === 0) {
    opts.log(`PR comment skipped: no rows of this run in ${read.location}.`)
    return null
  }
  if (opts.deferTo && (await opts.deferTo(read))) {
    opts.log('PR comment left to a later job of this run: the registry moved after this row.')
    return null
  }
  const render = renderFor(opts, read, rows)
  const done = await writeOnce(api, ours, render)
  if (done.keptId === null) return null
  // In a matrix a job that listed the comment before ours landed may write its older render after it:
  // look again a little later, and write what the registry holds now if ours was overwritten.
  if ((done.updated || done.keptId === done.createdId) && rows.length > 1) {
    await settle(opts, api, done.keptId, render.ids)
  }
  const action = done.keptId === done.createdId ? 'created' : done.updated ? 'updated' : 'unchanged'
  return { commentId: done.keptId, action }
}

async function settle(
  opts: UpsertOptions,
  api: PullRequestComments,
  id: number,
  ids: string[],
): Promise<void> {
  let expected = ids
  for (let check = 1; check <= MAX_CHECKS; check++) {
    await sleep(opts.settleMs ?? 1000)
    const body = await api.body(id)
    if (body === null || showsAll(body, expected)) return
    const fresh = await opts.store.read(opts.env, { fresh: true })
    const again = renderFor(opts, fresh, fresh.rows.filter(opts.selectRun))
    expected = again.ids
    if (!(await api.update(id, again.body))) return
  }
}
