import { parseDuration } from '../core/duration.js'
import { DEFAULT_TELEMETRY_WAIT_SECONDS, telemetryConfig, type TelemetryConfig } from '../core/telemetry.js'
import { budgetsFromText } from '../app/budgets-file.js'
import { NO_BUDGETS, type Budgets, type FailOn } from '../core/budgets.js'
import type { CacheEntry } from '../core/cache.js'
import { canonicalEnv, registryPath } from '../core/env.js'
import { errorMessage } from '../core/errors.js'
import type { Status } from '../core/schema.js'
import {
  apiUrlOf,
  DEFAULTS,
  isBranchName,
  isHttpUrl,
  parseBool,
  parseComment,
  parseFailOn,
} from '../core/config.js'
import { parseCacheHitsSetting, pluginSettings, SETTING } from './settings.js'

export type Platform = 'drone' | 'woodpecker'

/** The pipeline this step runs in, as Drone or Woodpecker describe it. */
export interface CiContext {
  platform: Platform
  /** `owner/name`; empty when the environment does not say. */
  repo: string
  owner: string
  name: string
  /** Drone build number / Woodpecker pipeline number: the row_id's build part. */
  buildNumber: string
  /** Drone stage number / Woodpecker workflow number: the row_id's job part. */
  stageNumber: string
  /** Drone stage (pipeline) name / Woodpecker workflow name. */
  stageName: string
  start: Date | null
  /** Which variable the start came from, for the log. */
  startFrom: string | null
  status: Status
  statusFrom: string
  failedSteps: string[]
  sha: string
  ref: string
  event: string
  /** From the environment only; the plugin may still find it by commit. */
  pullRequest: number | null
  runner: string
  /** Seconds between creation and start where the environment says (Woodpecker). */
  queueSeconds: number | null
  workspace: string
  /** `https://drone.example.com` (Drone only), for the API. */
  server: string
  buildLink: string
  cardPath: string
}

export interface PluginSettings {
  githubToken: string
  droneToken: string
  phase: string
  /** Canonical env name. */
  env: string
  buildId: string
  flags: string
  registryOwner: string
  registryRepo: string
  registryBranch: string
  registryPath: string
  budgets: Budgets
  /** Where the budgets came from, for messages: a file path or `budgets setting`. */
  budgetsFrom: string
  cacheEntries: CacheEntry[]
  comment: 'auto' | 'off'
  failOn: FailOn
  githubApiUrl: string
  dryRun: boolean
  /** `export` and `alert_webhook` (docs/export.md). */
  telemetry: TelemetryConfig
  /** `max_wait` in seconds: the most time the exports may take. */
  maxWaitSeconds: number
}

/**
 * A setting that could not be used. `blocking` ones make the step record nothing (its configuration cannot
 * be trusted to name the right registry); the others are reported and the run goes on.
 */
export interface SettingProblem {
  setting: string
  message: string
  blocking: boolean
}

export interface PluginContext {
  ci: CiContext
  settings: PluginSettings
  problems: SettingProblem[]
  /** Notes to show (a budgets file that was named but missing); not problems. */
  notes: string[]
}

/** Reads a file; null when it does not exist. */
export type ReadFile = (path: string) => string | null

export interface ContextOptions {
  /** The Kubernetes runner's live variables (docs/architecture.md "Drone and Woodpecker"). */
  runEnvPath?: string
  cwd?: string
}

export const RUN_ENV_PATH = '/run/drone/env'

