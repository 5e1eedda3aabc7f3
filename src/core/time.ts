/** `2026-01-24T10:15:03Z`: ISO-8601 UTC at second precision, the registry's time format. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Accepts ISO-8601 (with offset or Z), or Unix seconds; returns null when it is neither. */
export function parseTime(value: string): Date | null {
  const v = value.trim()
  if (/^\d{9,11}(\.\d+)?$/.test(v)) return new Date(Number(v) * 1000)
  if (/^\d{13}$/.test(v)) return new Date(Number(v))
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}

export function durationSeconds(start: Date, end: Date): number {
  return Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000))
}

/** `1h 2m 3s` style for people; `45s` below a minute. */
export function humanDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const r = s % 60
  if (h) return `${h}h ${m}m ${r}s`
  if (m) return `${m}m ${r}s`
  return `${r}s`
}
