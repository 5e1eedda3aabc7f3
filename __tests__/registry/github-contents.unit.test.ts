import { Deadline, DeadlinePassed } from '../../src/core/deadline.js'
import { RegistryParseError } from '../../src/core/errors.js'
import { buildRow, type TimingEvent } from '../../src/core/row.js'
import { HEADER_LINE, type Row } from '../../src/core/schema.js'
import type { GitHubClient } from '../../src/github/octokit.js'
import { GitHubContentsStore, type GitHubStoreOptions } from '../../src/registry/github-contents.js'
import type { RowShare } from '../../src/registry/port.js'
import { contentionAmong } from '../../src/core/spread.js'
import { ConflictRetriesExhausted, type RetryPolicy, type Timing } from '../../src/registry/retry.js'

const OWNER = 'acme'
const REPO = 'widgets'
const BRANCH = 'governance-registry'
const PATH = 'environments/ci/latest/build_timings.csv'
const LOCATION = `github:${OWNER}/${REPO}@${BRANCH}:${PATH}`

class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

type Hook = () => void

/**
 * An in-memory GitHub with one branch and one file, implementing only what GitHubContentsStore calls.
 * PUT is compare-and-swap on the blob sha as on GitHub; hooks run just before a PUT or createRef is
 * handled, to let a racing writer move the branch or to fail the call.
 */
class FakeGitHub {
  head: string | null = null
  file: { text: string; sha: string } | null = null
  /** Over 1 MB GitHub sends no content in the JSON answer; the store must fetch the raw blob. */
  large = false
  calls: string[] = []
  puts: { content: string; sha?: string; message: string; branch: string }[] = []
  trees: { path: string; mode: string; type: string; content: string }[][] = []
  commits: { message: string; tree: string; parents: string[] }[] = []
  beforePut: Hook[] = []
  beforeCreateRef: Hook[] = []
  private n = 0

  private nextSha(prefix: string): string {
    this.n += 1
    return `${prefix}${String(this.n).padStart(40 - prefix.length, '0')}`
  }

  /** Another writer commits `text` to the branch (creating it if needed). */
  writeByOther(text: string): void {
    this.file = { text, sha: this.nextSha('b') }
    this.head = this.nextSha('c')
  }

