import { httpError, isRateLimited, type GitHubClient } from './octokit.js'

/** An issue comment as the PR comment use case needs it: no raw response leaves this module. */
export interface IssueComment {
  id: number
  body: string
  login: string
  /** The author's account type: `Bot` for GITHUB_TOKEN and apps, `User` for a personal token. */
  type: string
  createdAt: string
  /** GraphQL's viewerDidAuthor: whether this token wrote it; undefined when the listing could not say. */
  mine?: boolean
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

/**
 * The comments with whether this token wrote each (`viewerDidAuthor`), a page of 100 per query: ownership
 * without asking the token's identity separately. `fullDatabaseId` is the REST id (comment ids have outgrown
 * GraphQL's 32-bit `databaseId`).
 */
const COMMENTS = `query ($owner: String!, $repo: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { fullDatabaseId body createdAt viewerDidAuthor author { __typename login } }
      }
    }
  }
}`

interface CommentsAnswer {
  repository: {
    pullRequest: {
      comments: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null }
        nodes: ({
          fullDatabaseId: string | number | null
          body: string
          createdAt: string
          viewerDidAuthor: boolean
          author: { __typename: string; login: string } | null
        } | null)[]
      }
    } | null
  } | null
}

/** Every comment of the pull request over GraphQL, or null when GraphQL cannot say (REST lists them then). */
async function listOverGraphQL(
  client: GitHubClient,
  vars: { owner: string; repo: string; number: number },
): Promise<IssueComment[] | null> {
  const all: IssueComment[] = []
  let after: string | null = null
  try {
    for (;;) {
      const answer: CommentsAnswer = await client.graphql<CommentsAnswer>(COMMENTS, { ...vars, after })
      const page = answer.repository?.pullRequest?.comments
      if (!page) return null
      for (const c of page.nodes) {
        const id = Number(c?.fullDatabaseId)
        if (!c || !Number.isSafeInteger(id)) return null
        all.push({
          id,
          body: c.body,
          login: c.author?.login ?? '',
          type: c.author?.__typename ?? '',
          createdAt: c.createdAt,
          mine: c.viewerDidAuthor,
        })
      }
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return all
      after = page.pageInfo.endCursor
    }
  } catch {
    return null
  }
}

export function pullRequestComments(
  client: GitHubClient,
  owner: string,
  repo: string,
  prNumber: number,
): PullRequestComments {
  const issue = { owner, repo, issue_number: prNumber }
  let graphqlWorks = true
  return {
    async list() {
      if (graphqlWorks) {
        const listed = await listOverGraphQL(client, { owner, repo, number: prNumber })
        if (listed) return listed
        graphqlWorks = false
      }
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
