import type { RecordResult } from '../app/record.js'
import { rowsAsCsv } from '../core/csv.js'
import type { JobTiming } from './job-timing.js'

export function jobSummary(
  result: RecordResult,
  _timing: JobTiming | null,
  notes: { skipped: string | null; problem: string | null; commentNote: string | null },
): string {
  const { row } = result
  const lines = [
    `## build-timings: ${row.phase}`,
    '',
    `${row.status} in ${row.duration_seconds}s — budget ${result.verdict}`,
    '',
  ]
  if (notes.skipped || notes.problem)
    lines.push(`> ${notes.problem ?? notes.skipped}`, '', '```csv', rowsAsCsv([row]).trimEnd(), '```', '')
  return lines.join('\n')
}
