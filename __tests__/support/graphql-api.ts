/**
 * The part of GitHub's GraphQL API (https://docs.github.com/graphql) that build-timings asks, over the local
 * GitHub's bare repository and comments: the token's viewer, a file and a folder at a branch
 * (`object(expression: "branch:path")`), a ref, and a pull request's comments with `viewerDidAuthor`.
 * Executed by graphql-js against a subset of GitHub's own schema, so a query the real API would refuse
 * (an unknown field, a wrong argument) is refused here too.
 */
import { buildSchema, graphql } from 'graphql'
import type { TreeEntry } from './git.js'

const SDL = /* GraphQL */ `
  scalar GitObjectID
  scalar BigInt
  scalar DateTime

  type Query {
    viewer: User!
    repository(owner: String!, name: String!): Repository
  }

  interface Actor {
    login: String!
  }
  type User implements Actor {
    login: String!
  }
  type Bot implements Actor {
    login: String!
  }

  type Repository {
    nameWithOwner: String!
    object(expression: String, oid: GitObjectID): GitObject
    ref(qualifiedName: String!): Ref
    pullRequest(number: Int!): PullRequest
  }

  interface GitObject {
    oid: GitObjectID!
  }
  type Blob implements GitObject {
    oid: GitObjectID!
    byteSize: Int!
    isBinary: Boolean
    isTruncated: Boolean!
    text: String
  }
  type Tree implements GitObject {
    oid: GitObjectID!
    entries: [TreeEntry!]
  }
  type Commit implements GitObject {
    oid: GitObjectID!
  }
  type TreeEntry {
    name: String!
    path: String
    type: String!
    mode: Int!
    oid: GitObjectID!
  }
  type Ref {
    name: String!
    prefix: String!
    target: GitObject
  }

  type PullRequest {
    number: Int!
    comments(first: Int, after: String, last: Int, before: String): IssueCommentConnection!
  }
  type IssueCommentConnection {
    totalCount: Int!
    pageInfo: PageInfo!
    nodes: [IssueComment]
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type IssueComment {
    id: ID!
    databaseId: Int
    fullDatabaseId: BigInt
    body: String!
    createdAt: DateTime!
    viewerDidAuthor: Boolean!
    author: Actor
  }
`

/** What the API reads: the local GitHub lends these (github-server.ts). */
export interface GraphQLWorld {
  owner: string
  repo: string
  /** A branch name or commit sha to its commit; null when there is none. */
  commitOf(rev: string): Promise<string | null>
  entryAt(commit: string, path: string): Promise<TreeEntry | null>
  listTree(tree: string): Promise<TreeEntry[]>
  readBlob(sha: string): Promise<Buffer | null>
  /** The pull request's comments, oldest first; null when there is no such pull request. */
  pullComments(number: number): { id: number; body: string; login: string; createdAt: string }[] | null
  /** Blob text over this many bytes comes back cut, with isTruncated (GitHub truncates large blobs). */
  textLimit: number
}

interface Viewer {
  login: string
}

type GitObject = { __typename: 'Blob' | 'Tree' | 'Commit'; oid: string } & Record<string, unknown>

const schema = buildSchema(SDL)

const PAGE_MAX = 100

/** Answers one GraphQL request the way api.github.com/graphql does (HTTP 200, `data` and/or `errors`). */
export async function answerGraphQL(
  world: GraphQLWorld,
  viewer: Viewer,
  request: { query?: unknown; variables?: unknown },
): Promise<Record<string, unknown>> {
  const result = await graphql({
    schema,
    source: String(request.query ?? ''),
    variableValues: (request.variables ?? {}) as Record<string, unknown>,
    rootValue: root(world, viewer),
    typeResolver: (value: { __typename?: string; login?: string }) =>
      value.__typename ?? (value.login?.endsWith('[bot]') ? 'Bot' : 'User'),
  })
  return JSON.parse(JSON.stringify(result)) as Record<string, unknown>
}

function root(world: GraphQLWorld, viewer: Viewer): Record<string, unknown> {
  return {
    viewer: () => ({ login: viewer.login }),
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (
        owner.toLowerCase() !== world.owner.toLowerCase() ||
        name.toLowerCase() !== world.repo.toLowerCase()
      )
        throw new Error(`Could not resolve to a Repository with the name '${owner}/${name}'.`)
      return repository(world, viewer)
    },
  }
}

