import { errorMessage, InputError } from '../core/errors.js'
import { redactSecrets } from '../core/sanitize.js'
import type { ActionIO } from './io.js'

/** What a stage decided: the fail-on message when the job must fail, else null. */
export type StageVerdict = string | null

/**
 * The action's one exit policy: a stage never fails the job unless fail-on asks for it. Any trouble of our
 * own, a bad input included, becomes one warning (README: "It never breaks your build") and the job's
 * result is unchanged. `secrets` is filled by the stage as soon as it knows the token, so that no warning
 * can show it.
 */
export async function runStage(
  io: ActionIO,
  stage: (io: ActionIO, secrets: string[]) => Promise<StageVerdict>,
): Promise<void> {
  const secrets: string[] = []
  let failure: StageVerdict = null
  try {
    failure = await stage(io, secrets)
  } catch (e) {
    const what = e instanceof InputError ? errorMessage(e) : `unexpected problem: ${errorMessage(e)}`
    io.warning(`build-timings: ${redactSecrets(what, secrets)} — the job's result is unchanged.`)
    return
  }
  if (failure) io.setFailed(`build-timings: ${failure}`)
}
