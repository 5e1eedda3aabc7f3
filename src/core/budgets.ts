import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode } from 'yaml'
import { parseDuration, parsePercent } from './duration.js'
import { compileGlob, type Matcher } from './glob.js'
import type { BudgetStatus } from './schema.js'

export interface Budget {
  target?: number
  max?: number
  timeout?: number
}

export interface Budgets {
  defaults?: Budget
  phases: { pattern: string; budget: Budget }[]
  cache: { hitRateTarget?: number; hitRateAlert?: number }
  regression: { window: number; threshold: number }
  /** SPEC §7: the flake rate a phase should stay at or below (0.001 = 0.1 %); shown met / not met. */
  flakeRateTarget?: number
}

export const DEFAULT_REGRESSION = { window: 20, threshold: 0.5 }

export const NO_BUDGETS: Budgets = { phases: [], cache: {}, regression: DEFAULT_REGRESSION }

export class BudgetsError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    detail: string,
  ) {
    super(`${file}:${line}:${col}: ${detail}`)
    this.name = 'BudgetsError'
  }
}

/**
 * The largest budgets file parsed. Real ones are a few KB (globs cover families of phases); a file far larger
 * is a mistake or an attack, and would cost every job seconds to parse.
 */
export const MAX_BUDGETS_BYTES = 256 * 1024

export function budgetsTooLarge(file: string, bytes: number): BudgetsError {
  return new BudgetsError(
    file,
    1,
    1,
    `${Math.ceil(bytes / 1024)} KiB is over the ${MAX_BUDGETS_BYTES / 1024} KiB limit for a budgets file (use globs such as "e2e-*" to cover many phases in one entry)`,
  )
}

/** Parses the budgets file (README "Budgets"). Throws BudgetsError naming file, line and column. */
export function parseBudgets(text: string, file: string): Budgets {
  if (text.length > MAX_BUDGETS_BYTES / 4 && Buffer.byteLength(text) > MAX_BUDGETS_BYTES)
    throw budgetsTooLarge(file, Buffer.byteLength(text))
  const lineCounter = new LineCounter()
  // The library's own duplicate-key check compares every key with every other (1.5 MB: 26 s):
  // keys are checked here with a set instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false })
  const fail = (offset: number, detail: string): never => {
    const { line, col } = lineCounter.linePos(offset)
    throw new BudgetsError(file, line, col, detail)
  }
  const first = doc.errors[0]
  if (first) fail(first.pos[0], first.message.split('\n')[0] ?? 'invalid YAML')
  if (doc.contents === null) return NO_BUDGETS
  if (!isMap(doc.contents))
    fail(doc.contents.range?.[0] ?? 0, 'expected a mapping with defaults, phases, cache, regression')
  const root = doc.contents as unknown as import('yaml').YAMLMap
  const at = (node: YamlNode | null | undefined): number => node?.range?.[0] ?? 0
  const unique = (map: import('yaml').YAMLMap, where: string): void => {
    const seen = new Set<string>()
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : ''
      if (seen.has(key)) fail(at(pair.key as YamlNode), `"${key}" appears twice in ${where}`)
      seen.add(key)
    }
  }
  unique(root, 'the file')

  const budgetOf = (node: unknown, where: string): Budget => {
    if (!isMap(node))
      return fail(at(node as YamlNode), `${where} must be a mapping like { target: 1m, max: 2m }`)
    unique(node, where)
    const budget: Budget = {}
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : ''
      if (key !== 'target' && key !== 'max' && key !== 'timeout') {
        fail(at(pair.key as YamlNode), `unknown key "${key}" in ${where}: use target, max or timeout`)
      }
      const raw = isScalar(pair.value) ? pair.value.value : undefined
      const seconds = parseDuration(raw)
      if (seconds === null)
        fail(
          at(pair.value as YamlNode),
          `${where}.${key} "${String(raw)}" is not a duration like 90, 90s, 1m30s, 2m or 1h`,
        )
      budget[key as keyof Budget] = seconds as number
    }
    return budget
  }

  const budgets: Budgets = { phases: [], cache: {}, regression: { ...DEFAULT_REGRESSION } }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : ''
    const value = pair.value as YamlNode | null
    switch (key) {
      case 'defaults':
        budgets.defaults = budgetOf(value, 'defaults')
        break
      case 'phases':
        if (!isMap(value))
          fail(at(value), 'phases must be a mapping of phase name or glob to { target, max, timeout }')
        unique(value as import('yaml').YAMLMap, 'phases')
        for (const p of (value as import('yaml').YAMLMap).items) {
          const pattern = isScalar(p.key) ? String(p.key.value) : ''
          budgets.phases.push({ pattern, budget: budgetOf(p.value, `phases."${pattern}"`) })
        }
        break
      case 'cache':
      case 'regression': {
        if (!isMap(value)) fail(at(value), `${key} must be a mapping`)
        unique(value as import('yaml').YAMLMap, key)
        for (const p of (value as import('yaml').YAMLMap).items) {
          const k = isScalar(p.key) ? String(p.key.value) : ''
          const raw = isScalar(p.value) ? p.value.value : undefined
          const where = at(p.value as YamlNode)
          if (key === 'cache' && (k === 'hit-rate-target' || k === 'hit-rate-alert')) {
            const rate = parsePercent(raw)
            if (rate === null || rate < 0 || rate > 1)
              fail(where, `cache.${k} "${String(raw)}" is not a percentage like 85%`)
            budgets.cache[k === 'hit-rate-target' ? 'hitRateTarget' : 'hitRateAlert'] = rate as number
          } else if (key === 'regression' && k === 'window') {
            const n = Number(raw)
            if (!Number.isInteger(n) || n < 1)
              fail(where, `regression.window "${String(raw)}" must be a whole number of runs ≥ 1`)
            budgets.regression.window = n
          } else if (key === 'regression' && k === 'threshold') {
            const rate = parsePercent(raw)
            if (rate === null || rate <= 0)
              fail(where, `regression.threshold "${String(raw)}" is not a percentage like 50%`)
            budgets.regression.threshold = rate as number
          } else {
            fail(at(p.key as YamlNode), `unknown key "${k}" in ${key}`)
          }
        }
        break
      }
      case 'flake-rate-target': {
        const raw = isScalar(value) ? value.value : undefined
        const rate = parsePercent(raw)
        if (rate === null || rate < 0 || rate > 1)
          fail(at(value), `flake-rate-target "${String(raw)}" is not a percentage like 0.1%`)
        budgets.flakeRateTarget = rate as number
        break
      }
      default:
        fail(
          at(pair.key as YamlNode),
          `unknown key "${key}": use defaults, phases, cache, regression or flake-rate-target`,
        )
    }
  }
  return budgets
}