/** `KEY=VALUE` lines (optionally `export`ed or quoted), as the Kubernetes runner writes /run/drone/env. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (!m) continue
    let value = m[2] as string
    if (
      value.length >= 2 &&
      ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))
    ) {
      value = value.slice(1, -1)
    }
    out[m[1] as string] = value
  }
  return out
}

function unixSeconds(value: string | undefined): Date | null {
  const v = (value ?? '').trim()
  if (!/^\d+$/.test(v)) return null
  const n = Number(v)
  return n > 0 ? new Date(n * 1000) : null
}

export function mapStatus(value: string | undefined): Status | null {
  switch ((value ?? '').trim().toLowerCase()) {
    case 'success':
    case 'passing':
      return 'success'
    case 'failure':
    case 'failed':
    case 'error':
    case 'errored':
      return 'failure'
    case 'killed':
    case 'cancelled':
    case 'canceled':
      return 'cancelled'
    case 'skipped':
      return 'skipped'
    default:
      return null
  }
}

const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)

function positiveInt(value: string | undefined): number | null {
  const v = (value ?? '').trim()
  return /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : null
}

function joinPath(dir: string, file: string): string {
  if (file.startsWith('/') || !dir) return file
  return `${dir.replace(/\/+$/, '')}/${file}`
}

type Env = Readonly<Record<string, string | undefined>>

function readCi(env: Env): CiContext {
  const platform: Platform = (env.CI ?? '').trim().toLowerCase() === 'woodpecker' ? 'woodpecker' : 'drone'
  return platform === 'woodpecker' ? readWoodpecker(env) : readDrone(env)
}

function readWoodpecker(env: Env): CiContext {
  const get = (name: string): string => (env[name] ?? '').trim()
  const platform = 'woodpecker'
  const owner = get('CI_REPO_OWNER')
  const name = get('CI_REPO_NAME')
  const repo = get('CI_REPO') || (owner && name ? `${owner}/${name}` : '')
  const start = unixSeconds(env.CI_PIPELINE_STARTED)
  const created = unixSeconds(env.CI_PIPELINE_CREATED)
  // Woodpecker's Drone compatibility layer hard-codes DRONE_BUILD_STATUS=success (docs/architecture.md "Drone
  // and Woodpecker"): never read it here.
  const status = mapStatus(env.CI_PIPELINE_STATUS)
  return {
    platform,
    repo,
    owner: owner || repo.split('/')[0] || '',
    name: name || repo.split('/').slice(1).join('/'),
    buildNumber: get('CI_PIPELINE_NUMBER'),
    stageNumber: get('CI_WORKFLOW_NUMBER'),
    stageName: get('CI_WORKFLOW_NAME'),
    start,
    startFrom: start ? 'CI_PIPELINE_STARTED' : null,
    status: status ?? 'unknown',
    statusFrom: status ? 'CI_PIPELINE_STATUS' : 'nothing (CI_PIPELINE_STATUS needs Woodpecker 3.15+)',
    failedSteps: [],
    sha: get('CI_COMMIT_SHA'),
    ref: get('CI_COMMIT_REF'),
    event: get('CI_PIPELINE_EVENT'),
    pullRequest: positiveInt(env.CI_COMMIT_PULL_REQUEST),
    runner: get('CI_MACHINE'),
    queueSeconds:
      start && created && start >= created ? Math.round((start.getTime() - created.getTime()) / 1000) : null,
    workspace: get('CI_WORKSPACE'),
    server: '',
    buildLink: get('CI_PIPELINE_URL') || get('CI_PIPELINE_FORGE_URL'),
    cardPath: '',
  }
}

function readDrone(env: Env): CiContext {
  const get = (name: string): string => (env[name] ?? '').trim()
  const platform = 'drone'
  const owner = get('DRONE_REPO_OWNER')
  const name = get('DRONE_REPO_NAME')
  const repo = get('DRONE_REPO') || (owner && name ? `${owner}/${name}` : '')
  // Each stage is timed from its own start, so a multi-stage build's earlier stages are not counted; the
  // build start (which can even be "now", docs/architecture.md "Drone and Woodpecker") only stands in when
  // the stage start is missing or 0.
  const stageStart = unixSeconds(env.DRONE_STAGE_STARTED)
  const buildStart = unixSeconds(env.DRONE_BUILD_STARTED)
  let start = stageStart
  let startFrom: string | null = stageStart ? 'DRONE_STAGE_STARTED' : null
  if (buildStart && !stageStart) {
    start = buildStart
    startFrom = 'DRONE_BUILD_STARTED'
  }
  const failedSteps = commaList(env.DRONE_FAILED_STEPS)
  const stageStatus = mapStatus(env.DRONE_STAGE_STATUS)
  const buildStatus = mapStatus(env.DRONE_BUILD_STATUS)
  let status: Status = 'unknown'
  let statusFrom = 'nothing (no DRONE_STAGE_STATUS or DRONE_BUILD_STATUS)'
  if (failedSteps.length) {
    status = 'failure'
    statusFrom = 'DRONE_FAILED_STEPS'
  } else if (stageStatus) {
    status = stageStatus
    statusFrom = 'DRONE_STAGE_STATUS'
  } else if (buildStatus) {
    status = buildStatus
    statusFrom = 'DRONE_BUILD_STATUS'
  }
  const proto = get('DRONE_SYSTEM_PROTO') || 'https'
  const host = get('DRONE_SYSTEM_HOST')
  return {
    platform,
    repo,
    owner: owner || repo.split('/')[0] || '',
    name: name || repo.split('/').slice(1).join('/'),
    buildNumber: get('DRONE_BUILD_NUMBER'),
    stageNumber: get('DRONE_STAGE_NUMBER'),
    stageName: get('DRONE_STAGE_NAME'),
    start,
    startFrom,
    status,
    statusFrom,
    failedSteps,
    sha: get('DRONE_COMMIT_SHA') || get('DRONE_COMMIT'),
    ref: get('DRONE_COMMIT_REF'),
    event: get('DRONE_BUILD_EVENT'),
    pullRequest: positiveInt(env.DRONE_PULL_REQUEST),
    runner: get('DRONE_STAGE_MACHINE') || get('DRONE_RUNNER_HOSTNAME'),
    queueSeconds: null,
    workspace: get('DRONE_WORKSPACE'),
    server: host ? `${proto}://${host}` : '',
    buildLink: get('DRONE_BUILD_LINK'),
    cardPath: get('DRONE_CARD_PATH'),
  }
}

type Problem = (setting: string, message: string, blocking?: boolean) => void
type Get = (name: string) => string

/** Where the rows go: env, registry repository, branch, path and API; a bad one blocks the step. */
function readTarget(get: Get, ci: CiContext, problem: Problem) {
  let env: string = DEFAULTS.environment
  try {
    env = canonicalEnv(get(SETTING.environment) || DEFAULTS.environment, SETTING.environment)
  } catch (e) {
    problem(SETTING.environment, errorMessage(e))
  }

  const pathTemplate = get(SETTING.registryPath) || DEFAULTS.registryPath
  try {
    registryPath(pathTemplate, env, SETTING.registryPath)
  } catch (e) {
    problem(SETTING.registryPath, errorMessage(e))
  }

  const registryRepository = get(SETTING.registryRepository) || ci.repo
  const repoMatch = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(registryRepository)
  if (!repoMatch) {
    problem(
      SETTING.registryRepository,
      registryRepository
        ? `registry_repository "${registryRepository}" is not owner/name`
        : `no repository to record into: set registry_repository (owner/name)`,
    )
  }

  const registryBranch = get(SETTING.registryBranch) || DEFAULTS.registryBranch
  if (!isBranchName(registryBranch)) {
    problem(
      SETTING.registryBranch,
      `registry_branch "${registryBranch}" is not a valid branch name, e.g. ${DEFAULTS.registryBranch}`,
    )
  }

  const apiUrl = apiUrlOf(get(SETTING.githubApiUrl))
  if (!isHttpUrl(apiUrl)) {
    problem(
      SETTING.githubApiUrl,
      `github_api_url "${apiUrl}" is not an http(s) URL, e.g. https://github.example.com/api/v3`,
    )
  }

  return { env, pathTemplate, repoMatch, registryBranch, apiUrl }
}

