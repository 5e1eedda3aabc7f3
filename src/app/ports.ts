/**
 * What a use case may say while it works. The door decides how each level is shown (an Actions
 * annotation, a pipeline log line, stderr); lines carry no product prefix.
 */
export interface UseCaseLog {
  info(line: string): void
  notice(line: string): void
  warning(line: string): void
}

/** The one clock of the use cases; tests pass a fake (__tests__/support/memory-store.ts). */
export type Clock = () => Date
