// Literal sample data shared by the render tests, the Mermaid rendering test and the screenshot.
import { parseBudgets, type Budgets } from '../../../src/core/budgets.js'
import { parseCacheHits, summariseCache } from '../../../src/core/cache.js'
import type { StoredRow } from '../../../src/core/csv.js'
import { emptyRow, type Row } from '../../../src/core/schema.js'
import { regression } from '../../../src/core/stats.js'
import { rankSteps, type JobStep } from '../../../src/core/steps.js'
import { renderComment } from '../../../src/core/render/comment.js'
import { renderSummary, type SummaryInput } from '../../../src/core/render/summary.js'

export const BUDGETS_YAML = `
defaults: { target: 10m, max: 15m }
phases:
  lint:       { target: 1m, max: 2m, timeout: 5m }
  unit-tests: { target: 2m, max: 3m, timeout: 10m }
  "e2e-*":    { target: 8m, max: 12m, timeout: 30m }
cache:
  hit-rate-target: 85%
  hit-rate-alert: 70%
regression:
  window: 20
  threshold: 50%
`
export const BUDGETS: Budgets = parseBudgets(BUDGETS_YAML, '.github/build-budgets.yml')

const REPO = 'acme/widgets'
const iso = (base: string, plusSeconds: number): string =>
  new Date(Date.parse(base) + plusSeconds * 1000).toISOString().replace(/\.000Z$/, 'Z')

export interface RowSpec {
  phase: string
  runId: number
  start: string
  duration: number
  status?: string
  budget?: [target: number | '', max: number | '', verdict: string]
  cache?: [hits: number, lookups: number]
}

export function row(spec: RowSpec): Row {
  const r = emptyRow()
  r.start_time_utc = spec.start
  r.end_time_utc = iso(spec.start, spec.duration)
  r.phase = spec.phase
  r.env = 'ci'
  r.build_id = String(spec.runId)
  r.duration_seconds = String(spec.duration)
  r.status = spec.status ?? 'success'
  r.exit_code = r.status === 'success' ? '0' : r.status === 'cancelled' ? '130' : '1'
  r.source = 'github'
  r.repository = REPO
  r.run_id = String(spec.runId)
  r.run_attempt = '1'
  r.job_id = String(spec.runId * 100 + spec.phase.length)
  r.budget_target_seconds = spec.budget ? String(spec.budget[0]) : ''
  r.budget_max_seconds = spec.budget ? String(spec.budget[1]) : ''
  r.budget_status = spec.budget?.[2] ?? 'none'
  r.cache_hits = spec.cache ? String(spec.cache[0]) : ''
  r.cache_lookups = spec.cache ? String(spec.cache[1]) : ''
  r.row_id = `gh/${REPO}/${spec.runId}/1/${r.job_id}/${spec.phase}`
  return r
}

/** Earlier runs, oldest first: run ids 1001…, one day apart; each list is one phase's durations. */
export const PAST_DURATIONS: Record<string, number[]> = {
  lint: [41, 44, 39, 45, 42, 40, 43, 44, 41, 42, 46, 40],
  'unit-tests': [118, 122, 115, 130, 119, 121, 117, 124, 120, 118, 123, 119],
  'e2e-chrome': [402, 415, 398, 420, 410, 405, 399, 412],
  'e2e-firefox': [455, 470, 448, 462, 458, 466, 451, 460],
  'build: docs #1': [60, 62, 58, 61],
}

export function pastRows(): StoredRow[] {
  const out: StoredRow[] = []
  for (const [phase, durations] of Object.entries(PAST_DURATIONS)) {
    durations.forEach((duration, i) => {
      out.push(
        row({
          phase,
          runId: 1001 + i,
          start: iso('2026-01-01T09:00:00Z', i * 86_400),
          duration,
          cache: [3, 3],
        }),
      )
    })
  }
  return out
}

export const RUN_ID = 2001
const RUN_START = '2026-01-24T10:00:00Z'

