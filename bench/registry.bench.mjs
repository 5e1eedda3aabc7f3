// One append to a registry with 10,000 / 100,000 / 1,000,000 rows of history, for the three stores
// (`file:`, `git:`, `github:` against the local GitHub server over a real bare repository), side by side:
// "bounded" is this tree's stores (latest/ + history/ segments; file: appends in place), "rewrite" is the
// stores of REWRITE_REF (default: the commit before the bounded registry), which read and rewrite the whole
// file. Each append runs in its own process (peak RSS is that process's getrusage maxrss); the time is the
// store's append() alone. For github: also the requests, bytes uploaded and the largest single answer.
//
//   node bench/registry.bench.mjs                 # 10k, 100k, 1M
//   SIZES=10000,100000 RUNS=3 node bench/registry.bench.mjs
//   LAYOUTS=bounded RUNS=7 node bench/registry.bench.mjs   # this tree's stores only, more runs
//
// The generated history is cached in $BENCH_CACHE (default: the temp dir) and reused by later runs.
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { copyFile, mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import ts from 'typescript'
import { COLUMNS, generate, HOOK, peakRssMb } from './lib.mjs'

const ROOT = resolve(import.meta.dirname, '..')
const SIZES = (process.env.SIZES ?? '10000,100000,1000000').split(',').map(Number)
const RUNS = Number(process.env.RUNS ?? 3)
const KINDS = (process.env.KINDS ?? 'file,git,github').split(',')
const LAYOUTS = (process.env.LAYOUTS ?? 'rewrite,bounded').split(',')
const REWRITE_REF = process.env.REWRITE_REF ?? 'c5428cd'
const CACHE = process.env.BENCH_CACHE ?? join(tmpdir(), 'build-timings-bench-cache')
const BUILD = join(ROOT, 'bench', '.build')
const SEGMENT_BYTES = 1024 * 1024
/** GitHub's contents API ends at 100 MB: the rewrite approach cannot run there at all. */
const GITHUB_FILE_LIMIT = 100 * 1024 * 1024
const BRANCH = 'governance-registry'
const LATEST = 'environments/ci/latest/build_timings.csv'

/** Type-strips a source tree into BUILD/name (inside the repository, so node_modules resolves). */
function transpile(srcRoot, name, dirs) {
  const out = join(BUILD, name)
  for (const dir of dirs) {
    const walk = (d) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, entry.name)
        if (entry.isDirectory()) walk(p)
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
          const js = ts.transpileModule(readFileSync(p, 'utf8'), {
            compilerOptions: {
              module: ts.ModuleKind.ESNext,
              target: ts.ScriptTarget.ES2022,
              verbatimModuleSyntax: false,
            },
          }).outputText
          const target = join(out, relative(srcRoot, p)).replace(/\.ts$/, '.js')
          mkdirSync(dirname(target), { recursive: true })
          writeFileSync(target, js)
        }
      }
    }
    walk(join(srcRoot, dir))
  }
  return out
}

