const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 }

/**
 * Durations (README "Budgets"): `90`, `90s`, `1m30s`, `2m`, `1h`, `1h30m`. Returns seconds, or null if not a
 * duration.
 */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null
  if (typeof value !== 'string') return null
  const v = value.trim().toLowerCase()
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v)
  const match = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(v)
  if (!match || v === '') return null
  const [, h, m, s] = match
  return Number(h ?? 0) * UNIT_SECONDS.h! + Number(m ?? 0) * UNIT_SECONDS.m! + Number(s ?? 0)
}

/** `85%`, `85`, `0.85` → 0.85. */
export function parsePercent(value: unknown): number | null {
  if (typeof value === 'number') return value > 1 ? value / 100 : value
  if (typeof value !== 'string') return null
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value)
  if (!match) return null
  const n = Number(match[1])
  return match[2] || n > 1 ? n / 100 : n
}