/** Choices that only shape the run (dry_run, fail_on, comment, cache_hits). */
function readChoices(raw: Map<string, string>, get: Get, problem: Problem) {
  let dryRun = false
  if (raw.has(SETTING.dryRun)) {
    const b = parseBool(get(SETTING.dryRun))
    if (b === null) problem(SETTING.dryRun, `dry_run "${get(SETTING.dryRun)}" is not true or false`)
    else dryRun = b
  }

  let failOn: FailOn = DEFAULTS.failOn
  if (raw.has(SETTING.failOn)) {
    const f = parseFailOn(get(SETTING.failOn))
    if (f === null)
      problem(
        SETTING.failOn,
        `fail_on "${get(SETTING.failOn)}" is not never, over-max or timeout; using never`,
        false,
      )
    else failOn = f
  }

  let comment: 'auto' | 'off' = DEFAULTS.comment
  if (raw.has(SETTING.comment)) {
    const c = parseComment(get(SETTING.comment))
    if (c === null)
      problem(SETTING.comment, `comment "${get(SETTING.comment)}" is not auto or off; not commenting`, false)
    comment = c ?? 'off'
  }

  let cacheEntries: CacheEntry[] = []
  if (raw.has(SETTING.cacheHits)) {
    const parsed = parseCacheHitsSetting(raw.get(SETTING.cacheHits) ?? '')
    cacheEntries = parsed.entries
    if (parsed.invalid.length) {
      problem(
        SETTING.cacheHits,
        `cache_hits entries ${parsed.invalid.map((s) => JSON.stringify(s)).join(', ')} were ignored: use a map {name: true|false|""} or name=true|false lines`,
        false,
      )
    }
  }

  return { dryRun, failOn, comment, cacheEntries }
}

