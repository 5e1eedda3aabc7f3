import { join } from 'node:path'
import { recordTiming, type RecordRequest, type RecordResult } from '../app/record.js'
import { storeSpool } from '../app/spool.js'
import { rowsAsCsv } from '../core/csv.js'
import { humanDuration } from '../core/time.js'
import { FileStore } from '../registry/file.js'
import { say, type CliIO } from './io.js'
import { SPOOL_PATH, type CliTelemetry } from './options.js'
import { sendJobTelemetry } from '../telemetry/job.js'
import { VERSION } from './version.js'

/**
 * Records a row fail-open: when the registry refuses it, the row goes to the spool file (a `file:` registry
 * itself, so `push --from file:.build-timings/spool.csv` publishes it later) and the trouble is one line on
 * stderr. Then one summary line: phase, status, duration, verdict and where the row went.
 */
export async function recordAndTell(
  req: RecordRequest,
  io: CliIO,
  registrySpec: string,
  telemetry?: CliTelemetry,
): Promise<RecordResult> {
  const spool = new FileStore(join(io.cwd, SPOOL_PATH), { label: `file:${SPOOL_PATH}` })
  const result = await recordTiming({ ...req, spool: storeSpool(spool, SPOOL_PATH) })
  const { row } = result
  let where: string
  if (result.problem) {
    const problem = result.problem.replace(/\.$/, '')
    if (result.kept?.where) {
      where = `kept in ${SPOOL_PATH}`
      say(
        io.stderr,
        `${problem}; row kept in ${SPOOL_PATH} (publish it later: build-timings push --from file:${SPOOL_PATH} --to ${registrySpec})`,
      )
    } else {
      where = 'not kept'
      const csv = rowsAsCsv([row]).trimEnd().split('\n')[1] ?? ''
      say(
        io.stderr,
        `${problem}; the spool ${SPOOL_PATH} failed too (${result.kept?.error ?? ''}); the row: ${csv}`,
      )
    }
  } else if (result.outcome && result.outcome.appended.length === 0) {
    where = `already in ${result.outcome.location} (same row_id: phase, env, build id and start time)`
  } else {
    where = `recorded in ${result.outcome?.location ?? registrySpec}${result.outcome?.commit ? ` (${result.outcome.commit.slice(0, 7)})` : ''}`
  }
  const budget =
    result.verdict === 'none'
      ? 'no budget'
      : `budget ${result.verdict} (target ${result.budget?.target !== undefined ? humanDuration(result.budget.target) : '–'}, max ${result.budget?.max !== undefined ? humanDuration(result.budget.max) : '–'})`
  say(
    io.stderr,
    `${row.phase} [${row.env}] ${row.status} in ${humanDuration(Number(row.duration_seconds))} (exit ${row.exit_code}), ${budget}; row ${where}`,
  )
  if (result.outcome?.droppedColumns.length) {
    say(
      io.stderr,
      `note: ${result.outcome.location} has an older header; not stored there: ${result.outcome.droppedColumns.join(', ')}`,
    )
  }
  if (telemetry) await exportRow(result, req, io, telemetry)
  return result
}

/** docs/export.md: the row to the `--export` targets and, when it went wrong, one `--alert-webhook` message. */
async function exportRow(
  result: RecordResult,
  req: RecordRequest,
  io: CliIO,
  telemetry: CliTelemetry,
): Promise<void> {
  const sent = await sendJobTelemetry(
    telemetry.config,
    {
      row: result.row,
      regression: result.regression,
      regressionThreshold: req.budgets.regression.threshold,
      cache: result.cache,
      hitRateAlert: req.budgets.cache.hitRateAlert,
      flaky: result.flaky,
    },
    { maxWaitSeconds: telemetry.maxWaitSeconds, version: VERSION, secrets: req.event.secrets },
  )
  for (const warning of sent.warnings) say(io.stderr, warning)
}
