import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { budgetsFromText } from '../app/budgets-file.js'
import { NO_BUDGETS, type Budgets } from '../core/budgets.js'
import { DEFAULTS } from '../core/config.js'
import { canonicalEnv } from '../core/env.js'
import { parseDuration } from '../core/duration.js'
import { errorMessage } from '../core/errors.js'
import { DEFAULT_TELEMETRY_WAIT_SECONDS, telemetryConfig, type TelemetryConfig } from '../core/telemetry.js'
import { openRegistry, DEFAULT_REGISTRY, type Registry } from '../registry/spec.js'
import { say, UsageError, type CliIO } from './io.js'

export const DEFAULT_ENV = DEFAULTS.cliEnvironment
export const DEFAULT_BUILD_ID = DEFAULTS.cliBuildId
export const DEFAULT_BUDGETS = DEFAULTS.budgetsFile
export const DEFAULT_LOG_DIR = 'logs/build-timings'
export const SPOOL_PATH = '.build-timings/spool.csv'

type Options = NonNullable<ParseArgsConfig['options']>

export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  registry: { type: 'string' },
} as const satisfies Options

export const ROW_OPTIONS = {
  ...COMMON_OPTIONS,
  phase: { type: 'string' },
  env: { type: 'string' },
  'build-id': { type: 'string' },
  flags: { type: 'string' },
  budgets: { type: 'string' },
  // docs/export.md: where the row goes besides the registry; each flag may repeat or hold several targets.
  export: { type: 'string', multiple: true },
  'alert-webhook': { type: 'string' },
  'max-wait': { type: 'string' },
} as const satisfies Options

/**
 * node:util parseArgs in strict mode, with its errors turned into one line that names the flag and points at
 * the command's help.
 */
export function parseCommand<T extends Options>(
  command: string,
  argv: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: positionals, tokens: true })
  } catch (e) {
    const code = (e as { code?: string }).code
    // Not `instanceof Error`: parseArgs' errors may come from another realm (a test's VM context).
    const raw = (e as { message?: unknown }).message
    const message = typeof raw === 'string' ? raw : errorMessage(e)
    const flag = /'(-[^'\s]*)/.exec(message)?.[1]
    const help = `see build-timings ${command} --help`
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
      throw new UsageError(`unknown option ${flag ?? message} for ${command}; ${help}`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError(
        `option ${flag ?? ''} needs a value (${message.split('.')[0]}); ${help}`.replace(' ()', ''),
      )
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const arg = /'([^']*)'/.exec(message)?.[1] ?? ''
      throw new UsageError(`unexpected argument "${arg}" for ${command}; ${help}`)
    }
    throw new UsageError(`${message}; ${help}`)
  }
}

export function required(value: string | undefined, flag: string, command: string, example: string): string {
  if (value === undefined || value.trim() === '') {
    throw new UsageError(`${command} needs ${flag}; e.g. ${example}`)
  }
  return value
}

/** --env, else BUILD_TIMINGS_ENV, else `local` (a laptop is not CI: its rows must not mix with `ci`). */
export function resolveEnv(flag: string | undefined, io: CliIO): string {
  return cliEnv(
    flag ?? io.env.BUILD_TIMINGS_ENV ?? DEFAULT_ENV,
    flag === undefined && io.env.BUILD_TIMINGS_ENV !== undefined ? 'BUILD_TIMINGS_ENV' : '--env',
  )
}

/** canonicalEnv with the CLI's one-line `<what>; <fix>` message. */
export function cliEnv(raw: string, source = '--env'): string {
  try {
    return canonicalEnv(raw, source)
  } catch {
    throw new UsageError(
      `${source} "${raw}" is not a valid environment name; use letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit), e.g. --env staging`,
    )
  }
}

/** --registry, else BUILD_TIMINGS_REGISTRY, else file:docs/build-timings.csv. */
export function resolveRegistry(flag: string | undefined, io: CliIO): Registry {
  const spec = flag ?? io.env.BUILD_TIMINGS_REGISTRY ?? DEFAULT_REGISTRY
  // Octokit also logs every failed request (a 404 for a file not yet created is normal): keep only the
  // rate-limit waits, which explain a pause.
  const log = (m: string): void => {
    if (/rate limit/i.test(m)) say(io.stderr, `warning: ${m}`)
  }
  return openRegistry(spec, { cwd: io.cwd, env: io.env, log })
}

export function resolvePath(path: string, io: CliIO): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path)
}

/**
 * The default budgets file may be missing (no budgets); one given with --budgets must exist. A
 * malformed file is one warning naming file, line and column, and the run goes on without budgets.
 */
export async function loadBudgets(flag: string | undefined, io: CliIO): Promise<Budgets> {
  const file = flag ?? DEFAULT_BUDGETS
  let text: string
  try {
    text = await readFile(resolvePath(file, io), 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && flag === undefined) return NO_BUDGETS
    throw new UsageError(
      `cannot read budgets file ${file} (${code ?? errorMessage(e)}); pass --budgets with a readable YAML file, or leave it out`,
    )
  }
  const loaded = budgetsFromText(text, file)
  if (loaded.problem) say(io.stderr, `warning: budgets file ${loaded.problem}; continuing without budgets`)
  return loaded.budgets
}

/** `--since`: `30d`, `12h`, `2w`, or an ISO date / date-time. */
export function parseSince(value: string, now: Date): Date {
  const rel = /^(\d+)\s*([hdw])$/i.exec(value.trim())
  if (rel) {
    const hours = { h: 1, d: 24, w: 24 * 7 }[(rel[2] as string).toLowerCase() as 'h' | 'd' | 'w']
    return new Date(now.getTime() - Number(rel[1]) * hours * 3_600_000)
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    // A bare date means midnight UTC, as everything in the registry is UTC.
    const v = value.trim()
    const d = new Date(/T|\s/.test(v) ? (/(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`) : `${v}T00:00:00Z`)
    if (!Number.isNaN(d.getTime())) return d
  }
  throw new UsageError(
    `--since "${value}" is not a period or date; use e.g. --since 30d, 12h, 2w or 2026-01-31`,
  )
}

export interface CliTelemetry {
  config: TelemetryConfig
  maxWaitSeconds: number
}

/**
 * `--export`, `--alert-webhook`, `--max-wait`, checked before anything runs: a target that is not one is a
 * usage error (exit 2), like any other flag; a target that is down later is only a warning line.
 */
export function resolveTelemetry(values: {
  export?: string[]
  'alert-webhook'?: string
  'max-wait'?: string
}): CliTelemetry {
  const config = telemetryConfig((values.export ?? []).join('\n'), values['alert-webhook'] ?? '', {
    export: '--export',
    webhook: '--alert-webhook',
  })
  if (config.warnings.length) throw new UsageError(config.warnings.join(' '))
  const raw = values['max-wait']
  const seconds = raw === undefined ? DEFAULT_TELEMETRY_WAIT_SECONDS : parseDuration(raw)
  if (seconds === null || seconds <= 0)
    throw new UsageError(`--max-wait "${raw ?? ''}" is not a duration; use e.g. 30s or 2m`)
  return { config, maxWaitSeconds: seconds }
}
