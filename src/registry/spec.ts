import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import type { StoredRow } from '../core/csv.js'
import { DEFAULTS, isBranchName } from '../core/config.js'
import { DEFAULT_PATH_TEMPLATE } from '../core/env.js'
import { InputError } from '../core/errors.js'
import { createClient, httpError, type GitHubClient } from '../github/octokit.js'
import { FileStore, type RowScan } from './file.js'
import { GitStore } from './git.js'
import { GitHubContentsStore } from './github-contents.js'
import type { MigrateOutcome, ReadFilter, RegistryStore } from './port.js'

export const DEFAULT_REGISTRY = 'file:docs/build-timings.csv'
export const DEFAULT_BRANCH = DEFAULTS.registryBranch

/** SPEC §7: where `report --format html --publish` puts the dashboard, at the top of the registry branch. */
export const DASHBOARD_PATH = 'dashboard/index.html'

/** Where a page was published, and the commit that holds it (null: the page there was already this one). */
export interface Published {
  where: string
  commit: string | null
}

export type RegistrySpec =
  | { kind: 'file'; path: string }
  | { kind: 'git'; branch: string }
  | { kind: 'github'; owner: string; repo: string; branch: string }

const SPEC_HELP =
  'use file:PATH, git:BRANCH or github:OWNER/REPO[@BRANCH], e.g. --registry git:governance-registry'
const NAME = /^[A-Za-z0-9_.-]+$/

/** `file:PATH` | `git:BRANCH` | `github:OWNER/REPO[@BRANCH]`; anything else is an InputError with the fix. */
export function parseRegistrySpec(spec: string): RegistrySpec {
  const colon = spec.indexOf(':')
  const kind = colon === -1 ? '' : spec.slice(0, colon)
  const rest = colon === -1 ? '' : spec.slice(colon + 1)
  const bad = (why: string): never => {
    throw new InputError('registry', `registry "${spec}" ${why}; ${SPEC_HELP}`)
  }
  switch (kind) {
    case 'file':
      if (!rest.trim()) bad('names no file')
      return { kind: 'file', path: rest }
    case 'git':
      if (!isBranchName(rest)) bad('is not a valid branch name')
      return { kind: 'git', branch: rest }
    case 'github': {
      const m = /^([^/@\s]+)\/([^/@\s]+)(?:@(.+))?$/.exec(rest)
      if (!m || !NAME.test(m[1] ?? '') || !NAME.test(m[2] ?? '')) bad('does not name OWNER/REPO')
      const branch = m?.[3] ?? DEFAULT_BRANCH
      if (/[\s~^:?*[\\]|\.\.|^[-/]|\/$/.test(branch)) bad('names an invalid branch')
      return { kind: 'github', owner: m?.[1] as string, repo: m?.[2] as string, branch }
    }
    default:
      return bad(colon === -1 ? 'has no kind' : `has an unknown kind "${kind}"`)
  }
}

/** A store plus what `report` and `push` need beyond the port: every env's rows, streamed. */
export interface Registry extends RowScan {
  readonly spec: RegistrySpec
  readonly label: string
  readonly store: RegistryStore
  /** Fails with a fix when the registry cannot be used at all (run before wrapping a command). */
  check(): Promise<void>
  /**
   * Brings each env's latest/ that is past the bound into the latest/ + history/ layout (README "The registry"), one commit
   * per env, no byte of a row changed. A `file:` registry stays one file: nothing to do.
   */
  migrate(env?: string): Promise<MigrateOutcome[]>
  /**
   * Puts the dashboard page (DASHBOARD_PATH) into the registry: on a branch in one commit; for a `file:`
   * registry in the folder of its file. Nothing is written when the page there has these bytes already.
   */
  publishPage(content: Buffer): Promise<Published>
}

const PUBLISH_MESSAGE = `build-timings: dashboard [skip ci]`

/** A branch registry's page: one commit at DASHBOARD_PATH, none when it holds these bytes already. */
async function publishOnBranch(store: GitStore | GitHubContentsStore, content: Buffer): Promise<Published> {
  const { commit } = await store.putFile(DASHBOARD_PATH, content, PUBLISH_MESSAGE)
  return { where: `${store.label}:${DASHBOARD_PATH}`, commit }
}

/** A `file:` registry's page: beside the registry file, written whole (a reader never sees half a page). */
async function publishBeside(registryFile: string, shownAs: string, content: Buffer): Promise<Published> {
  const path = join(dirname(registryFile), DASHBOARD_PATH)
  const where = join(dirname(shownAs), DASHBOARD_PATH)
  const now = await readFile(path).catch(() => null)
  if (now?.equals(content)) return { where, commit: null }
  await mkdir(dirname(path), { recursive: true })
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, content)
  await rename(temp, path)
  return { where, commit: null }
}

