import { buildReport, type RowBatches } from '../../src/app/report.js'
import { NO_BUDGETS, parseBudgets } from '../../src/core/budgets.js'
import { parseComparison } from '../../src/core/insights/select.js'
import { NOW, plantedRegistry } from '../core/insights/registry.js'

/** The rows in batches of 100, recording what each read asked for. */
function memory(rows: Record<string, string | undefined>[]): RowBatches & { asked: unknown[] } {
  const asked: unknown[] = []
  return {
    asked,
    async *batches(env, only) {
      asked.push({ env, only })
      const mine = rows.filter((r) => env === undefined || r.env === env)
      for (let i = 0; i < mine.length; i += 100) yield mine.slice(i, i + 100) as Record<string, string>[]
    },
  }
}

const planted = plantedRegistry()
const request = { filter: {}, format: 'json' as const, budgets: NO_BUDGETS, now: NOW }

test('one pass answers the comparison, asking the store for the cells it reads', async () => {
  const source = memory(planted.rows)
  const json = JSON.parse(
    await buildReport(source, {
      ...request,
      view: { kind: 'compare', sets: parseComparison('14d..7d,7d..', NOW) },
    }),
  )
  expect(json.groups.find((g: { phase: string }) => g.phase === 'test').verdict).toBe('faster')
  expect(json.groups.find((g: { phase: string }) => g.phase === 'deploy').verdict).toBe(
    'no detectable change',
  )
  expect(source.asked).toEqual([
    {
      env: undefined,
      only: {
        columns: expect.arrayContaining(['phase', 'env', 'duration_seconds', 'status', 'ref', 'flags']),
      },
    },
  ])
})

test('the plain report carries flakes only when the budgets set a target', async () => {
  const plain = JSON.parse(await buildReport(memory(planted.rows), { ...request, view: { kind: 'phase' } }))
  expect(plain.flakes).toBeUndefined()
  const budgets = parseBudgets('flake-rate-target: 1%\n', 'b.yml')
  const judged = JSON.parse(
    await buildReport(memory(planted.rows), { ...request, budgets, view: { kind: 'phase' } }),
  )
  const lint = judged.flakes.groups.find(
    (g: { phase: string; env: string }) => g.phase === 'lint' && g.env === 'ci',
  )
  expect([lint.flaky, lint.shas, lint.target_met]).toEqual([6, 206, false])
})

test('filters apply to the insights as to the report; progress counts every row read', async () => {
  const counts: number[] = []
  const json = JSON.parse(
    await buildReport(
      memory(planted.rows),
      { ...request, filter: { phase: 'build' }, view: { kind: 'cache' } },
      (n) => counts.push(n),
    ),
  )
  expect(json.groups.map((g: { phase: string }) => g.phase)).toEqual(['build'])
  expect(counts.at(-1)).toBe(planted.rows.length)
})
