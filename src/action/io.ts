import * as core from '@actions/core'
import type { UseCaseLog } from '../app/ports.js'
import { errorMessage } from '../core/errors.js'
import type { Input, Output, State } from './constants.js'

/**
 * Everything a stage touches of the runner: inputs, state, outputs, annotations, the job summary, the
 * environment and the clock. The bundles use toolkitIO(); tests pass plain values (__tests__/action/).
 */
export interface ActionIO {
  env: NodeJS.ProcessEnv
  now(): Date
  input(name: Input): string
  state(name: State): string
  saveState(name: State, value: string): void
  setOutput(name: Output, value: string): void
  setSecret(value: string): void
  info(line: string): void
  notice(line: string): void
  warning(line: string): void
  setFailed(message: string): void
  writeSummary(markdown: string): Promise<void>
}

export function toolkitIO(
  env: NodeJS.ProcessEnv = process.env,
  now: () => Date = () => new Date(),
): ActionIO {
  return {
    env,
    now,
    input: (name) => core.getInput(name),
    state: (name) => core.getState(name),
    saveState: (name, value) => core.saveState(name, value),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (value) => core.setSecret(value),
    info: (line) => core.info(line),
    notice: (line) => core.notice(line),
    warning: (line) => core.warning(line),
    setFailed: (message) => core.setFailed(message),
    writeSummary: async (markdown) => {
      try {
        await core.summary.addRaw(markdown).write()
      } catch (e) {
        core.info(`build-timings: no job summary (${errorMessage(e)})`)
      }
    },
  }
}

/** The use cases' log as the action shows it: every line prefixed, notices and warnings as annotations. */
export function actionLog(io: ActionIO): UseCaseLog {
  return {
    info: (line) => io.info(`build-timings: ${line}`),
    notice: (line) => io.notice(`build-timings: ${line}`),
    warning: (line) => io.warning(`build-timings: ${line}`),
  }
}