function prepareCode() {
  const bounded = transpile(ROOT, 'bounded', ['src', '__tests__/support'])
  const oldSrc = join(BUILD, 'rewrite-src')
  mkdirSync(oldSrc, { recursive: true })
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${REWRITE_REF} src | tar -x -C "${oldSrc}"`])
  const rewrite = transpile(oldSrc, 'rewrite', ['src'])
  return { bounded, rewrite }
}

/** The history file (cached), and its rows cut into segments of at most 1 MiB with latest/ half full. */
async function prepareHistory(rows) {
  mkdirSync(CACHE, { recursive: true })
  const csv = join(CACHE, `history-${rows}.csv`)
  if (!existsSync(csv)) await generate(csv, rows)
  const segDir = join(CACHE, `segments-${rows}`)
  if (!existsSync(join(segDir, 'done'))) {
    rmDir(segDir)
    mkdirSync(join(segDir, 'history'), { recursive: true })
    const header = `${COLUMNS}\n`
    const lines = createInterface({ input: createReadStream(csv), crlfDelay: Infinity })
    const total = statSync(csv).size
    let first = true
    let buf = []
    let bytes = header.length
    let offset = 0
    let inLatest = false
    const flush = (path) => {
      writeFileSync(path, header + buf.join(''))
      buf = []
      bytes = header.length
    }
    const segment = () =>
      flush(join(segDir, 'history', `${buf.at(-1).slice(0, 20).replace(/[-:]/g, '')}.csv`))
    for await (const line of lines) {
      const l = `${line}\n`
      offset += l.length
      if (first) {
        first = false
        continue
      }
      // The last half MiB of rows stays in latest/, as in a registry between two rotations.
      if (!inLatest && offset > total - SEGMENT_BYTES / 2) {
        if (buf.length) segment()
        inLatest = true
      }
      if (!inLatest && bytes + l.length > SEGMENT_BYTES) segment()
      buf.push(l)
      bytes += l.length
    }
    flush(join(segDir, 'latest.csv'))
    writeFileSync(join(segDir, 'done'), '')
  }
  return { csv, segDir }
}

function rmDir(p) {
  execFileSync('rm', ['-rf', p])
}

/** Writes the branch into a git dir: one latest/ blob (rewrite) or history segments plus latest/ (bounded). */
function populate(gitDir, layout, history) {
  const env = { ...process.env, GIT_DIR: gitDir, GIT_INDEX_FILE: join(gitDir, 'bench-index') }
  const files =
    layout === 'rewrite'
      ? [[history.csv, LATEST]]
      : [
          ...readdirSync(join(history.segDir, 'history')).map((n) => [
            join(history.segDir, 'history', n),
            `environments/ci/history/${n}`,
          ]),
          [join(history.segDir, 'latest.csv'), LATEST],
        ]
  const shas = execFileSync('git', ['hash-object', '-w', '--stdin-paths'], {
    env,
    input: files.map((f) => f[0]).join('\n'),
    maxBuffer: 1 << 26,
  })
    .toString()
    .trim()
    .split('\n')
  execFileSync('git', ['read-tree', '--empty'], { env })
  execFileSync('git', ['update-index', '--index-info'], {
    env,
    input: files.map((f, i) => `100644 ${shas[i]}\t${f[1]}`).join('\n'),
  })
  const tree = execFileSync('git', ['write-tree'], { env }).toString().trim()
  const commit = execFileSync('git', ['commit-tree', tree, '-m', 'seed'], {
    env: {
      ...env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@x',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@x',
    },
  })
    .toString()
    .trim()
  execFileSync('git', ['update-ref', `refs/heads/${BRANCH}`, commit], { env })
}

const CHILD = `
const [code, kind, target, n, url] = process.argv.slice(1)
const { buildRow } = await import(code + '/src/core/row.js')
const row = buildRow({ source: 'cli', phase: 'bench', env: 'ci', buildId: 'b' + n,
  start: new Date(Date.UTC(2026, 10, 30, 10, 0, Number(n))), end: new Date(Date.UTC(2026, 10, 30, 10, 5, Number(n))),
  exitCode: 0, status: 'success' })
let store
const net = { requests: 0, up: 0, down: 0, largest: 0 }
if (kind === 'file') {
  const { FileStore } = await import(code + '/src/registry/file.js')
  store = new FileStore(target)
} else if (kind === 'git') {
  const { GitStore } = await import(code + '/src/registry/git.js')
  store = new GitStore({ cwd: target, branch: '${BRANCH}' })
} else {
  const { Octokit } = await import('@octokit/rest')
  const client = new Octokit({ auth: 'ghs_bench', baseUrl: url, log: { debug() {}, info() {}, warn() {}, error() {} } })
  client.hook.wrap('request', async (request, options) => {
    const body = options.data ?? (options.content !== undefined ? options : undefined)
    const up = body === undefined ? 0 : Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body))
    const res = await request(options)
    const d = res.data
    const down = d == null ? 0 : typeof d === 'string' ? Buffer.byteLength(d) : d instanceof ArrayBuffer ? d.byteLength : Buffer.byteLength(JSON.stringify(d))
    net.requests++; net.up += up; net.down += down; net.largest = Math.max(net.largest, up, down)
    return res
  })
  const { GitHubContentsStore } = await import(code + '/src/registry/github-contents.js')
  store = new GitHubContentsStore({ client, owner: 'acme', repo: 'widgets', branch: '${BRANCH}',
    pathTemplate: 'environments/{env}/latest/build_timings.csv' })
}
const started = process.hrtime.bigint()
const out = await store.append('ci', [row], 'bench')
const ms = Number(process.hrtime.bigint() - started) / 1e6
if (out.appended.length !== 1) throw new Error('the row was not appended')
process.stdout.write(JSON.stringify({ ms, net }))
`

async function appendOnce(code, kind, target, n, url) {
  const child = spawn(
    process.execPath,
    ['--import', HOOK, '--input-type=module', '-e', CHILD, code, kind, target, String(n), url ?? ''],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const [status] = await once(child, 'close')
  if (status !== 0) throw new Error(`${kind} append exited ${status}: ${stderr.slice(-2000)}`)
  return { ...JSON.parse(stdout), rssMb: peakRssMb(stderr) }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)
const fmtBytes = (b) => (b >= 1 << 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`)

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load ${loadavg()[0].toFixed(1)} at start`
console.log(`machine: ${machine}`)
const code = prepareCode()
const { FakeGitHub } = await import(join(code.bounded, '__tests__/support/github-server.js'))
const work = await mkdtemp(join(tmpdir(), 'bt-registry-bench-'))
const results = []
let n = 0
try {
  for (const rows of SIZES) {
    const history = await prepareHistory(rows)
    const size = statSync(history.csv).size
    for (const kind of KINDS) {
      for (const layout of LAYOUTS) {
        const runs = layout === 'rewrite' && rows >= 1_000_000 ? 1 : RUNS
        if (kind === 'github' && layout === 'rewrite' && size > GITHUB_FILE_LIMIT) {
          results.push({
            rows,
            kind,
            layout,
            skipped: `cannot run: the file (${fmtBytes(size)}) is past the contents API's 100 MB`,
          })
          console.log(`${rows} ${kind} ${layout}: skipped (past 100 MB)`)
          continue
        }
        let target
        let gh = null
        if (kind === 'file') {
          target = join(work, `${layout}-${rows}.csv`)
          await copyFile(history.csv, target)
        } else if (kind === 'git') {
          target = join(work, `${layout}-${rows}.git`)
          execFileSync('git', ['init', '-q', '--bare', target])
          populate(target, layout, history)
        } else {
          gh = await FakeGitHub.start()
          gh.addToken('ghs_bench', { contents: 'write' })
          // Parsing a large file takes the rewrite approach longer than node's 5 s keep-alive: its PUT would
          // go out on a socket the server has closed.
          gh.server.keepAliveTimeout = 600_000
          populate(gh.gitDir, layout, history)
        }
        const samples = []
        let failed = null
        try {
          for (let r = 0; r < runs; r++)
            samples.push(await appendOnce(code[layout], kind, target, ++n, gh?.url))
        } catch (e) {
          failed = /fetch failed|EPIPE|ECONNRESET/.test(e.message)
            ? 'the local server dropped the upload'
            : e.message.split('\n')[0].slice(0, 200)
        } finally {
          await gh?.close()
          if (kind === 'git') rmDir(target)
          else if (kind === 'file') await rm(target, { force: true })
        }
        if (failed) {
          results.push({ rows, kind, layout, skipped: `failed: ${failed}` })
          console.log(`${rows} ${kind} ${layout}: failed: ${failed}`)
          continue
        }
        const result = {
          rows,
          kind,
          layout,
          runs,
          ms: median(samples.map((s) => s.ms)),
          rssMb: Math.max(...samples.map((s) => s.rssMb)),
          ...(kind === 'github'
            ? {
                requests: median(samples.map((s) => s.net.requests)),
                upBytes: median(samples.map((s) => s.net.up)),
                downBytes: median(samples.map((s) => s.net.down)),
                largestBytes: Math.max(...samples.map((s) => s.net.largest)),
              }
            : {}),
        }
        results.push(result)
        console.log(JSON.stringify(result))
      }
    }
  }
} finally {
  await rm(work, { recursive: true, force: true })
}

