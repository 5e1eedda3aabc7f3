// What a broken export target costs (docs/export.md: at most max-wait, never the exit code or the row): the
// committed CLI bundle records one row with `--export` to a local target that answers normally, answers 503,
// or never answers, for max-wait 3s and the default 30s; wall time of the whole `record` process.
//
//   node bench/export.bench.mjs
/* global fetch */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const CLI = join(ROOT, 'dist/cli/index.js')
let behaviour = 'ok'
const hanging = []
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    if (behaviour === 'silent') return hanging.push(res)
    res.statusCode = behaviour === '5xx' ? 503 : 200
    res.end()
  })
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const url = `http://127.0.0.1:${server.address().port}`
void fetch

function record(dir, i, maxWait) {
  const args = [CLI, 'record', '--registry', `file:${join(dir, 'r.csv')}`, '--phase', `p${i}`, '--env', 'ci']
  args.push('--start', '2026-11-30T10:00:00Z', '--end', '2026-11-30T10:01:00Z', '--exit-code', '0')
  args.push('--export', `pushgateway+${url}`, '--export', `otlp+${url}`)
  if (maxWait) args.push('--max-wait', maxWait)
  const t0 = Date.now()
  return new Promise((done) =>
    execFile(process.execPath, args, { cwd: dir }, (err) =>
      done({ ms: Date.now() - t0, code: err ? err.code : 0 }),
    ),
  )
}

console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
)
const dir = mkdtempSync(join(tmpdir(), 'bt-export-bench-'))
let i = 0
try {
  for (const maxWait of ['3s', undefined]) {
    for (const b of ['ok', '5xx', 'silent']) {
      behaviour = b
      const r = await record(dir, i++, maxWait)
      const rows = readFileSync(join(dir, 'r.csv'), 'utf8').trim().split('\n').length - 1
      console.log(
        `max-wait ${maxWait ?? '30s (default)'}, target ${b}: ${r.ms} ms, exit ${r.code}, rows in registry ${rows}`,
      )
      for (const res of hanging.splice(0)) res.destroy()
    }
  }
} finally {
  server.close()
  rmSync(dir, { recursive: true, force: true })
}
