import type { RecordResult } from '../app/record.js'
import { rowsAsCsv } from '../core/csv.js'
import { errorMessage } from '../core/errors.js'
import { humanDuration } from '../core/time.js'
import { httpError } from '../github/octokit.js'
import { buildCard, writeCard } from './card.js'
import type { PluginContext } from './context.js'
import type { StepTiming } from './drone-api.js'
import type { Log } from './output.js'
import type { PluginDeps } from './deps.js'

export function verdictText(result: RecordResult): string {
  const b = result.budget
  if (result.verdict === 'none' || !b) return 'no budget'
  const parts = [
    b.target !== undefined ? `target ${humanDuration(b.target)}` : '',
    b.max !== undefined ? `max ${humanDuration(b.max)}` : '',
    b.timeout !== undefined ? `timeout ${humanDuration(b.timeout)}` : '',
  ].filter(Boolean)
  return `budget ${result.verdict} (${parts.join(', ')})`
}

export function commentProblem(e: unknown, pr: number): string {
  const h = httpError(e)
  if (h?.status === 403 || h?.status === 404) {
    return `could not comment on PR #${pr} (${h.status}): give the github_token pull-requests write (or issues write) on the pipeline's repository`
  }
  return `could not comment on PR #${pr}: ${errorMessage(e)}`
}

export interface Timings {
  steps: StepTiming[]
  failed: boolean
  queueSeconds: number | null
}

/** The one summary line of the step, then the regression and the slowest steps when there are any. */
export function tellTiming(ctx: PluginContext, result: RecordResult, timings: Timings, log: Log): void {
  const { ci } = ctx
  const { row } = result
  const where = `${ci.platform} ${ci.repo || '?'} build ${ci.buildNumber || '?'} stage ${ci.stageNumber || '?'}`
  const cache = result.cache.lookups
    ? `, cache ${result.cache.hits}/${result.cache.lookups}${result.cache.verdict === 'none' ? '' : ` ${result.cache.verdict}`}`
    : ''
  log.say(
    `${row.phase} ${row.env} ${row.status} in ${humanDuration(Number(row.duration_seconds))}, ${verdictText(result)}${cache} (${where}, start from ${ci.startFrom ?? 'nowhere: unknown'}, status from ${timings.failed ? 'the Drone API' : ci.statusFrom})`,
  )
  if (result.regression.regressed && result.regression.change !== null) {
    log.say(
      `${row.phase} is ${Math.round(result.regression.change * 100)}% slower than the median of its last ${result.regression.sample} successful runs`,
    )
  }
  if (timings.steps.length) {
    const total = timings.steps.reduce((s, t) => s + t.seconds, 0)
    const ranked = [...timings.steps].sort((a, b) => b.seconds - a.seconds).slice(0, 8)
    log.say(
      `steps: ${ranked.map((t) => `${t.name} ${humanDuration(t.seconds)}${total ? ` (${Math.round((t.seconds / total) * 100)}%)` : ''}`).join(', ')}`,
    )
  }
}

/** Where the row went: the problem and the row as CSV, the dry run and the row, or the registry. */
export function tellWhere(result: RecordResult, problem: string | null, dryRun: boolean, log: Log): void {
  const { row, outcome: recorded } = result
  if (problem) {
    log.say(`${problem.replace(/[.\s]+$/, '')}. The row is below as CSV.`)
    log.block(rowsAsCsv([row]))
  } else if (dryRun) {
    log.say('dry run: nothing was written to the registry. The row is below as CSV.')
    log.block(rowsAsCsv([row]))
  } else if (recorded) {
    if (recorded.appended.length) {
      log.say(
        `recorded in ${recorded.location}${recorded.commit ? ` (commit ${recorded.commit.slice(0, 7)})` : ''}`,
      )
    } else {
      log.say(`already recorded in ${recorded.location} (row ${row.row_id})`)
    }
    if (recorded.droppedColumns.length) {
      log.say(`the registry file has an older header: ${recorded.droppedColumns.join(', ')} were not stored`)
    }
  }
}

/** Drone's card (the UI's step summary); its trouble is one line. */
export function tellCard(
  ctx: PluginContext,
  result: RecordResult,
  steps: StepTiming[],
  deps: PluginDeps,
  log: Log,
): void {
  const { ci, settings } = ctx
  if (ci.platform !== 'drone' || !ci.cardPath) return
  try {
    const card = buildCard({
      row: result.row,
      cache: result.cache,
      change: result.regression.change,
      registry: result.outcome?.location ?? (settings.dryRun ? 'dry run' : 'not recorded'),
      steps,
    })
    writeCard(ci.cardPath, card, { writeStdout: (t) => log.raw(t), writeFile: deps.writeFile }, log.scrub)
  } catch (e) {
    log.say(`could not write the card to ${ci.cardPath}: ${errorMessage(e)}`)
  }
}
