/**
 * README "The registry" and docs/security.md: credentials never reach the registry, a comment or a log, control sequences never reach a
 * terminal, and cells never run as spreadsheet formulas (OWASP "CSV injection").
 *
 * Every pattern here runs on untrusted text as long as a captured log line, so each one is written to match
 * in linear time: quantifiers are bounded or delimited by characters they cannot consume, and no pattern
 * nests an unbounded repetition inside another.
 */

export const REDACTED = '***'

// ESC and C1 sequences as terminals read them (ECMA-48): CSI, OSC/DCS/SOS/PM/APC strings with their
// terminator, then any other two-character escape. An unterminated string loses only its introducer.
const ESCAPE_SEQUENCE = new RegExp(
  [
    '(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*[@-~]',
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)',
    '\\x1b[ -/]*[0-~]?',
  ].join('|'),
  'g',
)
const LINE_BREAKS = /[\r\n\v\f\u2028\u2029]+/g
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const OTHER_CONTROLS = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/g

/** C0, C1 and ESC sequences removed; line breaks and tabs flattened to one space each. */
export function stripControls(value: string): string {
  return value
    .replace(ESCAPE_SEQUENCE, '')
    .replace(LINE_BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(OTHER_CONTROLS, '')
}

/** Only the escape sequences and C0/C1 controls, keeping tabs and line breaks: for multi-line text (logs). */
export function stripTerminalEscapes(value: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return value.replace(ESCAPE_SEQUENCE, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, '')
}

const TOKEN_SHAPES: RegExp[] = [
  /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{20,255}/g, // GitHub classic, OAuth, user-to-server, server-to-server, refresh
  /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{20,255}/g, // GitHub fine-grained PATs
  /(?<![A-Za-z0-9])gl(?:pat|dt|ptt|rt|oas|soat|cbt|imt|agent|ft|ffct|wt)-[A-Za-z0-9_-]{20,255}/g, // GitLab
  /(?<![A-Za-z0-9])GR1348941[A-Za-z0-9_-]{20,255}/g, // GitLab runner registration
  /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36,255}/g, // npm
  /(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,255}/g, // Slack bot, user, app-level and refresh tokens
  /(?<![A-Za-z0-9])xapp-\d-[A-Za-z0-9-]{10,255}/g, // Slack app-level tokens
  /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,255}/g, // Stripe secret and restricted keys
  /(?<![A-Za-z0-9])whsec_[A-Za-z0-9+/=]{20,255}/g, // Stripe webhook secrets
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g, // AWS key ids
  /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /(?<![A-Za-z0-9])ya29\.[0-9A-Za-z_-]{20,2048}/g, // Google OAuth access tokens
  /(?<![A-Za-z0-9])GOCSPX-[A-Za-z0-9_-]{20,255}/g, // Google OAuth client secrets
  /(?<![A-Za-z0-9])1\/\/0[A-Za-z0-9_-]{40,512}/g, // Google OAuth refresh tokens
  /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{10,4096}/g, // JWTs
  /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[^]{0,16384}?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g,
]
const SLACK_WEBHOOK =
  /\b(https:\/\/hooks\.slack\.com\/)(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,512}/g

// Names that say "this is a credential" at their end: DB_PASS, client-secret, GITHUB_TOKEN, api_key.
const SECRET_NAME = '(?:password|passwd|secret|token|apikey|credentials?)'
const SEPARATED_NAME = '(?:pass|key)'
const NAMED = `(?:[A-Za-z0-9_.-]{0,128}?${SECRET_NAME}|[A-Za-z0-9_.-]{0,128}?[_.-]${SEPARATED_NAME})`
// A bare `key` or `pass` counts only with '=' (KEY=value): "Cache key: linux-node-…" is no secret.
const KEY_NAME = `(?:${NAMED}|${SEPARATED_NAME})`
const VALUE = `(?:"[^"\\n]{0,4096}"|'[^'\\n]{0,4096}'|[^\\s,;&"']{1,4096})`

