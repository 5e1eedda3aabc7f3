import { redactSecrets, REDACTED } from '../core/sanitize.js'

/**
 * Every form a secret can take in printed text: as is, JSON-escaped, URL-encoded, and base64 at each of the
 * three alignments it can have inside a longer base64 string (so `Basic` headers or encoded blobs that carry
 * it are caught too).
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
  // Longest first, so a variant that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length)
}

export type Scrub = (text: string) => string

/** Known secrets in any of their forms, then anything that looks like a credential. */
export function scrubber(secrets: readonly string[]): Scrub {
  const known = knownScrubber(secrets)
  return (text) => redactSecrets(known(text))
}

/** Only the known secrets: for encoded payloads, where credential-shaped patterns would corrupt the data. */
export function knownScrubber(secrets: readonly string[]): Scrub {
  const variants = secretVariants(secrets)
  return (text) => {
    let out = text
    for (const v of variants) out = out.split(v).join(REDACTED)
    return out
  }
}

/** The step's log: every line is scrubbed of the secrets before it is written. */
export class Log {
  constructor(
    private readonly write: (text: string) => void,
    readonly scrub: Scrub,
    private readonly scrubKnown: Scrub = scrub,
  ) {}

  line(text: string): void {
    this.write(`${this.scrub(text).replace(/[\r\n]+/g, ' ')}\n`)
  }

  /** `build-timings: …`: the prefix users grep for. */
  say(text: string): void {
    this.line(`build-timings: ${text}`)
  }

  /** An encoded payload (the card escape sequence): only the known secrets' forms are scrubbed. */
  raw(text: string): void {
    this.write(this.scrubKnown(text))
  }

  /** A block (CSV) written as is, after scrubbing. */
  block(text: string): void {
    const scrubbed = this.scrub(text)
    this.write(scrubbed.endsWith('\n') ? scrubbed : `${scrubbed}\n`)
  }
}
