import type { Budgets } from '../core/budgets.js'
import type { StoredRow } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import { commentMarker, renderComment } from '../core/render/comment.js'
import type { RegistryRead, RegistryStore } from '../registry/port.js'
import { httpError, isRateLimited, type GitHubClient } from './octokit.js'

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

interface Comment {
  id: number
  body: string
  login: string
  type: string
  createdAt: string
}

class CommentDenied extends Error {}

/** Our comments: the marker at the start, written by a bot (GITHUB_TOKEN, apps) or by a login known to be ours. */
function ours(c: Comment, marker: string, logins: ReadonlySet<string>): boolean {
  return c.body.startsWith(marker) && (c.type === 'Bot' || logins.has(c.login))
}

const oldestFirst = (a: Comment, b: Comment): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id

/** A version that also moves for stores without one (a row count cannot go back: the registry is append-only). */
const versionOf = (read: RegistryRead): string => `${read.version ?? ''}#${read.rows.length}`

/**
 * SPEC §4 "PR comment": one comment per pull request and workflow, rendered from the registry rows of
 * this run, updated in place, duplicates from racing jobs collapsed to the oldest. Never throws: GitHub or
 * registry trouble is one log line and null.
 *
 * Whose comment is it? `GET /user` is refused to GITHUB_TOKEN, so a comment is ours when its body starts
 * with our marker and its author is a bot (GITHUB_TOKEN writes as github-actions[bot], apps as their
 * bot) or has the login of a comment this call created. A personal token writes as a user: its login is
 * asked of `GET /user` only when a marker comment by a user exists, so the common case costs no request.
 */
export async function upsertRunComment(opts: UpsertOptions): Promise<UpsertResult> {
  const { client, owner, repo, prNumber, log } = opts
  const marker = commentMarker(opts.workflow)
  const logins = new Set<string>()
  let askedUser = false

  const listComments = async (): Promise<Comment[]> => {
    const raw = await client.paginate(client.rest.issues.listComments, {
      owner,
      repo,
      issue_number: prNumber,
      per_page: 100,
    })
    return raw.map((c) => ({
      id: c.id,
      body: c.body ?? '',
      login: c.user?.login ?? '',
      type: c.user?.type ?? '',
      createdAt: c.created_at,
    }))
  }

  const learnLogin = async (comments: readonly Comment[]): Promise<void> => {
    if (
      askedUser ||
      !comments.some((c) => c.body.startsWith(marker) && c.type !== 'Bot' && !logins.has(c.login))
    )
      return
    askedUser = true
    try {
      const me = await client.rest.users.getAuthenticated()
      if (me.data.login) logins.add(me.data.login)
    } catch {
      // GITHUB_TOKEN and app tokens are refused here; their comments are recognised as bots.
    }
  }

  const write = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call()
    } catch (e) {
      if (httpError(e)?.status === 403 && !isRateLimited(e)) throw new CommentDenied()
      throw e
    }
  }

  try {
    let read = await opts.store.read(opts.env)
    let createdId: number | null = null
    let updated = false
    let keptId: number | null = null
    for (let round = 1; ; round++) {
      const rows = read.rows.filter(opts.selectRun)
      if (rows.length === 0) {
        log(`PR comment skipped: no rows of this run in ${read.location}.`)
        return null
      }
      const body = renderComment({ workflow: opts.workflow, rows, history: read.rows, budgets: opts.budgets })

      const comments = await listComments()
      await learnLogin(comments)
      let mine = comments.filter((c) => ours(c, marker, logins)).sort(oldestFirst)
      if (mine.length === 0) {
        const created = await write(() =>
          client.rest.issues.createComment({ owner, repo, issue_number: prNumber, body }),
        )
        createdId = created.data.id
        keptId = created.data.id
        if (created.data.user?.login) logins.add(created.data.user.login)
        // Another job may have created one at the same moment: look again, so that the oldest wins below.
        mine = (await listComments()).filter((c) => ours(c, marker, logins)).sort(oldestFirst)
      }
      const keep = mine[0]
      let lost = false
      if (keep) {
        keptId = keep.id
        if (keep.body !== body) {
          try {
            await write(() => client.rest.issues.updateComment({ owner, repo, comment_id: keep.id, body }))
            updated = true
          } catch (e) {
            // Deleted by a racing job between our list and our update: the next round finds the survivor.
            if (httpError(e)?.status !== 404) throw e
            lost = true
          }
        }
        for (const extra of mine.slice(1)) {
          try {
            await write(() => client.rest.issues.deleteComment({ owner, repo, comment_id: extra.id }))
          } catch (e) {
            if (httpError(e)?.status !== 404) throw e // already deleted by a racing job
          }
        }
      }

      const again = await opts.store.read(opts.env)
      if (!lost && versionOf(again) === versionOf(read)) break
      if (round >= MAX_ROUNDS) {
        log(
          'PR comment: the registry kept moving; the comment may lack the latest rows until the next job updates it.',
        )
        break
      }
      read = again
    }
    if (keptId === null) return null
    return { commentId: keptId, action: keptId === createdId ? 'created' : updated ? 'updated' : 'unchanged' }
  } catch (e) {
    if (e instanceof CommentDenied) {
      log(NO_PERMISSION)
      return null
    }
    if (isRateLimited(e)) log(`PR comment skipped: GitHub rate limit reached (${errorMessage(e)}).`)
    else log(`PR comment skipped: ${errorMessage(e)}`)
    return null
  }
}
