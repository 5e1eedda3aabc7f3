import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadBudgetsFile } from '../../src/app/budgets-file.js'
import { NO_BUDGETS } from '../../src/core/budgets.js'

describe('loadBudgetsFile', () => {
  test('a file over the size limit is one warning, without budgets, and is not parsed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-budgets-'))
    const path = join(dir, 'build-budgets.yml')
    // Not even YAML: the size alone decides, before any parsing.
    await writeFile(path, '{'.repeat(300 * 1024))
    const loaded = await loadBudgetsFile(path, '.github/build-budgets.yml')
    expect(loaded.budgets).toBe(NO_BUDGETS)
    expect(loaded.found).toBe(true)
    expect(loaded.warning).toMatch(
      /^budgets file \.github\/build-budgets\.yml:1:1: 300 KiB is over the 256 KiB limit .*; running without budgets until it is fixed$/,
    )
  })

  test('a missing file is no budgets and no warning', async () => {
    const loaded = await loadBudgetsFile('/nonexistent/build-budgets.yml')
    expect(loaded).toMatchObject({ budgets: NO_BUDGETS, warning: null, found: false })
  })
})
