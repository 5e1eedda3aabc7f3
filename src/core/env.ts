import { InputError } from './errors.js'

const ALIASES: Record<string, string> = {
  dev: 'development',
  stg: 'staging',
  stage: 'staging',
  prod: 'production',
}
const ENV_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/

/**
 * README "Inputs" (`environment`): lower-case, expand the usual short names, and refuse anything that could
 * leave `environments/`.
 */
export function canonicalEnv(raw: string, input = 'environment'): string {
  const lowered = raw.trim().toLowerCase()
  const env = ALIASES[lowered] ?? lowered
  if (!ENV_PATTERN.test(env) || env.includes('..')) {
    throw new InputError(
      input,
      `${input} "${raw}" is not a valid environment name: use letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit), e.g. "staging"`,
    )
  }
  return env
}

export const DEFAULT_PATH_TEMPLATE = 'environments/{env}/latest/build_timings.csv'

/**
 * The registry file for an env. The template's fixed part is the registry's folder; the result must stay
 * inside it (no absolute paths, no `..`, no backslashes), so no input can make us write elsewhere.
 */
export function registryPath(template: string, env: string, input = 'registry-path'): string {
  const path = template.split('{env}').join(env)
  const segments = path.split('/')
  const bad =
    !template.includes('{env}') ||
    path.startsWith('/') ||
    path.includes('\\') ||
    segments.some((s) => s === '..' || s === '.' || s === '') ||
    !path.endsWith('.csv')
  if (bad) {
    throw new InputError(
      input,
      `${input} "${template}" must be a relative path containing {env} and ending in .csv, without '..', e.g. "${DEFAULT_PATH_TEMPLATE}"`,
    )
  }
  return path
}
