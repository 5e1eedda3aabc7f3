import type { Budgets } from '../core/budgets.js'
import type { StoredRow } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import { commentMarker, renderComment } from '../core/render/comment.js'
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
}

export type UpsertResult = { commentId: number; action: 'created' | 'updated' | 'unchanged' } | null

/**
 * Rounds of render → write → "did the registry move?". Each extra round is taken only when another job
 * appended a row meanwhile, so a few cover a matrix finishing together: the job that appends last renders
 * every row, and a job whose write may have landed after it sees the move and writes again.
 */
const MAX_ROUNDS = 5

const NO_PERMISSION =
  'cannot comment: grant pull-requests: write (fork and Dependabot pull requests get a read-only token)'

const oldestFirst = (a: IssueComment, b: IssueComment): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id

/** A version that also moves for stores without one (a row count cannot go back: the registry is append-only). */
const versionOf = (read: RegistryRead): string => `${read.version ?? ''}#${read.rows.length}`

/** The identity GITHUB_TOKEN writes as: the default of the action's github-token. */
export const ACTIONS_BOT = 'github-actions[bot]'

/**
 * Whose comment is it? Ours only when its body starts with our marker and its author is the identity this
 * token writes as (README "The GitHub Action"): another bot's or person's comment is never edited or deleted, whatever marker
 * it carries. The identity is asked once, and only when a marker comment exists (GraphQL's viewer: a
 * user's login for a personal token, `{app}[bot]` for an app, github-actions[bot] for GITHUB_TOKEN), or
 * learned from the comment this call creates. Should GitHub not say, only github-actions[bot], the
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
    if (marked.length && this.viewer === undefined && this.logins.size === 0) {
      this.viewer = await this.api.viewerLogin()
      if (this.viewer) this.learn(this.viewer)
    }
    return marked.filter((c) => this.isOurs(c)).sort(oldestFirst)
  }

  private isOurs(c: IssueComment): boolean {
    if (this.logins.has(c.login)) return true
    return this.viewer === null && this.logins.size === 0 && c.login === ACTIONS_BOT
  }
}

interface Round {
  keptId: number | null
  createdId: number | null
  updated: boolean
  /** The comment we meant to update was deleted by a racing job: another round finds the survivor. */
  lost: boolean
}

/** One round: create the comment if none is ours, update the oldest, delete the others. */
async function writeOnce(api: PullRequestComments, ours: OurComments, body: string): Promise<Round> {
  const round: Round = { keptId: null, createdId: null, updated: false, lost: false }
  let mine = await ours.list()
  if (mine.length === 0) {
    const created = await api.create(body)
    round.keptId = created.id
    round.createdId = created.id
    ours.learn(created.login)
    // Another job may have created one at the same moment: look again, so that the oldest wins below.
    mine = await ours.list()
  }
  const keep = mine[0]
  if (!keep) return round
  round.keptId = keep.id
  if (keep.body !== body) {
    if (await api.update(keep.id, body)) round.updated = true
    else round.lost = true
  }
  for (const extra of mine.slice(1)) await api.remove(extra.id)
  return round
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
  let read = await opts.store.read(opts.env)
  let createdId: number | null = null
  let updated = false
  let keptId: number | null = null
  for (let round = 1; ; round++) {
    const rows = read.rows.filter(opts.selectRun)
    if (rows.length === 0) {
      opts.log(`PR comment skipped: no rows of this run in ${read.location}.`)
      return null
    }
    const body = renderComment({ workflow: opts.workflow, rows, history: read.rows, budgets: opts.budgets })
    const done = await writeOnce(api, ours, body)
    createdId = done.createdId ?? createdId
    updated ||= done.updated
    keptId = done.keptId ?? keptId

    const again = await opts.store.read(opts.env)
    if (!done.lost && versionOf(again) === versionOf(read)) break
    if (round >= MAX_ROUNDS) {
      opts.log(
        'PR comment: the registry kept moving; the comment may lack the latest rows until the next job updates it.',
      )
      break
    }
    read = again
  }
  if (keptId === null) return null
  return { commentId: keptId, action: keptId === createdId ? 'created' : updated ? 'updated' : 'unchanged' }
}
