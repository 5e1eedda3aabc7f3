/**
 * Which rows a PR comment shows, written into the comment itself as a hidden line of short row keys, so a
 * job can tell whether its render would add anything before it spends a write (README "Within GitHub's limits").
 */
const PREFIX = '<!-- build-timings-rows:'

/** 32-bit FNV-1a of the row_id, 8 hex digits: short, stable, and enough to tell a run's rows apart. */
export function rowKey(rowId: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < rowId.length; i++) {
    h ^= rowId.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16).padStart(8, '0')
}

/** The hidden line that lists the rows a body shows. */
export function shownLine(rowIds: readonly string[]): string {
  return `${PREFIX} ${[...new Set(rowIds.map(rowKey))].sort().join(' ')} -->`
}

/** The row keys a comment body says it shows (none for a body without the line). */
export function rowsShown(body: string): Set<string> {
  const line = body.split('\n').find((l) => l.startsWith(PREFIX))
  if (!line) return new Set()
  return new Set(line.slice(PREFIX.length, line.lastIndexOf('-->')).trim().split(/\s+/).filter(Boolean))
}

/** Whether a body already shows every one of these rows. */
export function showsAll(body: string, rowIds: readonly string[]): boolean {
  const shown = rowsShown(body)
  return rowIds.every((id) => shown.has(rowKey(id)))
}