/** This run: a lint well within budget, unit tests over max, a regressed e2e job, a failed one, a new phase. */
export function runRows(): StoredRow[] {
  return [
    row({
      phase: 'unit-tests',
      runId: RUN_ID,
      start: RUN_START,
      duration: 192,
      budget: [120, 180, 'over_max'],
      cache: [2, 3],
    }),
    row({
      phase: 'lint',
      runId: RUN_ID,
      start: RUN_START,
      duration: 43,
      budget: [60, 120, 'ok'],
      cache: [3, 3],
    }),
    row({
      phase: 'e2e-chrome',
      runId: RUN_ID,
      start: RUN_START,
      duration: 655,
      budget: [480, 720, 'over_target'],
      cache: [1, 2],
    }),
    row({
      phase: 'e2e-firefox',
      runId: RUN_ID,
      start: RUN_START,
      duration: 463,
      status: 'failure',
      budget: [480, 720, 'ok'],
    }),
    row({ phase: 'build: docs #1', runId: RUN_ID, start: RUN_START, duration: 61, budget: [600, 900, 'ok'] }),
    row({
      phase: 'typecheck | strict',
      runId: RUN_ID,
      start: RUN_START,
      duration: 28,
      budget: [600, 900, 'ok'],
      cache: [1, 1],
    }),
  ]
}

export const T0 = RUN_START
const at = (s: number): string => iso(T0, s)

/** The ten steps of the unit-tests job (plus the running post step and the queued last one). */
export const UNIT_TEST_STEPS: JobStep[] = (
  [
    [1, 'Set up job', 'completed', 'success', 0, 2],
    [2, 'Run actions/checkout@v4', 'completed', 'success', 2, 5],
    [3, 'Run actions/setup-node@v4', 'completed', 'success', 5, 13],
    [4, 'Restore npm cache', 'completed', 'success', 13, 19],
    [5, 'Run npm ci', 'completed', 'success', 19, 61],
    [6, 'Lint: eslint #strict', 'completed', 'success', 61, 79],
    [7, 'Unit tests', 'completed', 'failure', 79, 163],
    [8, 'Build', 'completed', 'success', 163, 186],
    [9, 'Upload coverage', 'completed', 'skipped', 186, 185],
    [10, 'Post Restore npm cache', 'completed', 'success', 186, 192],
    [11, 'Post Run build-timings', 'in_progress', null, 192, null],
    [12, 'Complete job', 'queued', null, null, null],
  ] as const
).map(([number, name, status, conclusion, start, end]) => ({
  number,
  name,
  status,
  conclusion,
  started_at: start === null ? null : at(start),
  completed_at: end === null ? null : at(end),
}))

export function summaryInput(): SummaryInput {
  const rows = runRows()
  const unit = rows[0] as Row
  const cache = summariseCache(parseCacheHits('npm=true\ncypress=false\nplaywright=').entries, BUDGETS.cache)
  const past = (PAST_DURATIONS['unit-tests'] ?? []).map((duration) => ({ duration, success: true }))
  return {
    result: {
      row: unit,
      budget: { target: 120, max: 180, timeout: 600 },
      verdict: 'over_max',
      cache,
      regression: regression(192, past, BUDGETS.regression),
      problem: null,
    },
    steps: rankSteps(UNIT_TEST_STEPS, T0),
    cacheSteps: [
      { name: 'Restore npm cache', kind: 'restore', seconds: 6, conclusion: 'success' },
      { name: 'Post Restore npm cache', kind: 'save', seconds: 6, conclusion: 'success' },
    ],
    cacheTargets: BUDGETS.cache,
    regressionThreshold: BUDGETS.regression.threshold,
  }
}

export function sampleComment(): string {
  return renderComment({
    workflow: 'CI',
    rows: runRows(),
    history: [...pastRows(), ...runRows()],
    budgets: BUDGETS,
    runUrl: 'https://github.com/acme/widgets/actions/runs/2001',
  })
}

export function sampleSummary(): string {
  return renderSummary(summaryInput())
}
