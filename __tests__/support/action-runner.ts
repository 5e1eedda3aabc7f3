/**
 * Runs the committed action bundles (dist/pre, dist/main, dist/post) the way the GitHub runner does:
 * inputs as INPUT_* (action.yml defaults evaluated per stage, so `${{ job.status }}` is re-evaluated for
 * post), GITHUB_STATE written by a stage and handed to later stages as STATE_*, GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and the event payload file.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import { MACHINE_NODE } from './runtimes.js'

// import.meta.dirname is not provided by jest 29's ESM runtime.
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
export { NODE24 } from './runtimes.js'

interface ActionYaml {
  inputs: Record<string, { default?: string }>
}
const actionYaml = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml

export interface StageResult {
  code: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Workflow commands the stage printed (`::warning::…`), by kind. */
  commands: { kind: string; message: string }[]
}

export interface JobOptions {
  apiUrl: string
  token: string
  repository?: string
  runId?: number
  runAttempt?: number
  job?: string
  jobId?: number | null
  matrix?: Record<string, unknown> | null
  with?: Record<string, string>
  event?: { name: string; payload: unknown }
  actor?: string
  /** The node binary that runs the bundles (default: the machine's own node, Node 20 here). */
  node?: string
  /** Files to create in the workspace, e.g. the budgets file. */
  files?: Record<string, string>
  extraEnv?: Record<string, string>
}

/** `name<<delimiter\nvalue\ndelimiter` records of GITHUB_STATE and GITHUB_OUTPUT. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (m) {
      const [, name, delimiter] = m
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '')
      out[name as string] = value.join('\n')
    } else if (lines[i]?.includes('=')) {
      const line = lines[i] as string
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

export class SimulatedJob {
  readonly dir: string
  readonly workspace: string
  readonly state: Record<string, string> = {}
  readonly opts: Required<Pick<JobOptions, 'repository' | 'runId' | 'runAttempt' | 'job'>> & JobOptions
  private stepCount = 0

  constructor(opts: JobOptions) {
    this.opts = { repository: 'acme/widgets', runId: 1001, runAttempt: 1, job: 'build', ...opts }
    this.dir = mkdtempSync(join(tmpdir(), 'bt-job-'))
    this.workspace = join(this.dir, 'workspace')
    mkdirSync(this.workspace, { recursive: true })
    mkdirSync(join(this.dir, 'temp'), { recursive: true })
    for (const [path, content] of Object.entries(opts.files ?? {})) {
      mkdirSync(join(this.workspace, path, '..'), { recursive: true })
      writeFileSync(join(this.workspace, path), content)
    }
    const event = opts.event ?? { name: 'push', payload: {} }
    writeFileSync(join(this.dir, 'event.json'), JSON.stringify(event.payload))
  }

  /** `${{ … }}` in an input default, from a small runner context. */
  private evaluate(expr: string, jobStatus: string): string {
    const o = this.opts
    return expr.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, e: string) => {
      switch (e) {
        case 'github.token':
          return o.token
        case 'github.job':
          return o.job
        case 'github.run_id':
          return String(o.runId)
        case 'github.repository':
          return o.repository
        case 'toJSON(matrix)':
          return o.matrix ? JSON.stringify(o.matrix, null, 2) : 'null'
        case 'job.status':
          return jobStatus
        case 'job.check_run_id':
          return o.jobId === null || o.jobId === undefined ? '' : String(o.jobId)
        default:
          throw new Error(`the simulated runner cannot evaluate \${{ ${e} }}`)
      }
    })
  }

  env(jobStatus: string): Record<string, string> {
    const o = this.opts
    const n = ++this.stepCount
    const files = {
      GITHUB_STATE: join(this.dir, `state-${n}`),
      GITHUB_OUTPUT: join(this.dir, `output-${n}`),
      GITHUB_STEP_SUMMARY: join(this.dir, `summary-${n}`),
    }
    for (const f of Object.values(files)) writeFileSync(f, '')
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.dir,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: o.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: o.repository,
      GITHUB_REPOSITORY_OWNER: o.repository.split('/')[0] as string,
      GITHUB_RUN_ID: String(o.runId),
      GITHUB_RUN_ATTEMPT: String(o.runAttempt),
      GITHUB_JOB: o.job,
      GITHUB_WORKFLOW: 'CI',
      GITHUB_EVENT_NAME: o.event?.name ?? 'push',
      GITHUB_EVENT_PATH: join(this.dir, 'event.json'),
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_ACTOR: o.actor ?? 'octocat',
      GITHUB_WORKSPACE: this.workspace,
      RUNNER_TEMP: join(this.dir, 'temp'),
      RUNNER_NAME: 'GitHub Actions 7',
      RUNNER_OS: 'Linux',
      ...files,
      ...o.extraEnv,
    }
    for (const [name, spec] of Object.entries(actionYaml.inputs)) {
      const given = o.with?.[name]
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] =
        given ?? this.evaluate(spec.default ?? '', jobStatus)
    }
    for (const [name, value] of Object.entries(this.state)) env[`STATE_${name}`] = value
    return env
  }

  async run(stage: 'pre' | 'main' | 'post', jobStatus = 'success'): Promise<StageResult> {
    const env = this.env(jobStatus)
    const node = this.opts.node ?? MACHINE_NODE
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      execFile(
        node,
        [join(ROOT, 'dist', stage, 'index.js')],
        { env, cwd: this.workspace, timeout: 240_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0
          done({ code, stdout, stderr })
        },
      )
    })
    Object.assign(this.state, parseFileCommands(readFileSync(env.GITHUB_STATE as string, 'utf8')))
    const commands = [
      ...result.stdout.matchAll(/^::(warning|error|notice|debug|add-mask)[^:]*::(.*)$/gm),
    ].map((m) => ({
      kind: m[1] as string,
      message: m[2] as string,
    }))
    return {
      ...result,
      outputs: parseFileCommands(readFileSync(env.GITHUB_OUTPUT as string, 'utf8')),
      summary: existsSync(env.GITHUB_STEP_SUMMARY as string)
        ? readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8')
        : '',
      commands,
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
