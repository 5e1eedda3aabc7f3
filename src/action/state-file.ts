import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'

/**
 * Saves a state value the way @actions/core's saveState does (the runner's GITHUB_STATE file protocol,
 * `name<<delimiter`), without loading @actions/core: pre must stay the smallest bundle, and the toolkit
 * brings an HTTP client with it (~490 KB against ~2 KB).
 */
export function saveStateValue(name: string, value: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = env.GITHUB_STATE
  if (!file) {
    process.stdout.write(`::save-state name=${name}::${value}${EOL}`)
    return
  }
  const delimiter = `ghadelimiter_${randomUUID()}`
  try {
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8')
  } catch (e) {
    // pre must never fail the job (README "The GitHub Action"): without the saved start, post estimates it and says so.
    const code = (e as NodeJS.ErrnoException).code ?? 'error'
    process.stdout.write(
      `::warning::build-timings: could not save the job's start time (GITHUB_STATE: ${code}); post will estimate it from the Jobs API or main${EOL}`,
    )
  }
}
