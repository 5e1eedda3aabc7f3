/**
 * README "The registry": credentials never reach the registry, a comment or a log, and cells never run as
 * spreadsheet formulas (OWASP "CSV injection").
 */
const CREDENTIAL_PATTERNS: RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub classic and app tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g, // fine-grained PATs
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, // Slack tokens
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b/g, // JWTs
]
// key=value and key: value for secret-looking keys; the key is kept so the cell still says what was there.
const SECRET_ASSIGNMENT =
  /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[A-Za-z0-9_.-]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi
const BEARER = /\b(Bearer|token)\s+[A-Za-z0-9._~+/-]{16,}=*/gi

export const REDACTED = '***'

export function redactSecrets(value: string, knownSecrets: readonly string[] = []): string {
  let out = value
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED)
  }
  for (const pattern of CREDENTIAL_PATTERNS) out = out.replace(pattern, REDACTED)
  out = out.replace(URL_USERINFO, `$1${REDACTED}@`)
  out = out.replace(BEARER, `$1 ${REDACTED}`)
  out = out.replace(SECRET_ASSIGNMENT, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`)
  return out
}

const FORMULA_START = /^[=+\-@\t\r]/

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** Free text for a cell: credentials redacted, newlines flattened, formula starts neutralised, bounded. */
export function cleanCell(value: string, knownSecrets: readonly string[] = [], maxLength = 500): string {
  const safe = neutraliseFormula(redactSecrets(value, knownSecrets)).replace(/[\r\n]+/g, ' ')
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe
}
