// Lints snippets as if they were files of src/ with the repository's own eslint.config.js, in a child
// process so ESLint loads its config the ordinary way. stdin: [{ filePath, code }]; stdout: the rule ids
// and messages each snippet got, in order.
import { ESLint } from 'eslint'

const chunks = []
for await (const c of process.stdin) chunks.push(c)
const snippets = JSON.parse(Buffer.concat(chunks).toString('utf8'))
const eslint = new ESLint({ cwd: process.cwd() })
const out = []
for (const { filePath, code } of snippets) {
  const [result] = await eslint.lintText(code, { filePath })
  out.push(result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })))
}
process.stdout.write(JSON.stringify(out))
