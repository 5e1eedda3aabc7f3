/**
 * Terraform / OpenTofu resource counts from command output (docs/cli.md "run"). `apply` ends with
 * `Apply complete! Resources: 3 added, 1 changed, 0 destroyed.` (with `N imported, ` first when the plan
 * imported resources) and `destroy` with `Destroy complete! Resources: 5 destroyed.`. A wrapped Makefile
 * target may run several applies: the last summary wins, as it is the one for the state left behind.
 */
export interface ResourceCounts {
  added: number
  changed: number
  destroyed: number
}

// CSI sequences (colours, cursor moves) and OSC sequences (titles, links) that -no-color was not given to drop.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

const APPLY = /Resources:\s*(?:\d+\s+imported,\s*)?(\d+)\s+added,\s*(\d+)\s+changed,\s*(\d+)\s+destroyed/g
const DESTROY = /Destroy complete!\s*Resources:\s*(\d+)\s+destroyed/g

/** The counts of the last summary in `text`, or null if there is none. */
export function parseResourceCounts(text: string): ResourceCounts | null {
  const clean = stripAnsi(text)
  let best: { at: number; counts: ResourceCounts } | null = null
  for (const m of clean.matchAll(APPLY)) {
    const at = m.index ?? 0
    if (!best || at >= best.at)
      best = { at, counts: { added: Number(m[1]), changed: Number(m[2]), destroyed: Number(m[3]) } }
  }
  for (const m of clean.matchAll(DESTROY)) {
    const at = m.index ?? 0
    // A destroy adds and changes nothing: 0, not unknown.
    if (!best || at >= best.at) best = { at, counts: { added: 0, changed: 0, destroyed: Number(m[1]) } }
  }
  return best?.counts ?? null
}

/**
 * The same parse over a stream of output chunks, line by line, holding only the unfinished line (bounded)
 * and the last counts seen, so a wrapped command may print gigabytes.
 */
export class ResourceCountScanner {
  private partial = ''
  private last: ResourceCounts | null = null

  constructor(private readonly maxLine = 64 * 1024) {}

  push(chunk: string): void {
    const text = this.partial + chunk
    const cut = text.lastIndexOf('\n')
    if (cut === -1) {
      this.partial = text.length > this.maxLine ? text.slice(-this.maxLine) : text
      return
    }
    this.scan(text.slice(0, cut))
    const rest = text.slice(cut + 1)
    this.partial = rest.length > this.maxLine ? rest.slice(-this.maxLine) : rest
  }

  /** The counts of the last summary pushed so far (including an unfinished last line). */
  result(): ResourceCounts | null {
    return parseResourceCounts(this.partial) ?? this.last
  }

  private scan(lines: string): void {
    const counts = parseResourceCounts(lines)
    if (counts) this.last = counts
  }
}
