// The action's stages under the faults of a broken runner: they warn and exit 0, never failing the job.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../support/action-runner.js'
import { MACHINE_NODE } from '../support/runtimes.js'

function stage(
  name: 'pre',
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      MACHINE_NODE,
      [join(ROOT, 'dist', name, 'index.js')],
      { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GITHUB_ACTIONS: 'true', ...env }, timeout: 60_000 },
      (err, stdout, stderr) =>
        done({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    ),
  )
}

describe('pre with a state file it cannot write', () => {
  test.each([
    ['a missing folder', '/nonexistent/bt/state'],
    ['a full disk', '/dev/full'],
    ['a folder', '/tmp'],
  ])('%s: one warning, exit 0', async (_name, file) => {
    const r = await stage('pre', { GITHUB_STATE: file })
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning::'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /could not save the job's start time \(GITHUB_STATE: E[A-Z]+\); post will estimate it/,
    )
  })
})
