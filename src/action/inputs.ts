import type { FailOn } from '../core/budgets.js'
import {
  COMMENT_VALUES,
  DEFAULTS,
  FAIL_ON_VALUES,
  isBranchName,
  parseBool,
  parseComment,
  parseFailOn,
  type CommentMode,
} from '../core/config.js'
import { canonicalEnv, registryPath } from '../core/env.js'
import { CacheProbesError, parseCacheProbes, type CacheProbe } from '../core/cache-probes.js'
import { parseDuration } from '../core/duration.js'
import { errorMessage, InputError } from '../core/errors.js'
import { DEFAULT_TELEMETRY_WAIT_SECONDS, telemetryConfig, type TelemetryConfig } from '../core/telemetry.js'
import { Input } from './constants.js'

export interface ActionInputs {
  token: string
  mode: 'job' | 'run'
  phase: string
  env: string
  buildId: string
  flags: string
  registry: { owner: string; repo: string; branch: string; pathTemplate: string }
  budgetsFile: string
  cacheHits: string
  cacheProbes: CacheProbe[]
  comment: CommentMode
  failOn: FailOn
  dryRun: boolean
  matrix: Record<string, unknown> | null
  jobStatus: string
  jobId: string
  /** `max-wait`, in seconds (README "Inputs"): also the most time the exports may take. */
  maxWaitSeconds: number
  /** `export` targets and `alert-webhook` (docs/export.md). */
  telemetry: TelemetryConfig
  /**
   * Inputs that only shape the report (mode, comment, fail-on, cache-probes) never stop a row from being
   * recorded: a bad value is one warning and the default. Inputs that decide where and whether to write
   * throw InputError instead.
   */
  warnings: string[]
}

export type InputReader = (name: Input) => string

/** An input that only shapes the report: a bad value is one warning and the default. */
function lenient<T extends string>(
  name: Input,
  value: string,
  parse: (v: string) => T | null,
  allowed: readonly T[],
  fallback: T,
  warnings: string[],
): T {
  if (value.trim() === '') return fallback
  const parsed = parse(value)
  if (parsed !== null) return parsed
  warnings.push(
    `${name} "${value}" is not one of ${allowed.join(', ')}; using "${fallback}" — set it to one of them`,
  )
  return fallback
}

const parseMode = (v: string): 'job' | 'run' | null => {
  const m = v.trim().toLowerCase()
  return m === 'job' || m === 'run' ? m : null
}

function probesOf(text: string, warnings: string[]): CacheProbe[] {
  try {
    return parseCacheProbes(text)
  } catch (e) {
    if (!(e instanceof CacheProbesError)) throw e
    warnings.push(`${errorMessage(e)}; no cache was probed`)
    return []
  }
}

function bool(name: Input, value: string): boolean {
  const b = value.trim() === '' ? false : parseBool(value)
  if (b === null) throw new InputError(name, `${name} "${value}" is not a boolean: use true or false`)
  return b
}

/** `${{ toJSON(matrix) }}` is `null` outside a matrix, and an object of the job's values inside one. */
function matrixOf(value: string): Record<string, unknown> | null {
  const v = value.trim()
  if (!v || v === 'null') return null
  try {
    const parsed: unknown = JSON.parse(v)
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.keys(parsed).length
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    throw new InputError(
      Input.Matrix,
      `matrix is internal and must stay \${{ toJSON(matrix) }}: remove it from "with:"`,
    )
  }
}

/** `test (ubuntu, 20)`: the phase with the matrix values, so that every matrix job has its own phase. */
export function phaseWithMatrix(phase: string, matrix: Record<string, unknown> | null): string {
  if (!matrix) return phase
  const values = Object.values(matrix).map((v) =>
    typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v),
  )
  return `${phase} (${values.join(', ')})`
}

/**
 * All inputs, parsed once into a typed value. Defaults mirror action.yml so that a run without the
 * runner's expression defaults (tests, GHES quirks) still behaves. Throws InputError naming the input.
 */
export function parseInputs(read: InputReader, env: NodeJS.ProcessEnv): ActionInputs {
  const get = (name: Input): string => read(name).trim()
  const repository = get(Input.RegistryRepository) || env.GITHUB_REPOSITORY || ''
  const [owner, repo, ...rest] = repository.split('/')
  if (!owner || !repo || rest.length) {
    throw new InputError(
      Input.RegistryRepository,
      `registry-repository "${repository}" must be owner/repo, e.g. acme/widgets`,
    )
  }
  const envName = canonicalEnv(get(Input.Environment) || DEFAULTS.environment, Input.Environment)
  const pathTemplate = get(Input.RegistryPath) || DEFAULTS.registryPath
  registryPath(pathTemplate, envName, Input.RegistryPath)
  const branch = get(Input.RegistryBranch) || DEFAULTS.registryBranch
  if (!isBranchName(branch)) {
    throw new InputError(
      Input.RegistryBranch,
      `registry-branch "${branch}" is not a valid branch name, e.g. ${DEFAULTS.registryBranch}`,
    )
  }
  const matrix = matrixOf(get(Input.Matrix))
  const phase = get(Input.Phase) || env.GITHUB_JOB || 'job'
  const warnings: string[] = []
  const telemetry = telemetryConfig(read(Input.Export), read(Input.AlertWebhook), {
    export: Input.Export,
    webhook: Input.AlertWebhook,
  })
  warnings.push(...telemetry.warnings)
  return {
    token: get(Input.Token) || env.GITHUB_TOKEN || '',
    mode: lenient(Input.Mode, get(Input.Mode), parseMode, ['job', 'run'], 'job', warnings),
    phase: phaseWithMatrix(phase, matrix),
    env: envName,
    buildId: get(Input.BuildId) || env.GITHUB_RUN_ID || '',
    flags: read(Input.Flags),
    registry: { owner, repo, branch, pathTemplate },
    budgetsFile: get(Input.BudgetsFile) || DEFAULTS.budgetsFile,
    cacheHits: read(Input.CacheHits),
    cacheProbes: probesOf(read(Input.CacheProbes), warnings),
    comment: lenient(
      Input.Comment,
      get(Input.Comment),
      parseComment,
      COMMENT_VALUES,
      DEFAULTS.comment,
      warnings,
    ),
    failOn: lenient(Input.FailOn, get(Input.FailOn), parseFailOn, FAIL_ON_VALUES, DEFAULTS.failOn, warnings),
    dryRun: bool(Input.DryRun, get(Input.DryRun)),
    matrix,
    jobStatus: get(Input.JobStatus),
    jobId: get(Input.JobId),
    maxWaitSeconds: maxWaitOf(get(Input.MaxWait), warnings),
    telemetry,
    warnings,
  }
}

function maxWaitOf(value: string, warnings: string[]): number {
  if (value === '') return DEFAULT_TELEMETRY_WAIT_SECONDS
  const seconds = parseDuration(value)
  if (seconds !== null && seconds > 0) return seconds
  warnings.push(
    `${Input.MaxWait} "${value}" is not a duration; using ${DEFAULT_TELEMETRY_WAIT_SECONDS}s — set it like 30s or 2m`,
  )
  return DEFAULT_TELEMETRY_WAIT_SECONDS
}