// KEY=value and key: value; the key is kept so the cell still says what was there.
const SECRET_ASSIGNMENT = new RegExp(`(?<![A-Za-z0-9_.-])(${KEY_NAME})(\\s{0,8}=\\s{0,8})${VALUE}`, 'gi')
const SECRET_COLON = new RegExp(`(?<![A-Za-z0-9_.-])(${NAMED})(\\s{0,8}:\\s{0,8})${VALUE}`, 'gi')
// "client_secret": "…" in JSON, 'password': … in YAML or Python.
const QUOTED_KEY = new RegExp(
  `(["'])(${KEY_NAME})\\1(\\s{0,8}[=:]\\s{0,8})("(?:[^"\\\\\\n]|\\\\.){0,4096}"|'[^'\\n]{0,4096}'|[^\\s,;}\\]]{1,4096})`,
  'gi',
)
// --password X, --client-secret=X, -token X (Go style), and the short -p X of mysql and friends.
const LONG_OPTION = new RegExp(
  `(^|\\s)(--?(?:[A-Za-z0-9]{1,32}[-_]){0,6}(?:password|passwd|pass|secret|token|key|apikey|credentials?))(=|\\s{1,8})${VALUE}`,
  'gi',
)
const SHORT_P_OPTION = new RegExp(`(^|\\s)(-p)(=|\\s{1,8})${VALUE}`, 'g')
const AUTH_HEADER =
  /\b(authorization\s{0,8}[:=]\s{0,8})((?:basic|bearer|token|digest|negotiate|ntlm)\s{1,8})?[^\s"',;]{1,8192}/gi
const BEARER = /\b(Bearer|token)\s{1,8}[A-Za-z0-9._~+/-]{16,8192}=*/gi
// scheme://user:pw@ and scheme://TOKEN@: everything up to the last '@' of the authority, so a password
// holding '@' (user:pa@ss@host) goes whole.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#]{1,2048}@/gi

/**
 * Every form a known secret can take in printed text: as is, JSON-escaped, URL-encoded, and base64 at each of
 * the three alignments it can have inside a longer base64 string (so `Basic` headers or encoded blobs that
 * carry it are caught too). Longest first, so a variant that contains another is replaced whole.
 */
export function secretVariants(secrets: readonly string[]): string[] {
  const out = new Set<string>()
  for (const s of secrets) {
    if (!s || s.length < 4) continue
    out.add(s)
    out.add(JSON.stringify(s).slice(1, -1))
    out.add(encodeURIComponent(s))
    for (let shift = 0; shift < 3; shift++) {
      const b64 = Buffer.from('\0'.repeat(shift) + s, 'utf8').toString('base64')
      // Drop the characters that depend on the padding bytes around the secret.
      const start = Math.ceil((shift * 4) / 3)
      const end = Math.floor(((shift + Buffer.byteLength(s)) * 4) / 3)
      const core = b64.slice(start, end)
      if (core.length >= 8) out.add(core)
    }
  }
  return [...out].sort((a, b) => b.length - a.length)
}

/**
 * Only the credential shapes, without any known secret. Without `heuristics`, only the shapes that cannot be
 * ordinary text (tokens, URL user-info, Authorization values): for command output, where `-p 8080` or
 * `SORT_KEY=name` are common and a redacted one would only confuse.
 */
export function redactPatterns(value: string, heuristics = true): string {
  let out = value
  for (const pattern of TOKEN_SHAPES) out = out.replace(pattern, REDACTED)
  out = out.replace(SLACK_WEBHOOK, `$1${REDACTED}`)
  out = out.replace(URL_USERINFO, `$1${REDACTED}@`)
  out = out.replace(
    AUTH_HEADER,
    (_m, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${REDACTED}`,
  )
  out = out.replace(BEARER, `$1 ${REDACTED}`)
  if (!heuristics) return out
  out = out.replace(QUOTED_KEY, (_m, q: string, key: string, sep: string, value: string) => {
    const quote = value[0] === '"' || value[0] === "'" ? value[0] : ''
    return `${q}${key}${q}${sep}${quote}${REDACTED}${quote}`
  })
  out = out.replace(
    LONG_OPTION,
    (_m, pre: string, name: string, sep: string) => `${pre}${name}${sep}${REDACTED}`,
  )
  out = out.replace(
    SHORT_P_OPTION,
    (_m, pre: string, name: string, sep: string) => `${pre}${name}${sep}${REDACTED}`,
  )
  const keepKey = (_m: string, key: string, sep: string): string => `${key}${sep}${REDACTED}`
  out = out.replace(SECRET_ASSIGNMENT, keepKey)
  out = out.replace(SECRET_COLON, keepKey)
  return out
}

export type Redact = (text: string) => string

/** A redactor for many texts with the same known secrets (their variants are computed once). */
export function redactor(
  knownSecrets: readonly string[] = [],
  { heuristics = true }: { heuristics?: boolean } = {},
): Redact {
  const variants = secretVariants(knownSecrets)
  return (value) => {
    let out = value
    for (const v of variants) if (out.includes(v)) out = out.split(v).join(REDACTED)
    return redactPatterns(out, heuristics)
  }
}

export function redactSecrets(value: string, knownSecrets: readonly string[] = []): string {
  return redactor(knownSecrets)(value)
}

/** One line for a person to read: controls out, credentials out. Every message the tool prints goes here. */
export function safeLine(value: string, knownSecrets: readonly string[] = []): string {
  return redactSecrets(stripControls(value), knownSecrets)
}

const FORMULA_START = /^[=+\-@\t\r]/
// After flattening, a cell can start with spaces before its '=': spreadsheets that trim would still run it.
const FORMULA_AFTER_SPACE = /^ +[=+\-@]/

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) || FORMULA_AFTER_SPACE.test(value) ? `'${value}` : value
}

/**
 * Free text for a cell (README "The registry"): controls removed and newlines flattened first, so that no formula hides
 * behind them; then credentials redacted and formula starts neutralised; then bounded.
 */
export function cleanCell(value: string, knownSecrets: readonly string[] = [], maxLength = 500): string {
  const safe = neutraliseFormula(redactSecrets(stripControls(value), knownSecrets))
  if (safe.length <= maxLength) return safe
  const chars = Array.from(safe)
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : safe
}

/**
 * Names of environment variables whose values are credentials (GITHUB_TOKEN, DB_PASSWORD, AWS_SECRET_ACCESS_KEY):
 * the known secrets of a process, redacted from what it prints and from the logs it captures.
 */
const SECRET_ENV_NAME =
  /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|PASS|PWD|SECRET|KEY|API_KEY|APIKEY|CREDENTIALS?|PAT)(?:_|$)/i
const NOT_SECRET_ENV_NAME = /^(?:PWD|OLDPWD)$|_(?:FILE|PATH|DIR|URL|ID|NAME|TYPE|USER|USERNAME)$/i

export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = []
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 6 || !SECRET_ENV_NAME.test(name) || NOT_SECRET_ENV_NAME.test(name)) continue
    if (/^(?:true|false|yes|no|on|off|\d{1,12})$/i.test(value)) continue
    out.push(value)
  }
  return out
}
