/**
 * Phase globs of the budgets file (README "Budgets"), compiled to a matcher that cannot backtrack: `*` (any text,
 * `/` included), `?` (one character), `[abc]`, `[a-z]`, `[!abc]` / `[^abc]`, `{a,b}` alternatives and `\`
 * escapes. A general glob engine turns `*-*-*-*-*-*-*-nightly` against a long matrix phase into an
 * exponential search (6 s per evaluation before); here the stars split the pattern into segments that are
 * placed leftmost-first, which is exact for these globs and costs at most (phase length × pattern length).
 */

type Atom =
  | { kind: 'char'; ch: string }
  | { kind: 'any' }
  | { kind: 'class'; negate: boolean; ranges: [string, string][] }

export type Matcher = (text: string) => boolean

/** Most alternatives a pattern's braces may expand to; beyond it the braces are taken literally. */
const MAX_ALTERNATIVES = 64

function parse(pattern: string): Atom[][] {
  const chars = Array.from(pattern)
  const segments: Atom[][] = [[]]
  let current = segments[0] as Atom[]
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string
    if (ch === '\\' && i + 1 < chars.length) {
      current.push({ kind: 'char', ch: chars[++i] as string })
    } else if (ch === '*') {
      if (current.length || segments.length === 1) {
        current = []
        segments.push(current)
      }
    } else if (ch === '?') {
      current.push({ kind: 'any' })
    } else if (ch === '[') {
      const cls = parseClass(chars, i)
      if (cls) {
        current.push(cls.atom)
        i = cls.end
      } else current.push({ kind: 'char', ch })
    } else current.push({ kind: 'char', ch })
  }
  return segments
}

function parseClass(chars: string[], start: number): { atom: Atom; end: number } | null {
  let i = start + 1
  const negate = chars[i] === '!' || chars[i] === '^'
  if (negate) i++
  const ranges: [string, string][] = []
  let first = true
  for (; i < chars.length; i++) {
    const ch = chars[i] as string
    if (ch === ']' && !first) return { atom: { kind: 'class', negate, ranges }, end: i }
    first = false
    const lo = ch === '\\' && i + 1 < chars.length ? (chars[++i] as string) : ch
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      const hi = chars[i + 2] as string
      ranges.push([lo, hi])
      i += 2
    } else ranges.push([lo, lo])
  }
  return null
}

function atomMatches(atom: Atom, ch: string): boolean {
  if (atom.kind === 'any') return true
  if (atom.kind === 'char') return atom.ch === ch
  const inside = atom.ranges.some(([lo, hi]) => ch >= lo && ch <= hi)
  return inside !== atom.negate
}

function matchesAt(segment: readonly Atom[], text: readonly string[], at: number): boolean {
  if (at + segment.length > text.length) return false
  for (let k = 0; k < segment.length; k++)
    if (!atomMatches(segment[k] as Atom, text[at + k] as string)) return false
  return true
}

function compileOne(pattern: string): (chars: readonly string[]) => boolean {
  const segments = parse(pattern)
  if (segments.length === 1) {
    const only = segments[0] as Atom[]
    return (t) => t.length === only.length && matchesAt(only, t, 0)
  }
  const head = segments[0] as Atom[]
  const tail = segments[segments.length - 1] as Atom[]
  const middle = segments.slice(1, -1)
  return (t) => {
    if (!matchesAt(head, t, 0)) return false
    const end = t.length - tail.length
    if (end < head.length || !matchesAt(tail, t, end)) return false
    let pos = head.length
    for (const seg of middle) {
      let found = -1
      for (let j = pos; j + seg.length <= end; j++) {
        if (matchesAt(seg, t, j)) {
          found = j
          break
        }
      }
      if (found < 0) return false
      pos = found + seg.length
    }
    return true
  }
}

/** `{a,b}c` → `ac`, `bc` (nested braces too); an unbalanced or oversized brace set stays literal. */
export function expandBraces(pattern: string): string[] {
  const open = findBrace(pattern)
  if (!open) return [pattern]
  const { start, end, options } = open
  const out: string[] = []
  for (const option of options) {
    for (const rest of expandBraces(pattern.slice(0, start) + option + pattern.slice(end + 1))) {
      out.push(rest)
      if (out.length > MAX_ALTERNATIVES) return [pattern]
    }
  }
  return out
}

function findBrace(pattern: string): { start: number; end: number; options: string[] } | null {
  for (let start = 0; start < pattern.length; start++) {
    if (pattern[start] === '\\') {
      start++
      continue
    }
    if (pattern[start] !== '{') continue
    let depth = 0
    const options: string[] = []
    let from = start + 1
    for (let i = start; i < pattern.length; i++) {
      const ch = pattern[i]
      if (ch === '\\') i++
      else if (ch === '{') depth++
      else if (ch === '}' && --depth === 0) {
        options.push(pattern.slice(from, i))
        if (options.length > 1) return { start, end: i, options }
        break
      } else if (ch === ',' && depth === 1) {
        options.push(pattern.slice(from, i))
        from = i + 1
      }
    }
  }
  return null
}

/** A matcher for one budgets-file glob; the whole phase must match. */
export function compileGlob(pattern: string): Matcher {
  const alternatives = expandBraces(pattern).map(compileOne)
  return (text) => {
    const chars = Array.from(text)
    return alternatives.some((m) => m(chars))
  }
}