/** Specificity of a glob: its literal characters; an exact name beats every glob. */
function specificity(pattern: string): number {
  return pattern.replace(/[*?[\]{}!]/g, '').length
}

// Patterns are few and reused for every phase of every evaluation: compile each once.
const compiled = new Map<string, Matcher>()
function matcher(pattern: string): Matcher {
  let m = compiled.get(pattern)
  if (!m) {
    if (compiled.size > 10_000) compiled.clear()
    m = compileGlob(pattern)
    compiled.set(pattern, m)
  }
  return m
}

/** The budget for a phase: the most specific matching entry (exact name first), over the defaults. */
export function budgetFor(budgets: Budgets, phase: string): Budget | undefined {
  const exact = budgets.phases.find((p) => p.pattern === phase)
  let best = exact
  if (!best) {
    for (const entry of budgets.phases) {
      if (!matcher(entry.pattern)(phase)) continue
      if (!best || specificity(entry.pattern) > specificity(best.pattern)) best = entry
    }
  }
  if (!best) return budgets.defaults ? { ...budgets.defaults } : undefined
  return { ...budgets.defaults, ...best.budget }
}

/** README "Budgets": ok (≤ target), over_target (> target), over_max (> max), timeout (≥ timeout). */
export function budgetVerdict(seconds: number, budget: Budget | undefined): BudgetStatus {
  if (!budget || (budget.target === undefined && budget.max === undefined && budget.timeout === undefined))
    return 'none'
  if (budget.timeout !== undefined && seconds >= budget.timeout) return 'timeout'
  if (budget.max !== undefined && seconds > budget.max) return 'over_max'
  if (budget.target !== undefined && seconds > budget.target) return 'over_target'
  return 'ok'
}

export type FailOn = 'never' | 'over-max' | 'timeout'

/** Only a verdict the user asked to enforce fails a job. */
export function failsJob(verdict: BudgetStatus, failOn: FailOn): boolean {
  if (failOn === 'timeout') return verdict === 'timeout'
  if (failOn === 'over-max') return verdict === 'over_max' || verdict === 'timeout'
  return false
}
