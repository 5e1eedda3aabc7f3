import { readFileSync, writeFileSync } from 'node:fs'
import { createClient } from '../github/octokit.js'
import { upsertRunComment } from '../app/pr-comment.js'
import type { ReadFile } from './context.js'
import { runPlugin } from './plugin.js'

const readFile: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw e
  }
}

/** Wires the plugin to the real process: environment, files, clock, network, exit code. */
export async function runPluginProcess(): Promise<void> {
  const code = await runPlugin({
    env: process.env,
    readFile,
    writeFile: (path, text) => writeFileSync(path, text),
    stdout: (text) => process.stdout.write(text),
    now: () => new Date(),
    cwd: process.cwd(),
    fetch: (url, init) => fetch(url, init),
    createClient,
    upsertRunComment,
  })
  process.exitCode = code
}
