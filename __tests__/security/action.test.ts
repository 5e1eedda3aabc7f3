/**
 * Hostile inputs through the committed action bundles (pre, main, post) against the local GitHub server:
 * what reaches the registry, the log, the job summary and the PR comment. Run `npm run bundle` first.
 */
import { parse } from 'csv-parse/sync'
import { FakeGitHub } from '../support/github-server.js'
import { SimulatedJob, type JobOptions } from '../support/action-runner.js'

const TOKEN = ['ghs', '_', 'H0st1leInputT3stT0ken0123456789abcdef'].join('')
const GHP = ['ghp', '_', 'L3akedUserT0ken0123456789abcdefghij'].join('')
const REGISTRY = 'governance-registry'
const CI_FILE = 'environments/ci/latest/build_timings.csv'
const WJ = '\u2060'

let server: FakeGitHub
const jobs: SimulatedJob[] = []
beforeEach(async () => {
  server = await FakeGitHub.start()
  server.addToken(TOKEN, { contents: 'write', pullRequests: 'write', issues: 'write', actions: 'read' })
})
afterEach(async () => {
  for (const j of jobs.splice(0)) j.cleanup()
  await server.close()
})

function job(opts: Partial<JobOptions>): SimulatedJob {
  const j = new SimulatedJob({ apiUrl: server.url, token: TOKEN, ...opts })
  jobs.push(j)
  return j
}

const prEvent = (number: number) => ({
  name: 'pull_request',
  payload: {
    number,
    pull_request: { number, head: { sha: 'b'.repeat(40), repo: { full_name: 'acme/widgets', fork: false } } },
  },
})

describe('the action with hostile names, matrix values and flags', () => {
  test('registry, log, summary and comment carry no secret, markup, mention, link or escape', async () => {
    server.addPullRequest({ number: 9, head_sha: 'b'.repeat(40) })
    const j = job({
      event: prEvent(9),
      job: 'test',
      matrix: { os: '@octocat <img src=x onerror=alert(1)>', node: '[x](https://evil.example) #1 \u001b[2J' },
      with: {
        flags: `--password hunter2 DB_PASS=hunter2 https://${GHP}@github.com Authorization: Basic aHVudGVyMg==`,
      },
    })
    expect((await j.run('pre')).code).toBe(0)
    expect((await j.run('main')).code).toBe(0)
    const post = await j.run('post')
    expect(post.code).toBe(0)

    const csv = (await server.readFile(REGISTRY, CI_FILE)) ?? ''
    const [row] = parse(csv, { columns: true }) as Record<string, string>[]
    expect(row?.phase).toContain('test (')
    const comment = server.comments(9)[0]?.body ?? ''
    expect(comment).toContain('<!-- build-timings:')

    for (const [where, text] of Object.entries({
      csv,
      stdout: post.stdout,
      summary: post.summary,
      comment,
    })) {
      expect({ where, leak: /hunter2|aHVudGVyMg|L3akedUserT0ken/.test(text) }).toEqual({ where, leak: false })
      expect({ where, token: text.replace(/^::add-mask::.*$/gm, '').includes(TOKEN) }).toEqual({
        where,
        token: false,
      })
      // eslint-disable-next-line no-control-regex -- no escape may be stored or shown
      expect({ where, escape: /\u001b/.test(text) }).toEqual({ where, escape: false })
    }
    for (const [where, text] of Object.entries({ summary: post.summary, comment })) {
      const rendered = text.replace(/^(`{3,})\w*\n[\s\S]*?\n\1$/gm, '').replace(/^<!--.*-->$/m, '')
      expect({ where, html: /<img|<script/i.test(rendered) }).toEqual({ where, html: false })
      expect({ where, mention: /@octocat/.test(rendered) }).toEqual({ where, mention: false })
      expect({ where, link: /(?<!\\)\]\(/.test(rendered) }).toEqual({ where, link: false })
      expect({ where, ref: /#1\b/.test(rendered) }).toEqual({ where, ref: false })
    }
    expect(comment).toContain(`@${WJ}octocat`)
  }, 120_000)

  test('a malformed budgets file is reported once per job, by post', async () => {
    const j = job({ files: { '.github/build-budgets.yml': 'phases:\n  build: { target: 1m, max: soon }\n' } })
    const stages = [await j.run('pre'), await j.run('main'), await j.run('post')]
    const warnings = stages.flatMap((s) =>
      s.commands.filter((c) => c.kind === 'warning' && /budgets/.test(c.message)),
    )
    expect(warnings).toHaveLength(1)
    expect(stages[2]?.commands).toContainEqual({ kind: 'warning', message: warnings[0]?.message })
    expect(warnings[0]?.message).toMatch(/\.github\/build-budgets\.yml:2:\d+/)
  }, 120_000)

  test('a GITHUB_API_URL with credentials in it is never echoed, and the job goes on', async () => {
    const withCredentials = server.url.replace('://', '://admin:pa@ss-w0rd-9@')
    const j = job({ apiUrl: withCredentials })
    await j.run('pre')
    const post = await j.run('post')
    expect(post.code).toBe(0)
    expect(post.commands.filter((c) => c.kind === 'warning').length).toBeGreaterThanOrEqual(1)
    expect(`${post.stdout}${post.stderr}${post.summary}`).not.toMatch(/pa@ss|ss-w0rd-9|admin:/)
  }, 120_000)
})
