import {
  redactSecrets,
  REDACTED,
  secretVariants,
  stripControls,
  stripTerminalEscapes,
} from '../core/sanitize.js'

export { secretVariants }

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
    this.write(`${this.scrub(stripControls(text))}\n`)
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
    const scrubbed = this.scrub(stripTerminalEscapes(text))
    this.write(scrubbed.endsWith('\n') ? scrubbed : `${scrubbed}\n`)
  }
}