  readonly client = {
    rest: {
      repos: {
        getContent: async (args: { owner: string; repo: string; path: string; ref: string }) => {
          if (args.path === 'environments/ci/history') {
            // This fake has no history/: the store's look for the newest segment finds none.
            this.calls.push('history')
            throw new FakeHttpError(404, 'Not Found')
          }
          this.calls.push('getContent')
          expect(args).toEqual({ owner: OWNER, repo: REPO, path: PATH, ref: BRANCH })
          if (this.head === null) throw new FakeHttpError(404, `No commit found for the ref ${BRANCH}`)
          if (this.file === null) throw new FakeHttpError(404, 'Not Found')
          const b64 = Buffer.from(this.file.text, 'utf8').toString('base64')
          const size = Buffer.byteLength(this.file.text)
          if (this.large)
            return { data: { type: 'file', sha: this.file.sha, content: '', encoding: 'none', size } }
          // GitHub wraps base64 content at 60 characters.
          return {
            data: {
              type: 'file',
              sha: this.file.sha,
              content: b64.replace(/(.{60})/g, '$1\n'),
              encoding: 'base64',
              size,
            },
          }
        },
        createOrUpdateFileContents: async (args: {
          owner: string
          repo: string
          path: string
          branch: string
          message: string
          content: string
          sha?: string
        }) => {
          this.calls.push('put')
          const content = Buffer.from(args.content, 'base64').toString('utf8')
          this.puts.push({ content, sha: args.sha, message: args.message, branch: args.branch })
          this.beforePut.shift()?.()
          if (this.head === null) throw new FakeHttpError(404, 'Branch not found')
          if (this.file && !args.sha)
            throw new FakeHttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
          if (this.file && args.sha !== this.file.sha) {
            throw new FakeHttpError(409, `${PATH} does not match ${args.sha}`)
          }
          this.file = { text: content, sha: this.nextSha('b') }
          this.head = this.nextSha('c')
          return { data: { commit: { sha: this.head }, content: { sha: this.file.sha } } }
        },
      },
      git: {
        getRef: async (args: { owner: string; repo: string; ref: string }) => {
          this.calls.push('getRef')
          expect(args.ref).toBe(`heads/${BRANCH}`)
          if (this.head === null) throw new FakeHttpError(404, 'Not Found')
          return { data: { ref: `refs/heads/${BRANCH}`, object: { sha: this.head, type: 'commit' } } }
        },
        createTree: async (args: {
          tree: { path: string; mode: string; type: string; content: string }[]
          base_tree?: string
        }) => {
          this.calls.push('createTree')
          expect(args.base_tree).toBeUndefined()
          this.trees.push(args.tree)
          return { data: { sha: this.nextSha('t') } }
        },
        createCommit: async (args: { message: string; tree: string; parents: string[] }) => {
          this.calls.push('createCommit')
          this.commits.push({ message: args.message, tree: args.tree, parents: args.parents })
          return { data: { sha: this.nextSha('c') } }
        },
        createRef: async (args: { ref: string; sha: string }) => {
          this.calls.push('createRef')
          expect(args.ref).toBe(`refs/heads/${BRANCH}`)
          this.beforeCreateRef.shift()?.()
          if (this.head !== null) throw new FakeHttpError(422, 'Reference already exists')
          const tree = this.trees.at(-1)!
          const entry = tree.find((t) => t.path === PATH)!
          this.file = { text: entry.content, sha: this.nextSha('b') }
          this.head = args.sha
          return { data: { ref: args.ref, object: { sha: args.sha } } }
        },
      },
    },
    request: async (route: string, args: { file_sha: string; headers: { accept: string } }) => {
      this.calls.push('request')
      expect(route).toBe('GET /repos/{owner}/{repo}/git/blobs/{file_sha}')
      expect(args.headers.accept).toBe('application/vnd.github.raw')
      if (!this.file || args.file_sha !== this.file.sha) throw new FakeHttpError(404, 'Not Found')
      return { data: this.file.text }
    },
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length
  }
}

class FakeTiming implements Timing {
  t = 1_000_000
  sleeps: number[] = []
  now = (): number => this.t
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.t += ms
  }
  random = (): number => 0.5
}

const POLICY: RetryPolicy = { maxAttempts: 5, maxTotalMs: 60_000, baseMs: 100, capMs: 1_000 }

/** A store over a fresh fake GitHub, with `extra` options given the fake's clock (deadline, spread…). */
function storeOver(extra: (timing: FakeTiming) => Partial<GitHubStoreOptions> = () => ({})) {
  const gh = new FakeGitHub()
  const timing = new FakeTiming()
  const store = new GitHubContentsStore({
    client: gh.client as unknown as GitHubClient,
    owner: OWNER,
    repo: REPO,
    branch: BRANCH,
    pathTemplate: 'environments/{env}/latest/build_timings.csv',
    retry: POLICY,
    timing,
    ...extra(timing),
  })
  return { gh, timing, store }
}

function setup(policy: RetryPolicy = POLICY) {
  return storeOver(() => ({ retry: policy }))
}

const event = (phase: string, jobId: string): TimingEvent => ({
  source: 'github',
  phase,
  env: 'ci',
  buildId: '77',
  start: new Date('2026-01-24T10:00:00Z'),
  end: new Date('2026-01-24T10:01:30Z'),
  exitCode: 0,
  status: 'success',
  repository: 'acme/widgets',
  runId: '77',
  runAttempt: '1',
  jobId,
})
const csvLine = (r: Row): string => Object.values(r).join(',')
const A = buildRow(event('lint', '1'))
const B = buildRow(event('build', '2'))
const C = buildRow(event('test', '3'))
const MSG = 'build-timings: lint ci success 90s [skip ci]'
const fileWith = (...rows: Row[]): string => `${HEADER_LINE}\n${rows.map((r) => `${csvLine(r)}\n`).join('')}`

