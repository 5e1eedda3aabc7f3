// Shared by the benchmarks: a realistic registry generator and a peak-RSS probe for child processes.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

export const COLUMNS =
  'start_time_utc,end_time_utc,phase,env,build_id,duration_seconds,exit_code,flags,resources_added,resources_changed,resources_destroyed,log_path,status,source,repository,run_id,run_attempt,job_id,ref,sha,pr_number,runner,budget_target_seconds,budget_max_seconds,budget_status,cache_hits,cache_lookups,queue_seconds,row_id'

/** Realistic rows: 40 phases × 4 envs, GitHub-shaped context, budgets, a log path; a fixed seed. */
export async function generate(path, rows) {
  const out = createWriteStream(path)
  let seed = 7
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const phases = Array.from({ length: 40 }, (_, i) => `phase-${String(i).padStart(2, '0')}`)
  const envs = ['ci', 'development', 'staging', 'production']
  const verdicts = ['ok', 'ok', 'ok', 'over_target', 'over_max', 'timeout']
  const t0 = Date.UTC(2025, 0, 1)
  out.write(`${COLUMNS}\n`)
  let buf = ''
  for (let i = 0; i < rows; i++) {
    const phase = phases[i % 40]
    const env = envs[Math.floor(i / 40) % 4]
    const startMs = t0 + i * 30_000
    const d = Math.round(30 + rand() * 1200)
    const start = new Date(startMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const end = new Date(startMs + d * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const ok = rand() > 0.1
    const run = 9_000_000_000 + i
    buf += `${start},${end},${phase},${env},${run},${d},${ok ? 0 : 1},,,,,logs/build-timings/${phase}-${run}.log,${ok ? 'success' : 'failure'},github,acme/widgets,${run},1,${40_000_000_000 + i},refs/heads/main,${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}5b1c0e9a1f4d2c3b4a5968778695a4b3c2d1e0f,,ubuntu-24.04,600,900,${verdicts[i % 6]},3,4,${Math.round(rand() * 20)},gh/acme/widgets/${run}/1/${40_000_000_000 + i}/${phase}\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.end(buf)
  await once(out, 'finish')
}

/** Preloaded into a measured process: prints its peak RSS (getrusage maxrss, KiB) to stderr at exit. */
export const HOOK = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nBENCH_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'))`

export function peakRssMb(stderr) {
  return Number(/BENCH_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN) / 1024
}