function readBudgetsSetting(
  raw: Map<string, string>,
  get: Get,
  where: { ci: CiContext; readFile: ReadFile; cwd: string; notes: string[] },
  problem: Problem,
): { budgets: Budgets; budgetsFrom: string } {
  const { ci, readFile, cwd, notes } = where
  // A missing budgets file means no budgets; a malformed one is one warning and no budgets.
  let budgets: Budgets = NO_BUDGETS
  let budgetsFrom = ''
  const inline = raw.get(SETTING.budgets)
  if (inline !== undefined && inline.trim()) {
    budgetsFrom = 'budgets setting'
    const loaded = budgetsFromText(inline, budgetsFrom)
    budgets = loaded.budgets
    if (loaded.problem) problem(SETTING.budgets, `${loaded.problem}; going on without budgets`, false)
  } else {
    const named = get(SETTING.budgetsFile)
    const file = joinPath(ci.workspace || cwd, named || DEFAULTS.budgetsFile)
    budgetsFrom = file
    let text: string | null = null
    try {
      text = readFile(file)
    } catch (e) {
      problem(
        SETTING.budgetsFile,
        `could not read budgets file ${file}: ${errorMessage(e)}; going on without budgets`,
        false,
      )
    }
    if (text === null && named) notes.push(`budgets file ${file} not found: no budgets apply`)
    if (text !== null) {
      const loaded = budgetsFromText(text, file)
      budgets = loaded.budgets
      if (loaded.problem) problem(SETTING.budgetsFile, `${loaded.problem}; going on without budgets`, false)
    }
  }

  return { budgets, budgetsFrom }
}

