import { rowsAsCsv } from '../csv.js'
import type { Row } from '../schema.js'
import { humanDuration } from '../time.js'

/** The job summary of `mode: run`: one line per job, and the rows as CSV when they are not in the registry. */
export function renderRunSummary(runId: string, rows: readonly Row[], notWritten: string | null): string {
  const lines = rows.map(
    (r) =>
      `| ${r.phase.replace(/\|/g, '\\|')} | ${r.status} | ${humanDuration(Number(r.duration_seconds))} | ${r.budget_status} |`,
  )
  let md = `### build-timings: run ${runId} (${rows.length} jobs)\n\n| job | status | duration | budget |\n|---|---|---:|---|\n${lines.join('\n')}\n`
  if (notWritten)
    md += `\nNot written to the registry: ${notWritten}\n\n\`\`\`csv\n${rowsAsCsv(rows)}\`\`\`\n`
  return md
}