function repository(world: GraphQLWorld, viewer: Viewer): Record<string, unknown> {
  return {
    nameWithOwner: `${world.owner}/${world.repo}`,
    object: ({ expression }: { expression?: string }) => objectAt(world, expression ?? ''),
    ref: async ({ qualifiedName }: { qualifiedName: string }) => {
      const name = qualifiedName.startsWith('refs/') ? qualifiedName : `refs/heads/${qualifiedName}`
      const commit = await world.commitOf(name)
      if (!commit) return null
      const slash = name.lastIndexOf('/')
      return {
        name: name.slice(slash + 1),
        prefix: name.slice(0, slash + 1),
        target: { __typename: 'Commit', oid: commit },
      }
    },
    pullRequest: ({ number }: { number: number }) => {
      const comments = world.pullComments(number)
      if (!comments) throw new Error(`Could not resolve to a PullRequest with the number of ${number}.`)
      return {
        number,
        comments: (args: { first?: number; after?: string }) => commentPage(comments, viewer, args),
      }
    },
  }
}

/** `rev:path` (GitHub's object expression): the blob or tree at that path of the branch or commit. */
async function objectAt(world: GraphQLWorld, expression: string): Promise<GitObject | null> {
  const colon = expression.indexOf(':')
  const rev = colon === -1 ? expression : expression.slice(0, colon)
  const path = colon === -1 ? '' : expression.slice(colon + 1)
  const commit = await world.commitOf(rev)
  if (!commit) return null
  if (!path) return { __typename: 'Commit', oid: commit }
  const entry = await world.entryAt(commit, path.replace(/\/+$/, ''))
  if (!entry) return null
  if (entry.type === 'tree') return { __typename: 'Tree', oid: entry.sha, ...treeFields(world, entry) }
  if (entry.type === 'blob') return { __typename: 'Blob', oid: entry.sha, ...blobFields(world, entry) }
  return null
}

function treeFields(world: GraphQLWorld, entry: TreeEntry): Record<string, unknown> {
  return {
    entry,
    entries: async () =>
      (await world.listTree(entry.sha)).map((child) => ({
        name: child.path,
        path: `${entry.path}/${child.path}`,
        type: child.type,
        mode: parseInt(child.mode, 8),
        oid: child.sha,
      })),
  }
}

function blobFields(world: GraphQLWorld, entry: TreeEntry): Record<string, unknown> {
  const bytes = async (): Promise<Buffer> => (await world.readBlob(entry.sha)) ?? Buffer.alloc(0)
  const binary = async (): Promise<boolean> => {
    const data = await bytes()
    return data.includes(0) || !Buffer.from(data.toString('utf8'), 'utf8').equals(data)
  }
  return {
    entry,
    byteSize: entry.size ?? 0,
    isBinary: binary,
    isTruncated: async () => (entry.size ?? 0) > world.textLimit,
    text: async () => {
      if (await binary()) return null
      const data = await bytes()
      return data.subarray(0, world.textLimit).toString('utf8')
    },
  }
}

const cursorOf = (index: number): string => Buffer.from(`cursor:${index}`).toString('base64')
const indexOf = (cursor: string): number =>
  Number(/^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1] ?? -1)

function commentPage(
  all: { id: number; body: string; login: string; createdAt: string }[],
  viewer: Viewer,
  args: { first?: number; after?: string },
): Record<string, unknown> {
  const first = args.first ?? PAGE_MAX
  if (first < 0 || first > PAGE_MAX)
    throw new Error(
      `Requesting ${first} records on the connection exceeds the \`first\` limit of 100 records.`,
    )
  const start = args.after ? indexOf(args.after) + 1 : 0
  const page = all.slice(start, start + first)
  return {
    totalCount: all.length,
    pageInfo: {
      hasNextPage: start + page.length < all.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursorOf(start) : null,
      endCursor: page.length ? cursorOf(start + page.length - 1) : null,
    },
    nodes: page.map((c) => ({
      id: `IC_${c.id}`,
      // GitHub's comment ids have outgrown a 32-bit Int: databaseId is then null, fullDatabaseId carries it.
      databaseId: c.id <= 2 ** 31 - 1 ? c.id : null,
      fullDatabaseId: String(c.id),
      body: c.body,
      createdAt: c.createdAt,
      viewerDidAuthor: c.login === viewer.login,
      author: { login: c.login },
    })),
  }
}
