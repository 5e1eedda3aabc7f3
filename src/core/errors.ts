export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message
  if (typeof e === 'string') return e
  try {
    return JSON.stringify(e)
  } catch {
    return String(e)
  }
}

/** Bad user input: the message names the input and says how to fix it. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message)
    this.name = 'InputError'
  }
}

/** A registry file that does not parse as CSV: it is never rewritten. */
export class RegistryParseError extends Error {
  constructor(
    readonly location: string,
    detail: string,
  ) {
    super(`registry file ${location} is not valid CSV (${detail}); it was left untouched`)
    this.name = 'RegistryParseError'
  }
}
