import type { Row } from '../schema.js'
import { table } from './markdown.js'

const WIDTH = 10

/** `████░░░░░░`: a share 0..1 as a bar that reads the same in every Markdown renderer. */
export function bar(share: number): string {
  const full = Math.round(Math.min(1, Math.max(0, share)) * WIDTH)
  return `\`${'█'.repeat(full)}${'░'.repeat(WIDTH - full)}\``
}

const mb = (cell: string): string => (cell === '' ? '–' : `${Number(cell).toLocaleString('en-US')} MB`)

/** The job summary's resources section (docs/export.md); empty when the row has no resource figures. */
export function resourcesSection(row: Row): string {
  const cells = [
    row.cpu_avg_percent,
    row.mem_peak_mb,
    row.disk_read_mb,
    row.disk_write_mb,
    row.net_rx_mb,
    row.net_tx_mb,
  ]
  if (cells.every((c) => c === '')) return ''
  const cpu =
    row.cpu_avg_percent === '' ? '–' : `${bar(Number(row.cpu_avg_percent) / 100)} ${row.cpu_avg_percent} %`
  return [
    '#### Resources',
    table(
      ['', 'this job (whole runner)'],
      ['l', 'l'],
      [
        ['**CPU, average**', cpu],
        ['**Memory, peak**', mb(row.mem_peak_mb)],
        ['**Disk read / written**', `${mb(row.disk_read_mb)} / ${mb(row.disk_write_mb)}`],
        ['**Network received / sent**', `${mb(row.net_rx_mb)} / ${mb(row.net_tx_mb)}`],
      ],
    ),
  ].join('\n\n')
}
