import type { Row } from '../core/schema.js'
import { safeLine } from '../core/sanitize.js'
import { humanDuration } from '../core/time.js'
import type { StepTiming } from './drone-api.js'

/** The adaptive-card template the Drone UI renders the data with (drone-plugin/card.json in this repo). */
export const CARD_SCHEMA =
  'https://raw.githubusercontent.com/build-timings/build-timings/main/drone-plugin/card.json'

export interface CardData {
  phase: string
  env: string
  status: string
  duration: string
  durationSeconds: number
  budgetStatus: string
  budgetTarget: string
  budgetMax: string
  cache: string
  cacheVerdict: string
  trend: string
  registry: string
  steps: { name: string; duration: string; share: string }[]
}

export interface Card {
  schema: string
  data: CardData
}

/**
 * User text shown in a card: the Drone UI renders TextBlocks as Markdown, so a phase or step name could carry a
 * link or an image. A word joiner between `](` and inside `://` breaks those forms without changing what is
 * read; controls and credentials go as everywhere else.
 */
export function cardText(text: string): string {
  return safeLine(text).replace(/\]\(/g, ']\u2060(').replace(/:\/\//g, ':\u2060//')
}

const fmt = (cell: string): string => (cell === '' ? '—' : humanDuration(Number(cell)))

export function buildCard(input: {
  row: Row
  cache: { hits: number; lookups: number; rate: number | null; verdict: string }
  change: number | null
  registry: string
  steps: readonly StepTiming[]
}): Card {
  const { row } = input
  const total = input.steps.reduce((sum, s) => sum + s.seconds, 0)
  const steps = [...input.steps]
    .sort((a, b) => b.seconds - a.seconds)
    .map((s) => ({
      name: cardText(s.name),
      duration: humanDuration(s.seconds),
      share: total ? `${Math.round((s.seconds / total) * 100)}%` : '',
    }))
  return {
    schema: CARD_SCHEMA,
    data: {
      phase: cardText(row.phase),
      env: cardText(row.env),
      status: row.status,
      duration: humanDuration(Number(row.duration_seconds)),
      durationSeconds: Number(row.duration_seconds),
      budgetStatus: row.budget_status,
      budgetTarget: fmt(row.budget_target_seconds),
      budgetMax: fmt(row.budget_max_seconds),
      cache: input.cache.lookups
        ? `${input.cache.hits}/${input.cache.lookups}${input.cache.rate === null ? '' : ` (${Math.round(input.cache.rate * 100)}%)`}`
        : '—',
      cacheVerdict: input.cache.verdict,
      trend:
        input.change === null
          ? '—'
          : `${input.change >= 0 ? '+' : ''}${Math.round(input.change * 100)}% vs median`,
      registry: input.registry,
      steps,
    },
  }
}

export interface CardIo {
  writeStdout: (text: string) => void
  writeFile: (path: string, text: string) => void
}

/**
 * Drone's card protocol (docs/architecture.md "Drone and Woodpecker", runner ≥ 1.8): on /dev/stdout the JSON
 * travels base64-encoded between ESC]1338; and ESC]0m; any other path gets the JSON file. `scrub` runs on the
 * JSON before it is encoded, so a secret cannot slip out inside the base64.
 */
export function writeCard(
  path: string,
  card: Card,
  io: CardIo,
  scrub: (text: string) => string = (t) => t,
): void {
  const json = scrub(JSON.stringify(card))
  if (path === '/dev/stdout') {
    io.writeStdout(`\u001b]1338;${Buffer.from(json, 'utf8').toString('base64')}\u001b]0m\n`)
    return
  }
  io.writeFile(path, json)
}
