import type { FailOn } from './budgets.js'
import { DEFAULT_PATH_TEMPLATE } from './env.js'

/**
 * The one table of defaults of the three doors (action inputs, Drone/Woodpecker settings, CLI flags).
 * A door that needs a default takes it from here, so the doors cannot drift apart.
 */
export const DEFAULTS = {
  /** Where CI doors record. */
  environment: 'ci',
  /** Where the CLI records: a laptop is not CI, its rows must not mix with `ci`. */
  cliEnvironment: 'local',
  cliBuildId: 'local',
  registryBranch: 'governance-registry',
  registryPath: DEFAULT_PATH_TEMPLATE,
  budgetsFile: '.github/build-budgets.yml',
  githubApiUrl: 'https://api.github.com',
  githubServerUrl: 'https://github.com',
  comment: 'auto',
  failOn: 'never',
} as const satisfies Record<string, string>

export const FAIL_ON_VALUES = ['never', 'over-max', 'timeout'] as const satisfies readonly FailOn[]
export const COMMENT_VALUES = ['auto', 'off'] as const
export type CommentMode = (typeof COMMENT_VALUES)[number]

const TRUE_WORDS = ['true', '1', 'yes', 'on', 'y']
const FALSE_WORDS = ['false', '0', 'no', 'off', 'n']

/** A boolean as YAML, Drone, Woodpecker and people spell it; null when it is none (the caller says so). */
export function parseBool(value: string): boolean | null {
  const v = value.trim().toLowerCase()
  if (TRUE_WORDS.includes(v)) return true
  if (FALSE_WORDS.includes(v)) return false
  return null
}

/** `never`, `over-max`, `timeout`; `over_max` too, as settings are often written with underscores. */
export function parseFailOn(value: string): FailOn | null {
  const v = value.trim().toLowerCase().replace(/_/g, '-')
  return (FAIL_ON_VALUES as readonly string[]).includes(v) ? (v as FailOn) : null
}

/** `auto` or `off`, with the boolean spellings a YAML file may produce. */
export function parseComment(value: string): CommentMode | null {
  const v = value.trim().toLowerCase()
  if (v === 'auto' || v === 'on' || v === 'true') return 'auto'
  if (v === 'off' || v === 'false' || v === 'never') return 'off'
  return null
}

/** A registry branch name git accepts and that cannot name anything but a branch. */
export function isBranchName(name: string): boolean {
  return !!name && !/[\s~^:?*[\\]|\.\.|^[-/]|\/$|\.lock$|@\{/.test(name)
}

/** `GITHUB_API_URL` or a setting, without trailing slashes; the default when empty. */
export function apiUrlOf(value: string | undefined): string {
  return (value?.trim() || DEFAULTS.githubApiUrl).replace(/\/+$/, '')
}

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s/]+/i.test(url)
}
