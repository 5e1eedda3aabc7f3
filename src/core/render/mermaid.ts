import type { RankedStep } from '../steps.js'

/**
 * Text inside a gantt: the gantt grammar ends a task name at ':' and Mermaid reads '#…;' as an entity
 * code and '%%' as a comment, so those characters are swapped for look-alikes; the name is one bounded line.
 */
export function ganttText(text: string, maxLength = 60): string {
  const safe = text
    .replace(/[\r\n]+/g, ' ')
    .replace(/:/g, '∶')
    .replace(/#/g, '＃')
    .replace(/;/g, ',')
    .replace(/%/g, '％')
    .replace(/\s+/g, ' ')
    .trim()
  return safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe
}

/** A quoted string for xychart titles and labels: no double quotes or line breaks inside. */
export function quoted(text: string, maxLength = 80): string {
  const safe = text.replace(/[\r\n]+/g, ' ').replace(/"/g, "'").replace(/#/g, '＃').replace(/;/g, ',').trim()
  return `"${safe.length > maxLength ? `${safe.slice(0, maxLength - 1)}…` : safe}"`
}

/**
 * A gantt of the steps on an axis of seconds since the job started: `dateFormat X` reads the numbers as
 * Unix seconds, so "second 0" is the epoch and `axisFormat %s` prints seconds since the job started in any
 * viewer's time zone (an `%H:%M` axis would shift by the viewer's UTC offset).
 */
export function stepsGantt(title: string, steps: readonly RankedStep[]): string {
  const lines = ['gantt', `  title ${ganttText(title, 80)}`, '  dateFormat X', '  axisFormat %s', '  todayMarker off']
  lines.push(`  section ${ganttText('steps', 40)}`)
  for (const step of steps) {
    const name = ganttText(`${step.number}. ${step.name}`)
    const tags: string[] = []
    if (step.conclusion === 'failure') tags.push('crit')
    else if (step.conclusion === 'success') tags.push('done')
    // A zero-second step would be an invisible bar: show it as a milestone instead.
    if (step.seconds === 0) tags.push('milestone')
    const start = step.offset
    const end = step.offset + step.seconds
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
