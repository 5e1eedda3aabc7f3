#!/usr/bin/env node
import { runCli } from './dispatch.js'

// `build-timings report | head` or `run … 2>&1 | head -1` closes a pipe early, and a full disk fails a
// redirected stream: nothing more can be shown there, and no stack trace must replace the exit code.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined)

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => new Date(),
  stdinIsTTY: process.stdin.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  signals: process,
})
