import * as core from '@actions/core'
import { resolve } from 'node:path'
import { loadBudgetsFile } from '../app/budgets-file.js'
import { registryPath } from '../core/env.js'
import { errorMessage } from '../core/errors.js'
import { State } from './constants.js'
import { readRunContext } from './context.js'
import { parseInputs } from './inputs.js'
import { recordRun } from './run-mode.js'

/**
 * main: check the inputs and the budgets file early, where a mistake is cheap to see, and note a start time
 * when pre did not run (local `uses: ./` actions get no pre, FACTS). Never fails the job.
 */
export async function runMain(
  env: NodeJS.ProcessEnv = process.env,
  now: () => Date = () => new Date(),
): Promise<void> {
  try {
    if (!core.getState(State.PreStart)) core.saveState(State.MainStart, now().toISOString())
    const inputs = parseInputs((name) => core.getInput(name), env)
    for (const warning of inputs.warnings) core.warning(`build-timings: ${warning}`)
    if (inputs.token) core.setSecret(inputs.token)
    const ctx = readRunContext(env)
    if (inputs.mode === 'run') {
      await recordRun(inputs, ctx, env)
      return
    }
    const { owner, repo, branch, pathTemplate } = inputs.registry
    const target = `${owner}/${repo}@${branch}:${registryPath(pathTemplate, inputs.env)}`
    if (inputs.dryRun)
      core.info(
        `build-timings: dry run — "${inputs.phase}" will be judged and reported, not written (${target})`,
      )
    else if (ctx.readOnlyReason)
      core.info(
        `build-timings: ${ctx.readOnlyReason}; the row will be shown in the job summary instead of written to ${target}`,
      )
    else core.info(`build-timings: "${inputs.phase}" will be recorded in ${target} when the job ends`)
    const budgets = await loadBudgetsFile(resolve(ctx.workspace, inputs.budgetsFile), inputs.budgetsFile)
    if (budgets.warning) core.warning(`build-timings: ${budgets.warning}`)
    else if (budgets.found) core.info(`build-timings: budgets from ${inputs.budgetsFile}`)
  } catch (e) {
    core.warning(`build-timings: ${errorMessage(e)}`)
  }
}
