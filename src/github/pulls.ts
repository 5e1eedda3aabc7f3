import { httpError, type GitHubClient } from './octokit.js'

interface PullSummary {
  number: number
  state: string
  head: { sha: string }
}

/**
 * The pull request a commit belongs to, for pipelines that only know the sha (Drone push builds carry no
 * DRONE_PULL_REQUEST: docs/architecture.md "Drone and Woodpecker"). Prefers an open PR whose head is this
 * commit, then any open PR, then the most recent. Null when the commit has none or GitHub does not know it.
 */
export async function findPullRequestForCommit(
  client: GitHubClient,
  owner: string,
  repo: string,
  sha: string,
): Promise<number | null> {
  let pulls: PullSummary[]
  try {
    const res = await client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
      owner,
      repo,
      commit_sha: sha,
      per_page: 100,
    })
    pulls = res.data as unknown as PullSummary[]
  } catch (e) {
    // 404: unknown repository or commit; 422: not a commit sha (e.g. a tag build). Neither has a PR.
    const status = httpError(e)?.status
    if (status === 404 || status === 422) return null
    throw e
  }
  if (!Array.isArray(pulls) || pulls.length === 0) return null
  const open = pulls.filter((p) => p.state === 'open')
  const best = open.find((p) => p.head?.sha === sha) ?? open[0] ?? pulls[0]
  return best ? best.number : null
}