describe('GitHubContentsStore.append', () => {
  test('appends to an existing file with one PUT carrying the blob sha', async () => {
    const { gh, store, timing } = setup()
    gh.writeByOther(fileWith(B))
    const sha = gh.file!.sha
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.puts).toEqual([{ content: fileWith(B, A), sha, message: MSG, branch: BRANCH }])
    expect(outcome).toEqual({
      location: LOCATION,
      appended: [A],
      duplicates: [],
      droppedColumns: [],
      commit: gh.head,
    })
    expect(timing.sleeps).toEqual([])
  })

  test('an env that would leave the registry folder is refused before any request', async () => {
    const { gh, store } = setup()
    await expect(store.append('../x', [A], MSG)).rejects.toThrow(/registry-path/)
    expect(gh.calls).toEqual([])
  })

  test('a row already present → no write', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(A, B))
    const before = gh.file
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.count('put')).toBe(0)
    expect(gh.file).toBe(before)
    expect(outcome).toEqual({
      location: LOCATION,
      appended: [],
      duplicates: [A],
      droppedColumns: [],
      commit: null,
    })
  })

  test.each<[string, () => FakeHttpError]>([
    ['409', () => new FakeHttpError(409, `${PATH} does not match`)],
    [
      '422 "is at X but expected Y"',
      () =>
        new FakeHttpError(
          422,
          `Update is not a fast forward: refs/heads/${BRANCH} is at 3c8b1f0e but expected 5f2e9a7d`,
        ),
    ],
    [
      '422 "is at X but expected Y" (full shas)',
      () =>
        new FakeHttpError(
          422,
          `Reference cannot be updated: refs/heads/${BRANCH} is at ${'a'.repeat(40)} but expected ${'b'.repeat(40)}`,
        ),
    ],
  ])('a conflict (%s) is retried after a backoff', async (_name, makeError) => {
    const { gh, store, timing } = setup()
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => {
      throw makeError()
    })
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.count('put')).toBe(2)
    expect(gh.count('getContent')).toBe(2)
    expect(timing.sleeps).toHaveLength(1)
    expect(gh.file!.text).toBe(fileWith(B, A))
    expect(outcome.commit).toBe(gh.head)
  })

  test('conflict (409) then success re-reads and merges the racing writer’s row', async () => {
    const { gh, store, timing } = setup()
    gh.writeByOther(fileWith(B))
    // Between our read and our PUT another job appends C: our PUT's sha is stale and gets a real 409.
    gh.beforePut.push(() => gh.writeByOther(fileWith(B, C)))
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.puts.map((p) => p.content)).toEqual([fileWith(B, A), fileWith(B, C, A)])
    expect(gh.file!.text).toBe(fileWith(B, C, A))
    expect(outcome.appended).toEqual([A])
    expect(timing.sleeps).toEqual([125]) // attempt 1: min(1000, 100·2) · (0.25 + 0.75·0.5)
  })

  test('a racing writer that already recorded our row makes the retry a no-op', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => gh.writeByOther(fileWith(B, A)))
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.count('put')).toBe(1)
    expect(gh.file!.text).toBe(fileWith(B, A))
    expect(outcome).toMatchObject({ appended: [], duplicates: [A], commit: null })
  })

  test("refused for the minute's writes while another writer recorded our row: nothing lost, nothing to keep", async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => {
      gh.writeByOther(fileWith(B, A))
      throw new FakeHttpError(403, 'You have exceeded a secondary rate limit')
    })
    const outcome = await store.append('ci', [A], MSG)
    expect(outcome).toMatchObject({ appended: [], duplicates: [A], commit: null, writtenByAnother: true })
  })

  test("refused for the minute's writes with the row not written: the refusal stands", async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => {
      throw new FakeHttpError(403, 'You have exceeded a secondary rate limit')
    })
    await expect(store.append('ci', [A], MSG)).rejects.toMatchObject({ status: 403 })
    expect(gh.file!.text).toBe(fileWith(B))
  })

  test('a file created by a racer between read and PUT (422 "sha" wasn\'t supplied) is a conflict', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    gh.file = null // branch exists, file does not
    gh.beforePut.push(() => gh.writeByOther(fileWith(C)))
    await store.append('ci', [A], MSG)
    expect(gh.puts.map((p) => p.sha)).toEqual([undefined, expect.any(String)])
    expect(gh.file!.text).toBe(fileWith(C, A))
  })

  test('a missing file on an existing branch is created with the header', async () => {
    const { gh, store } = setup()
    gh.writeByOther('')
    gh.file = null
    await store.append('ci', [A], MSG)
    expect(gh.calls).toEqual(['getContent', 'getRef', 'put'])
    expect(gh.puts[0]!.sha).toBeUndefined()
    expect(gh.file!.text).toBe(fileWith(A))
  })

  test.each([
    ['No commit found for the ref', ['getContent', 'createTree', 'createCommit', 'createRef']],
    ['Not Found', ['getContent', 'getRef', 'createTree', 'createCommit', 'createRef']],
  ])(
    'a missing branch (404 "%s") becomes an orphan holding only the registry file',
    async (message, calls) => {
      const { gh, store } = setup()
      gh.client.rest.repos.getContent = async () => {
        gh.calls.push('getContent')
        throw new FakeHttpError(404, message)
      }
      const outcome = await store.append('ci', [A], MSG)
      expect(gh.calls).toEqual(calls)
      expect(gh.trees).toEqual([[{ path: PATH, mode: '100644', type: 'blob', content: fileWith(A) }]])
      expect(gh.commits).toEqual([{ message: MSG, tree: expect.any(String), parents: [] }])
      expect(outcome).toEqual({
        location: LOCATION,
        appended: [A],
        duplicates: [],
        droppedColumns: [],
        commit: gh.head,
      })
      expect(gh.file!.text).toBe(fileWith(A))
    },
  )

  test('a racing "Reference already exists" → re-read and append', async () => {
    const { gh, store, timing } = setup()
    gh.beforeCreateRef.push(() => gh.writeByOther(fileWith(B)))
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.calls).toEqual([
      'getContent',
      'createTree',
      'createCommit',
      'createRef',
      'getContent',
      'history',
      'put',
    ])
    expect(gh.file!.text).toBe(fileWith(B, A))
    expect(outcome.commit).toBe(gh.head)
    expect(timing.sleeps).toHaveLength(1)
  })

  test('a branch deleted between read and PUT (404) starts over with an orphan', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => {
      gh.head = null
      gh.file = null
    })
    await store.append('ci', [A], MSG)
    expect(gh.calls).toEqual([
      'getContent',
      'history',
      'put',
      'getContent',
      'createTree',
      'createCommit',
      'createRef',
    ])
    expect(gh.file!.text).toBe(fileWith(A))
  })

  test('exhausted retries throw ConflictRetriesExhausted after maxAttempts PUTs', async () => {
    const { gh, store, timing } = setup()
    gh.writeByOther(fileWith(B))
    for (let i = 0; i < 10; i++) gh.beforePut.push(() => gh.writeByOther(fileWith(B, C)))
    const call = store.append('ci', [A], MSG)
    await expect(call).rejects.toBeInstanceOf(ConflictRetriesExhausted)
    await expect(call).rejects.toThrow(/gave up after 5 attempts/)
    expect(gh.count('put')).toBe(5)
    expect(timing.sleeps).toEqual([125, 250, 500, 625])
    expect(gh.file!.text).toBe(fileWith(B, C))
  })

  test('exhausted time budget throws even with attempts left', async () => {
    const { gh, store, timing } = setup({ maxAttempts: 100, maxTotalMs: 800, baseMs: 100, capMs: 1_000 })
    gh.writeByOther(fileWith(B))
    gh.beforePut = Array.from({ length: 100 }, () => () => {
      throw new FakeHttpError(409, 'conflict')
    })
    await expect(store.append('ci', [A], MSG)).rejects.toBeInstanceOf(ConflictRetriesExhausted)
    // 125 + 250 + 500 ms: the clock passes 800 ms after the 3rd wait, so the 4th attempt is the last.
    expect(timing.sleeps).toEqual([125, 250, 500])
    expect(gh.count('put')).toBe(4)
  })

  test.each<[string, FakeHttpError]>([
    ['422 validation failure', new FakeHttpError(422, 'Invalid request. Invalid property /content')],
    ['403 read-only token', new FakeHttpError(403, 'Resource not accessible by integration')],
    ['500 server error', new FakeHttpError(500, 'Internal Server Error')],
  ])('%s is not retried', async (_name, error) => {
    const { gh, store, timing } = setup()
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => {
      throw error
    })
    await expect(store.append('ci', [A], MSG)).rejects.toBe(error)
    expect(gh.count('put')).toBe(1)
    expect(timing.sleeps).toEqual([])
  })

  test('a 422 other than "already exists" on createRef is not retried', async () => {
    const { gh, store } = setup()
    const error = new FakeHttpError(422, 'Reference update failed')
    gh.beforeCreateRef.push(() => {
      throw error
    })
    await expect(store.append('ci', [A], MSG)).rejects.toBe(error)
    expect(gh.count('createRef')).toBe(1)
  })

  test('an unparsable registry file is never rewritten', async () => {
    const { gh, store } = setup()
    gh.writeByOther(`${HEADER_LINE}\n"unterminated,\n`)
    await expect(store.append('ci', [A], MSG)).rejects.toBeInstanceOf(RegistryParseError)
    await expect(store.append('ci', [A], MSG)).rejects.toThrow(LOCATION)
    expect(gh.count('put')).toBe(0)
  })

  test('a legacy file is appended in its own shape', async () => {
    const { gh, store } = setup()
    const legacy =
      'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,log_path\n'
    gh.writeByOther(legacy)
    const outcome = await store.append('ci', [A], MSG)
    expect(gh.file!.text).toBe(`${legacy}2026-01-24T10:00:00Z,2026-01-24T10:01:30Z,lint,ci,77,90,0,,\n`)
    expect(outcome.droppedColumns).toContain('row_id')
  })

  test('a file over 1 MB is read as a raw blob', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    gh.large = true
    await store.append('ci', [A], MSG)
    expect(gh.calls).toEqual(['getContent', 'request', 'history', 'put'])
    expect(gh.file!.text).toBe(fileWith(B, A))
  })
})