const lines = [
  '| rows of history | store | rewrite: append | rewrite: peak RSS | bounded: append | bounded: peak RSS | rewrite ÷ bounded (time) | github: requests, uploaded, largest answer (rewrite → bounded) |',
  '|---|---|---|---|---|---|---|---|',
]
for (const rows of SIZES) {
  for (const kind of KINDS) {
    const old = results.find((r) => r.rows === rows && r.kind === kind && r.layout === 'rewrite')
    const neu = results.find((r) => r.rows === rows && r.kind === kind && r.layout === 'bounded')
    if (!neu || neu.skipped) {
      lines.push(
        `| ${rows.toLocaleString('en-US')} | ${kind} | ${old?.skipped ?? ''} | | ${neu?.skipped ?? ''} | | | |`,
      )
      continue
    }
    const gone = !old || old.skipped
    const net =
      kind === 'github'
        ? `${gone ? 'n/a' : `${old.requests}, ${fmtBytes(old.upBytes)}, ${fmtBytes(old.largestBytes)}`} → ${neu.requests}, ${fmtBytes(neu.upBytes)}, ${fmtBytes(neu.largestBytes)}`
        : ''
    lines.push(
      `| ${rows.toLocaleString('en-US')} | ${kind} | ${gone ? (old?.skipped ?? '') : fmtMs(old.ms)} | ${gone ? '' : `${old.rssMb.toFixed(0)} MiB`} | ${fmtMs(neu.ms)} | ${neu.rssMb.toFixed(0)} MiB | ${gone ? '' : `${(old.ms / neu.ms).toFixed(1)}×`} | ${net} |`,
    )
  }
}
console.log(`\n${lines.join('\n')}`)
const out = join(ROOT, 'bench', 'results', `registry${LAYOUTS.length === 1 ? `-${LAYOUTS[0]}` : ''}.json`)
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), machine, rewriteRef: REWRITE_REF, runs: RUNS, results }, null, 2)}\n`,
)
console.log(`\nwritten: ${relative(ROOT, out)}`)
