import type { Row } from '../schema.js'
import { cell, seconds, statusText, table, verdictText } from './markdown.js'
import { renderRowCsv } from './summary.js'

/**
 * The job summary of `mode: run`: one line per recorded job of the run, and the rows as CSV when they are
 * not in the registry. Every name is inert (a job name comes from the workflow file or a matrix value, so
 * it is user text: docs/security.md).
 */
export function renderRunSummary(runId: string, rows: readonly Row[], notWritten: string | null): string {
  const lines = rows.map((r) => [
    cell(r.phase),
    statusText(r.status),
    seconds(Number(r.duration_seconds)),
    verdictText(r.budget_status),
  ])
  let md = `### ⏱️ build-timings: run ${cell(runId)} (${rows.length} job${rows.length === 1 ? '' : 's'})\n\n`
  md += `${table(['job', 'status', 'duration', 'budget'], ['l', 'l', 'r', 'l'], lines)}\n`
  if (notWritten) md += `\n${renderRowCsv(rows, notWritten)}`
  return md
}