/** docs/export.md settings: never blocking, a value that is not understood is one line and no export. */
function readTelemetry(
  raw: Map<string, string>,
  get: (name: string) => string,
  problem: Problem,
): { telemetry: TelemetryConfig; maxWaitSeconds: number } {
  const telemetry = telemetryConfig(raw.get(SETTING.export) ?? '', get(SETTING.alertWebhook), {
    export: SETTING.export,
    webhook: SETTING.alertWebhook,
  })
  for (const w of telemetry.warnings) problem(SETTING.export, w, false)
  const wait = get(SETTING.maxWait)
  const seconds = wait ? parseDuration(wait) : DEFAULT_TELEMETRY_WAIT_SECONDS
  if (seconds === null || seconds <= 0)
    problem(
      SETTING.maxWait,
      `max_wait "${wait}" is not a duration like 30s; using ${DEFAULT_TELEMETRY_WAIT_SECONDS}s`,
      false,
    )
  return { telemetry, maxWaitSeconds: seconds && seconds > 0 ? seconds : DEFAULT_TELEMETRY_WAIT_SECONDS }
}

function readSettings(
  raw: Map<string, string>,
  ci: CiContext,
  readFile: ReadFile,
  cwd: string,
): { settings: PluginSettings; problems: SettingProblem[]; notes: string[] } {
  const problems: SettingProblem[] = []
  const notes: string[] = []
  const problem: Problem = (setting, message, blocking = true) => {
    problems.push({ setting, message, blocking })
  }
  const get = (name: string): string => (raw.get(name) ?? '').trim()
  const { env, pathTemplate, repoMatch, registryBranch, apiUrl } = readTarget(get, ci, problem)
  const { dryRun, failOn, comment, cacheEntries } = readChoices(raw, get, problem)
  const { budgets, budgetsFrom } = readBudgetsSetting(raw, get, { ci, readFile, cwd, notes }, problem)
  const settings: PluginSettings = {
    githubToken: get(SETTING.githubToken),
    droneToken: get(SETTING.droneToken),
    phase: get(SETTING.phase) || ci.stageName || 'default',
    env,
    buildId: get(SETTING.buildId) || ci.buildNumber,
    flags: raw.get(SETTING.flags) ?? '',
    registryOwner: repoMatch?.[1] ?? '',
    registryRepo: repoMatch?.[2] ?? '',
    registryBranch,
    registryPath: pathTemplate,
    budgets,
    budgetsFrom,
    cacheEntries,
    comment,
    failOn,
    githubApiUrl: apiUrl,
    dryRun,
    ...readTelemetry(raw, get, problem),
  }
  return { settings, problems, notes }
}

/**
 * The step's whole context, read once (drone-plugin-lib style): the pipeline from DRONE_* / CI_*, the
 * settings from PLUGIN_*, the budgets file. On the Kubernetes runner /run/drone/env holds the live values
 * and wins over the process environment (docs/architecture.md "Drone and Woodpecker").
 */
export function readContext(
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadFile,
  opts: ContextOptions = {},
): PluginContext {
  const problems: SettingProblem[] = []
  let merged: Record<string, string | undefined> = { ...env }
  const runEnvPath = opts.runEnvPath ?? RUN_ENV_PATH
  try {
    const text = readFile(runEnvPath)
    if (text !== null) merged = { ...merged, ...parseEnvFile(text) }
  } catch (e) {
    problems.push({
      setting: runEnvPath,
      message: `could not read ${runEnvPath}: ${errorMessage(e)}`,
      blocking: false,
    })
  }
  const ci = readCi(merged)
  if (!ci.buildNumber) {
    // Without it every run would get the same row_id and only the first would ever be recorded.
    const name = ci.platform === 'woodpecker' ? 'CI_PIPELINE_NUMBER' : 'DRONE_BUILD_NUMBER'
    problems.push({
      setting: name,
      message: `${name} is not set: run this image as a ${ci.platform === 'woodpecker' ? 'Woodpecker' : 'Drone'} pipeline step`,
      blocking: true,
    })
  }
  const s = readSettings(pluginSettings(merged), ci, readFile, opts.cwd ?? '')
  return { ci, settings: s.settings, problems: [...problems, ...s.problems], notes: s.notes }
}