/** The calls on latest/ (a young latest/ also lists history/ on each append: that is rotation's cost). */
const contentCalls = (gh: FakeGitHub): string[] => gh.calls.filter((c) => c !== 'history')

describe('GitHubContentsStore write economy', () => {
  test('one read feeds the trend and the merge: the append goes out on it with no second read', async () => {
    const { gh, store, timing } = setup()
    gh.writeByOther(fileWith(B))
    expect((await store.read('ci', { phase: 'build' })).rows).toHaveLength(1)
    await store.append('ci', [A], MSG)
    expect(contentCalls(gh)).toEqual(['getContent', 'put'])
    expect(timing.sleeps).toEqual([])
  })

  test('after its write the store knows the file: a later read costs nothing, a fresh one asks again', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    await store.append('ci', [A], MSG)
    const after = await store.read('ci')
    expect(after.rows.map((r) => r.row_id)).toEqual([B.row_id, A.row_id])
    expect(after.version).toBe(gh.file!.sha)
    expect(contentCalls(gh)).toEqual(['getContent', 'put'])
    gh.writeByOther(fileWith(B, A, C))
    expect((await store.read('ci', { fresh: true })).rows).toHaveLength(3)
    expect(contentCalls(gh)).toEqual(['getContent', 'put', 'getContent'])
    // The next append merges into what was just read; its sha is current, so one PUT.
    await store.append('ci', [buildRow(event('e2e', '4'))], MSG)
    expect(contentCalls(gh).slice(3)).toEqual(['put'])
  })

  test('a stale read is a conflict like any other: re-read, merge, PUT', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    gh.writeByOther(fileWith(B, C))
    await store.append('ci', [A], MSG)
    expect(contentCalls(gh)).toEqual(['getContent', 'put', 'getContent', 'put'])
    expect(gh.file!.text).toBe(fileWith(B, C, A))
  })

  test('no time left for another write after the deadline: the append gives up at once', async () => {
    const { gh, timing, store } = storeOver((t) => ({ deadline: new Deadline(t.t, t.now) }))
    gh.writeByOther(fileWith(B))
    gh.beforePut.push(() => gh.writeByOther(fileWith(B, C)))
    await expect(store.append('ci', [A], MSG)).rejects.toBeInstanceOf(DeadlinePassed)
    expect(gh.count('put')).toBe(1)
    expect(timing.sleeps).toEqual([])
  })
})