const MIGRATE_MESSAGE = (env: string) => `build-timings: migrate ${env} to latest/ + history/ [skip ci]`

export interface OpenContext {
  cwd: string
  env: NodeJS.ProcessEnv
  /** Warnings from the GitHub client (rate limits); never carries the token. */
  log?: (message: string) => void
  /** For tests: a ready GitHub client. */
  client?: GitHubClient
}

export function openRegistry(spec: string, ctx: OpenContext): Registry {
  const parsed = parseRegistrySpec(spec)
  switch (parsed.kind) {
    case 'file':
    case 'git': {
      // A file label keeps the path as the user wrote it: messages then match what they typed.
      const store =
        parsed.kind === 'file'
          ? new FileStore(isAbsolute(parsed.path) ? parsed.path : resolve(ctx.cwd, parsed.path), {
              label: `file:${parsed.path}`,
            })
          : new GitStore({ cwd: ctx.cwd, branch: parsed.branch, env: ctx.env })
      const migrate = async (env?: string): Promise<MigrateOutcome[]> => {
        if (!(store instanceof GitStore)) return []
        const envs = env === undefined ? await store.envs() : [env]
        const out: MigrateOutcome[] = []
        for (const e of envs) out.push(await store.migrate(e, MIGRATE_MESSAGE(e)))
        return out
      }
      const publishPage = (content: Buffer): Promise<Published> =>
        store instanceof FileStore
          ? publishBeside(store.path, parsed.kind === 'file' ? parsed.path : '', content)
          : publishOnBranch(store, content)
      return {
        spec: parsed,
        label: store.label,
        store,
        check: () => store.check(),
        scan: (env, only) => store.scan(env, only),
        migrate,
        publishPage,
      }
    }
    case 'github': {
      const token = ctx.env.GITHUB_TOKEN || ctx.env.GH_TOKEN || ''
      if (!token && !ctx.client) {
        throw new InputError(
          'registry',
          `registry ${spec} needs a token; set GITHUB_TOKEN to a token that can read (and, to record, write) contents of ${parsed.owner}/${parsed.repo}`,
        )
      }
      const client =
        ctx.client ??
        createClient({
          token,
          ...(ctx.env.GITHUB_API_URL ? { baseUrl: ctx.env.GITHUB_API_URL } : {}),
          log: ctx.log ?? (() => undefined),
        })
      const store = new GitHubContentsStore({
        client,
        owner: parsed.owner,
        repo: parsed.repo,
        branch: parsed.branch,
        pathTemplate: DEFAULT_PATH_TEMPLATE,
      })
      const scan = async function* (
        env?: string,
        only?: Pick<ReadFilter, 'since'>,
      ): AsyncGenerator<StoredRow> {
        for (const e of env === undefined ? await githubEnvs(client, parsed) : [env]) {
          yield* (await store.read(e, only?.since === undefined ? { all: true } : { since: only.since })).rows
        }
      }
      const migrate = async (env?: string): Promise<MigrateOutcome[]> => {
        const out: MigrateOutcome[] = []
        for (const e of env === undefined ? await githubEnvs(client, parsed) : [env]) {
          out.push(await store.migrate(e, MIGRATE_MESSAGE(e)))
        }
        return out
      }
      return {
        spec: parsed,
        label: store.label,
        store,
        check: async () => undefined,
        scan,
        migrate,
        publishPage: (content) => publishOnBranch(store, content),
      }
    }
  }
}

/** The envs with a folder under environments/ on the branch (none if the branch does not exist yet). */
async function githubEnvs(
  client: GitHubClient,
  spec: { owner: string; repo: string; branch: string },
): Promise<string[]> {
  const prefix = DEFAULT_PATH_TEMPLATE.slice(0, DEFAULT_PATH_TEMPLATE.indexOf('{env}')).replace(/\/$/, '')
  try {
    const res = await client.rest.repos.getContent({
      owner: spec.owner,
      repo: spec.repo,
      path: prefix,
      ref: spec.branch,
    })
    const entries = Array.isArray(res.data) ? res.data : []
    return entries
      .filter((e) => e.type === 'dir')
      .map((e) => e.name)
      .sort()
  } catch (e) {
    if (httpError(e)?.status === 404) return []
    throw e
  }
}
