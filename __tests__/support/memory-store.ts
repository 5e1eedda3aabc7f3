import { appendRows, parseRegistry } from '../../src/core/csv.js'
import type { Row } from '../../src/core/schema.js'
import {
  outcomeFrom,
  type AppendOutcome,
  type ReadFilter,
  type RegistryRead,
  type RegistryStore,
} from '../../src/registry/port.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The one in-memory registry store of the use-case tests: one CSV text per env (the real CSV rules of
 * core/csv.ts), a version that moves on every append. `delay()` is the milliseconds each read and append
 * waits first, to interleave concurrent jobs; `failWith` makes every call throw, like an unreachable store.
 */
export class MemoryStore implements RegistryStore {
  readonly label: string
  private readonly texts = new Map<string, string>()
  private version = 0
  failWith: unknown = null
  readonly appends: { env: string; rows: readonly Row[]; message: string }[] = []

  constructor(
    private readonly delay: () => number = () => 0,
    label = 'memory:',
  ) {
    this.label = label
  }

  async read(env: string, only?: ReadFilter): Promise<RegistryRead> {
    await sleep(this.delay())
    if (this.failWith) throw this.failWith
    const parsed = parseRegistry(this.texts.get(env) ?? '', this.label)
    const rows = only?.phase === undefined ? parsed.rows : parsed.rows.filter((r) => r.phase === only.phase)
    return { location: this.label, header: parsed.header, rows, version: String(this.version) }
  }

  async append(env: string, rows: readonly Row[], message: string): Promise<AppendOutcome> {
    await sleep(this.delay())
    if (this.failWith) throw this.failWith
    this.appends.push({ env, rows, message })
    const result = appendRows(this.texts.get(env) ?? '', rows, this.label)
    if (result.appended.length) {
      this.texts.set(env, result.text)
      this.version++
    }
    return outcomeFrom(this.label, result, result.appended.length ? `v${this.version}` : null)
  }

  text(env: string): string {
    return this.texts.get(env) ?? ''
  }
}

/** The one fake clock of the use-case tests: it stands still until told to move. */
export class FakeClock {
  constructor(private at: Date) {}
  now = (): Date => new Date(this.at)
  advance(seconds: number): void {
    this.at = new Date(this.at.getTime() + seconds * 1000)
  }
}
