// The report's per-phase figures answered by DuckDB over the same CSV file: what bench/report.bench.mjs
// measures `build-timings report` against. Prints the groups as JSON (phase, env, runs, p50, p90, p95, max).
//
//   node bench/duckdb-report.mjs FILE.csv
import { DuckDBInstance } from '@duckdb/node-api'

const file = process.argv[2]
if (!file) throw new Error('usage: node bench/duckdb-report.mjs FILE.csv')
const db = await DuckDBInstance.create(':memory:')
const con = await db.connect()
const quoted = `'${file.replace(/'/g, "''")}'`
const result = await con.runAndReadAll(`
  with r as (
    select phase, env, status, budget_status, start_time_utc,
           try_cast(duration_seconds as double) as d
    from read_csv(${quoted}, header = true, all_varchar = true)
  )
  select phase, env, count(*)::integer as runs,
         (count(*) filter (where status = 'success'))::integer as successes,
         quantile_cont(d, [0.5, 0.9, 0.95]) as q, max(d) as max,
         arg_max(d, start_time_utc) as last_duration,
         (count(*) filter (where budget_status = 'over_max'))::integer as over_max
  from r group by phase, env order by env, phase`)
const groups = result.getRowObjectsJS().map((g) => ({
  phase: g.phase,
  env: g.env,
  runs: g.runs,
  successes: g.successes,
  p50: g.q[0],
  p90: g.q[1],
  p95: g.q[2],
  max: g.max,
}))
process.stdout.write(`${JSON.stringify({ groups })}\n`)
