// Just enough GitHub-flavoured Markdown → HTML for a picture of the PR comment: headings, paragraphs,
// pipe tables, **bold**, links, <sub>, and ```mermaid blocks left for Mermaid to draw. Not a general renderer.

const escapeHtml = (text: string): string => text.replace(/&(?![a-z]+;|#\d+;)/g, '&amp;')

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>')
}

function splitRow(line: string): string[] {
  const cells: string[] = []
  let current = ''
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (ch === '\\' && body[i + 1] === '|') {
      current += '|'
      i++
    } else if (ch === '|') {
      cells.push(current.trim())
      current = ''
    } else current += ch
  }
  cells.push(current.trim())
  return cells
}

export function markdownToHtml(markdown: string): string {
  const lines = markdown.split('\n')
  const out: string[] = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    const fence = /^(`{3,})(\w*)$/.exec(line)
    if (fence) {
      const body: string[] = []
      while (++i < lines.length && lines[i] !== fence[1]) body.push(lines[i] as string)
      const text = body.join('\n').replace(/</g, '&lt;')
      out.push(
        fence[2] === 'mermaid' ? `<pre class="mermaid">${text}</pre>` : `<pre><code>${text}</code></pre>`,
      )
    } else if (line.startsWith('<!--')) {
      out.push(line)
    } else if (/^#{1,6} /.test(line)) {
      const level = (/^#+/.exec(line) as RegExpExecArray)[0].length
      out.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`)
    } else if (line.startsWith('|') && lines[i + 1]?.startsWith('|-')) {
      const header = splitRow(line)
      const align = splitRow(lines[++i] as string).map((a) => (a.endsWith(':') ? 'right' : 'left'))
      const rows: string[][] = []
      while (lines[i + 1]?.startsWith('|')) rows.push(splitRow(lines[++i] as string))
      const tr = (cells: string[], tag: string): string =>
        `<tr>${cells.map((c, k) => `<${tag} style="text-align:${align[k]}">${inline(c)}</${tag}>`).join('')}</tr>`
      out.push(
        `<table><thead>${tr(header, 'th')}</thead><tbody>${rows.map((r) => tr(r, 'td')).join('')}</tbody></table>`,
      )
    } else if (line.trim()) {
      out.push(`<p>${inline(line)}</p>`)
    }
  }
  return out.join('\n')
}

/** A page styled like a GitHub comment box. */
export function commentPage(markdown: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body { font-family: -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji";
  font-size: 14px; line-height: 1.5; color: #1f2328; background: #fff; margin: 0; padding: 16px; }
.comment { border: 1px solid #d1d9e0; border-radius: 6px; max-width: 900px; }
.comment-header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; border-radius: 6px 6px 0 0; }
.comment-body { padding: 16px; }
h3 { font-size: 1.25em; margin: 0 0 16px; } h4 { font-size: 1em; margin: 24px 0 8px; }
p { margin: 0 0 12px; }
table { border-collapse: collapse; margin: 0 0 16px; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; } th { font-weight: 600; } tr:nth-child(2n) td { background: #f6f8fa; }
sub { color: #59636e; }
pre.mermaid { background: none; margin: 0 0 8px; }
a { color: #0969da; text-decoration: none; }
</style></head><body><div class="comment"><div class="comment-header"><strong>github-actions</strong> bot commented</div>
<div class="comment-body">${markdownToHtml(markdown)}</div></div></body></html>`
}
