import { httpError, isRateLimited, type GitHubClient } from './octokit.js'

/** An issue comment as the PR comment use case needs it: no raw response leaves this module. */
export interface IssueComment {
  id: number
  body: string
  login: string
  /** The author's account type: `Bot` for GITHUB_TOKEN and apps, `User` for a personal token. */
  type: string
  createdAt: string
}

/** The token may not comment here (403 that is not a rate limit): fork and Dependabot tokens. */
export class CommentDenied extends Error {}

/** The comments of one pull request; writes throw CommentDenied when the token may not write. */
export interface PullRequestComments {
  list(): Promise<IssueComment[]>
  create(body: string): Promise<{ id: number; login: string }>
  /** False when the comment is gone (deleted by a racing job). */
  update(id: number, body: string): Promise<boolean>
  /** A comment already deleted (by a racing job) is no error. */
  remove(id: number): Promise<void>
  /** The login this token writes as (a user's, or an app's `[bot]`), or null when GitHub does not say. */
  viewerLogin(): Promise<string | null>
  /** One comment's body as it is now; null when it is gone. */
  body(id: number): Promise<string | null>
}

async function write<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (e) {
    if (httpError(e)?.status === 403 && !isRateLimited(e)) throw new CommentDenied()
    throw e
  }
}

async function unlessGone(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await write(call)
    return true
  } catch (e) {
    if (httpError(e)?.status !== 404) throw e
    return false
  }
}

export function pullRequestComments(
  client: GitHubClient,
  owner: string,
  repo: string,
  prNumber: number,
): PullRequestComments {
  const issue = { owner, repo, issue_number: prNumber }
  return {
    async list() {
      const raw = await client.paginate(client.rest.issues.listComments, { ...issue, per_page: 100 })
      return raw.map((c) => ({
        id: c.id,
        body: c.body ?? '',
        login: c.user?.login ?? '',
        type: c.user?.type ?? '',
        createdAt: c.created_at,
      }))
    },
    async create(body) {
      const created = await write(() => client.rest.issues.createComment({ ...issue, body }))
      return { id: created.data.id, login: created.data.user?.login ?? '' }
    },
    update: (id, body) =>
      unlessGone(() => client.rest.issues.updateComment({ owner, repo, comment_id: id, body })),
    async remove(id) {
      await unlessGone(() => client.rest.issues.deleteComment({ owner, repo, comment_id: id }))
    },
    async body(id) {
      try {
        const res = await client.rest.issues.getComment({ owner, repo, comment_id: id })
        return res.data.body ?? ''
      } catch (e) {
        if (httpError(e)?.status === 404) return null
        throw e
      }
    },
    // GraphQL's viewer answers every kind of token, installation tokens included (`{app}[bot]`, and
    // github-actions[bot] for GITHUB_TOKEN), where REST GET /user refuses them.
    async viewerLogin() {
      try {
        const answer = await client.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
        if (answer.viewer.login) return answer.viewer.login
      } catch {
        // an older GitHub Enterprise or a proxy without GraphQL: the REST answer, for user tokens
      }
      try {
        const me = await client.rest.users.getAuthenticated()
        return me.data.login || null
      } catch {
        return null
      }
    },
  }
}
