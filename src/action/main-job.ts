import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBudgetsIn } from '../app/budgets-file.js'
import { registryPath } from '../core/env.js'
import { State } from './constants.js'
import { readRunContext } from './context.js'
import { parseInputs } from './inputs.js'
import { actionLog, toolkitIO, type ActionIO } from './io.js'
import { recordRunStage } from './run-mode.js'
import { runStage } from './stage.js'
import { startSampling } from '../telemetry/sampler.js'

/**
 * main: check the inputs and the budgets file early, where a mistake is cheap to see, and note a start time
 * when pre did not run (local `uses: ./` actions get no pre). `mode: run` records the whole run here.
 */
export async function runMain(io: ActionIO = toolkitIO()): Promise<void> {
  await runStage(io, async (io, secrets) => {
    if (!io.state(State.PreStart)) io.saveState(State.MainStart, io.now().toISOString())
    const inputs = parseInputs((name) => io.input(name), io.env)
    const log = actionLog(io)
    for (const warning of inputs.warnings) log.warning(warning)
    if (inputs.token) {
      io.setSecret(inputs.token)
      secrets.push(inputs.token)
    }
    const ctx = readRunContext(io.env)
    if (inputs.mode === 'run') return recordRunStage(io, inputs, ctx)
    // Resources per job (docs/export.md): post stops the sampler and reads the counters again.
    if (!io.state(State.Sampler))
      io.saveState(
        State.Sampler,
        startSampling(join(ctx.runnerTemp || tmpdir(), 'build-timings'), io.env.HOST_PROC),
      )
    const { owner, repo, branch, pathTemplate } = inputs.registry
    const target = `${owner}/${repo}@${branch}:${registryPath(pathTemplate, inputs.env)}`
    if (inputs.dryRun)
      log.info(`dry run — "${inputs.phase}" will be judged and reported, not written (${target})`)
    else if (ctx.readOnlyReason)
      log.info(
        `${ctx.readOnlyReason}; the row will be shown in the job summary instead of written to ${target}`,
      )
    else log.info(`"${inputs.phase}" will be recorded in ${target} when the job ends`)
    // README "The GitHub Action": a budgets-file problem is one warning per job, and post gives it; here it is only a log line.
    const budgets = await loadBudgetsIn(ctx.workspace, inputs.budgetsFile, { warning: log.info })
    if (!budgets.warning && budgets.found) log.info(`budgets from ${inputs.budgetsFile}`)
    return null
  })
}
