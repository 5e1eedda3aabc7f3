import { safeLine } from '../sanitize.js'
import type { RankedStep } from '../steps.js'

/**
 * Mermaid's entity codes (`#58;` for ':'): the gantt grammar ends a task name at ':', '#…;' is read as an
 * entity and '%%' starts a comment, so these characters are written as codes, which Mermaid turns back
 * into the characters in the drawing. '#' goes first so the codes' own '#' are not encoded again.
 */
function entities(text: string, reserved: RegExp): string {
  return text.replace(/#/g, '#35;').replace(reserved, (ch) => `#${ch.charCodeAt(0)};`)
}

const oneLine = (text: string, maxLength: number): string => {
  const flat = safeLine(text).replace(/\s+/g, ' ').trim()
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat
}

/** A task name or title inside a gantt: one bounded line, with the characters the grammar reserves encoded. */
export function ganttText(text: string, maxLength = 60): string {
  return entities(oneLine(text, maxLength), /(?<!#\d*)[:;%<>]/g)
}

/** A quoted string for xychart titles and labels. */
export function quoted(text: string, maxLength = 80): string {
  return `"${entities(oneLine(text, maxLength), /(?<!#\d*)[;%"<>]/g)}"`
}

/**
 * A gantt of the steps on an axis of seconds since the job started. The numbers are Unix milliseconds
 * (`dateFormat x`), so "0" is the job's start and `axisFormat %s` prints seconds since it in any viewer's
 * time zone (an `%H:%M` axis would shift by the viewer's UTC offset). Not `dateFormat X` (seconds): Mermaid
 * 12 parses its task starts as 0, so every bar would begin at the job's start.
 */
export function stepsGantt(title: string, steps: readonly RankedStep[]): string {
  const lines = [
    'gantt',
    `  title ${ganttText(title, 80)}`,
    '  dateFormat x',
    '  axisFormat %s',
    '  todayMarker off',
  ]
  lines.push(`  section ${ganttText('steps', 40)}`)
  for (const step of steps) {
    const name = ganttText(`${step.number}. ${step.name}`)
    const tags: string[] = []
    if (step.conclusion === 'failure') tags.push('crit')
    else if (step.conclusion === 'success') tags.push('done')
    // A zero-second step would be an invisible bar: show it as a milestone instead.
    if (step.seconds === 0) tags.push('milestone')
    const start = step.offset * 1000
    const end = (step.offset + step.seconds) * 1000
    lines.push(`  ${name} :${[...tags, `s${step.number}`].join(', ')}, ${start}, ${end}`)
  }
  return lines.join('\n')
}

export interface TrendSeries {
  title: string
  /** Oldest first; the last value is this run. */
  durations: readonly number[]
  target?: number
  max?: number
}

/** Line colours: the duration, the target, the max (named in the legend under the chart). */
export const TREND_COLOURS = { duration: '#4e79a7', target: '#f28e2b', max: '#e15759' } as const

/** An xychart of the recent durations with the target and max as flat lines (xychart has no legend). */
export function trendChart(series: TrendSeries): string {
  const n = series.durations.length
  const labels = series.durations.map((_, i) => quoted(i === n - 1 ? 'now' : `-${n - 1 - i}`))
  const peak = Math.max(1, ...series.durations, series.target ?? 0, series.max ?? 0)
  const top = Math.ceil((peak * 1.1) / 10) * 10
  const palette: string[] = [TREND_COLOURS.duration]
  const lines = [`  line [${series.durations.map((d) => Math.round(d)).join(', ')}]`]
  if (series.target !== undefined) {
    palette.push(TREND_COLOURS.target)
    lines.push(`  line [${series.durations.map(() => Math.round(series.target as number)).join(', ')}]`)
  }
  if (series.max !== undefined) {
    palette.push(TREND_COLOURS.max)
    lines.push(`  line [${series.durations.map(() => Math.round(series.max as number)).join(', ')}]`)
  }
  return [
    '---',
    'config:',
    '  themeVariables:',
    '    xyChart:',
    `      plotColorPalette: "${palette.join(', ')}"`,
    '---',
    'xychart-beta',
    `  title ${quoted(series.title)}`,
    `  x-axis ${quoted('runs ago')} [${labels.join(', ')}]`,
    `  y-axis ${quoted('seconds')} 0 --> ${top}`,
    ...lines,
  ].join('\n')
}

/** The bodies of the ```mermaid blocks of a Markdown text, in order (for tests and screenshots). */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2] as string)
}