describe('GitHubContentsStore.read', () => {
  test('returns the rows and the blob sha as version', async () => {
    const { gh, store } = setup()
    gh.writeByOther(fileWith(A, B))
    const read = await store.read('ci')
    expect(read.location).toBe(LOCATION)
    expect(read.header).toEqual(HEADER_LINE.split(','))
    expect(read.rows).toEqual([A, B])
    expect(read.version).toBe(gh.file!.sha)
  })

  test('a missing branch reads as empty', async () => {
    const { store } = setup()
    await expect(store.read('ci')).resolves.toEqual({
      location: LOCATION,
      header: null,
      rows: [],
      version: null,
    })
  })

  test('a non-UTF-8-safe multibyte cell survives base64 line wrapping', async () => {
    const { gh, store } = setup()
    const r = { ...A, flags: 'déploiement — ✓ 日本語'.repeat(5), row_id: 'x' }
    gh.writeByOther(fileWith(r))
    expect((await store.read('ci')).rows).toEqual([r])
  })
})

describe('GitHubContentsStore turns among the writers of a run', () => {
  /** This writer (row C) is second: writer A is ahead of it until A's row is in latest/. */
  function turns(deadlineMs?: number, share?: RowShare) {
    return storeOver((timing) => ({
      ...(deadlineMs !== undefined ? { deadline: new Deadline(timing.t + deadlineMs, timing.now) } : {}),
      spread: {
        contention: (text) =>
          text.includes(A.row_id as string) ? { position: 0, writers: 1 } : { position: 1, writers: 2 },
        ...(share ? { share } : {}),
      },
    }))
  }

  /** Another writer commits `text` once this writer has slept `looks` times (it watches in between). */
  function landsAfter(timing: FakeTiming, gh: FakeGitHub, looks: number, text: string): void {
    const sleep = timing.sleep
    timing.sleep = async (ms) => {
      await sleep(ms)
      if (timing.sleeps.length === looks) gh.writeByOther(text)
    }
  }

  /** A share that records the offers and gives `behind` at the turn. */
  function sharing(behind: Row[] = []) {
    const offers: Row[][] = []
    const gathers: string[] = []
    const share: RowShare = {
      offer: async (_env, rows) => {
        offers.push([...rows])
      },
      gather: async (_env, text) => {
        gathers.push(text)
        return behind
      },
    }
    return { share, offers, gathers }
  }

  test('a waiting writer offers its rows; when its turn comes the rows offered behind it go in its one commit', async () => {
    const D = buildRow(event('package', '4'))
    const shared = sharing([D])
    const { gh, timing, store } = turns(undefined, shared.share)
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    landsAfter(timing, gh, 2, fileWith(B, A))
    const outcome = await store.append('ci', [C], MSG)
    expect(shared.offers).toEqual([[C]])
    // Gathered once, at the turn, on latest/ as it then was (the writer ahead landed).
    expect(shared.gathers).toEqual([fileWith(B, A)])
    expect(gh.puts).toHaveLength(1)
    expect(gh.file!.text).toBe(fileWith(B, A, C, D))
    expect(gh.puts[0]?.message).toBe('build-timings: 2 rows ci [skip ci]')
    expect(outcome.appended.map((r) => r.row_id)).toEqual([C.row_id, D.row_id])
    expect(outcome.writtenByAnother).toBeFalsy()
  })

  test('a writer whose offered row another writer committed writes nothing and says so', async () => {
    const shared = sharing()
    const { gh, timing, store } = turns(undefined, shared.share)
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    // The writer whose turn came wrote its own row and ours, still ahead of us by the contention.
    landsAfter(timing, gh, 1, fileWith(B, C))
    const outcome = await store.append('ci', [C], MSG)
    expect(gh.puts).toHaveLength(0)
    expect(shared.gathers).toEqual([])
    expect(outcome).toMatchObject({ commit: null, appended: [], writtenByAnother: true })
    expect(outcome.duplicates.map((r) => r.row_id)).toEqual([C.row_id])
    // Offered writers look every quarter second or so, whatever their place.
    expect(timing.sleeps[0]).toBeLessThanOrEqual(320)
  })

  test('an offer that fails leaves the writer to write its own row in its turn', async () => {
    const shared = sharing()
    shared.share.offer = async () => {
      throw new Error('cache service down')
    }
    const { gh, timing, store } = turns(undefined, shared.share)
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    landsAfter(timing, gh, 2, fileWith(B, A))
    await store.append('ci', [C], MSG)
    expect(gh.file!.text).toBe(fileWith(B, A, C))
  })

  test('the first writer has nobody ahead: no offer, no gather, one PUT', async () => {
    const shared = sharing([buildRow(event('package', '4'))])
    const { gh, store } = turns(undefined, shared.share)
    gh.writeByOther(fileWith(B, A))
    await store.read('ci')
    await store.append('ci', [C], MSG)
    expect(shared.offers).toEqual([])
    expect(shared.gathers).toEqual([])
    expect(gh.file!.text).toBe(fileWith(B, A, C))
  })

  test('waits by re-reading until the writer ahead has landed, then writes once without a conflict', async () => {
    const { gh, timing, store } = turns()
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    landsAfter(timing, gh, 2, fileWith(B, A))
    await store.append('ci', [C], MSG)
    expect(gh.puts).toHaveLength(1)
    expect(gh.file!.text).toBe(fileWith(B, A, C))
    expect(contentCalls(gh)).toEqual(['getContent', 'getContent', 'getContent', 'put'])
  })

  test('a writer ahead that lands nothing is not waited for past the patience', async () => {
    const { gh, timing, store } = turns()
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    await store.append('ci', [C], MSG)
    expect(gh.puts).toHaveLength(1)
    const waited = timing.sleeps.reduce((a, b) => a + b, 0)
    expect(waited).toBeGreaterThan(2_000)
    expect(waited).toBeLessThan(4_000)
  })

  /** Ahead of this writer (row C): an idle job X that never lands, then writer A until A's row is in. */
  function behindIdle() {
    return storeOver(() => ({
      spread: {
        // Job 1 is X, job 2 is A, job 3 this writer.
        contention: (text) =>
          contentionAmong({ self: 3, ids: [1, 2, 3] }, (id) => id === 2 && text.includes(A.row_id as string)),
      },
    }))
  }

  test('an idle writer ahead is passed over alone: the writer between goes first, this one after it', async () => {
    const { gh, timing, store } = behindIdle()
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    const start = timing.t
    // A passes the idle writer a little earlier (it started first) and writes: its row lands before this
    // writer's own patience is out, and shows that X was passed over.
    const sleep = timing.sleep
    timing.sleep = async (ms) => {
      await sleep(ms)
      if (timing.t - start > 2_000 && !gh.file!.text.includes(A.row_id as string))
        gh.writeByOther(fileWith(B, A))
    }
    await store.append('ci', [C], MSG)
    expect(gh.puts).toHaveLength(1)
    expect(gh.file!.text).toBe(fileWith(B, A, C))
    // Not before A had its turn, and no patience of its own for the idle writer.
    expect(timing.t - start).toBeGreaterThan(1_800)
    expect(timing.t - start).toBeLessThan(2_500)
  })

  test('idle writers ahead are passed over one after another, the later ones with half the patience', async () => {
    const { gh, timing, store } = behindIdle()
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    const start = timing.t
    await store.append('ci', [C], MSG)
    expect(gh.puts).toHaveLength(1)
    expect(gh.file!.text).toBe(fileWith(B, C))
    const waited = timing.t - start
    expect(waited).toBeGreaterThan(3_000)
    expect(waited).toBeLessThan(4_500)
  })

  test('a turn that cannot come before the deadline keeps the row: no write out of turn', async () => {
    const { gh, store } = turns(1_000)
    gh.writeByOther(fileWith(B))
    await store.read('ci')
    await expect(store.append('ci', [C], MSG)).rejects.toBeInstanceOf(DeadlinePassed)
    expect(gh.puts).toHaveLength(0)
  })
})
