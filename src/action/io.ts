import * as core from '@actions/core'
import type { UseCaseLog } from '../app/ports.js'
import { errorMessage } from '../core/errors.js'
import { redactor, safeLine } from '../core/sanitize.js'
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
  // Every line the action prints goes through here (README "The registry"): controls out, credential shapes and the token
  // out, whatever message carried them (an error echoing GITHUB_API_URL, a phase, a registry path).
  let known: string[] = []
  let line = (text: string): string => safeLine(text)
  let block = redactor([], { heuristics: false })
  // A line of ours that began with '::' would be run as a workflow command (set-output, add-mask…).
  const say = (text: string): string =>
    text
      .split('\n')
      .map((l) => line(l).replace(/^(\s*)::/, '$1› ::'))
      .join('\n')
  return {
    env,
    now,
    input: (name) => core.getInput(name),
    state: (name) => core.getState(name),
    saveState: (name, value) => core.saveState(name, value),
    setOutput: (name, value) => core.setOutput(name, value),
    setSecret: (value) => {
      core.setSecret(value)
      known = [...known, value]
      line = (text) => safeLine(text, known)
      block = redactor(known, { heuristics: false })
    },
    info: (text) => core.info(say(text)),
    notice: (text) => core.notice(say(text)),
    warning: (text) => core.warning(say(text)),
    setFailed: (message) => core.setFailed(say(message)),
    writeSummary: async (markdown) => {
      try {
        // The summary is rendered from cleaned rows and inert cells; the known secrets are checked once more.
        await core.summary.addRaw(block(markdown)).write()
      } catch (e) {
        core.info(say(`build-timings: no job summary (${errorMessage(e)})`))
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
