import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { recordTiming } from '../../src/app/record.js'
import { NO_BUDGETS } from '../../src/core/budgets.js'
import { COLUMNS_29 } from '../../src/core/schema.js'
import { FileStore } from '../../src/registry/file.js'

const line = (i: number, duration: string, end: string): string =>
  `2026-01-0${i}T10:00:00Z,${end},lint,ci,${i},${duration},0,,,,,,success,cli,,,,,,,,,,,none,,,,cli/ci/${i}/lint/x`

describe('the regression median', () => {
  test('a row with an empty duration is left out, not counted as a 0 s success', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bt-median-'))
    const path = join(dir, 'reg.csv')
    const rows = [
      line(1, '100', '2026-01-01T10:01:40Z'),
      line(2, '', ''),
      line(3, '', ''),
      line(4, '100', '2026-01-04T10:01:40Z'),
      // No duration cell, but a start and an end: the duration is theirs.
      line(5, '', '2026-01-05T10:01:40Z'),
    ]
    await writeFile(path, `${COLUMNS_29.join(',')}\n${rows.join('\n')}\n`)
    const result = await recordTiming({
      event: {
        source: 'cli',
        phase: 'lint',
        env: 'ci',
        buildId: '9',
        start: new Date('2026-01-09T10:00:00Z'),
        end: new Date('2026-01-09T10:01:40Z'),
        exitCode: 0,
        status: 'success',
      },
      budgets: NO_BUDGETS,
      store: new FileStore(path),
      write: false,
    })
    expect(result.regression).toMatchObject({ median: 100, sample: 3, change: 0, regressed: false })
  })
})
