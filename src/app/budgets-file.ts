import { open } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  BudgetsError,
  budgetsTooLarge,
  MAX_BUDGETS_BYTES,
  NO_BUDGETS,
  parseBudgets,
  type Budgets,
} from '../core/budgets.js'
import { errorMessage } from '../core/errors.js'
import type { UseCaseLog } from './ports.js'

export interface LoadedBudgets {
  budgets: Budgets
  /** One line naming the file (and line and column) when it could not be used; the run goes on without budgets. */
  warning: string | null
  /** What is wrong with the file's text (`FILE:LINE:COL …`), for doors that word the warning their own way. */
  problem: string | null
  found: boolean
}

function tooLarge(shownAs: string, bytes: number): LoadedBudgets {
  const problem = budgetsTooLarge(shownAs, bytes).message
  return {
    budgets: NO_BUDGETS,
    warning: `budgets file ${problem}; running without budgets until it is fixed`,
    problem,
    found: true,
  }
}

/** A missing file means no budgets; a malformed one is a warning, never an error; a huge one is not read. */
export async function loadBudgetsFile(path: string, shownAs = path): Promise<LoadedBudgets> {
  let text: string
  try {
    const handle = await open(path, 'r')
    try {
      const { size } = await handle.stat()
      if (size > MAX_BUDGETS_BYTES) return tooLarge(shownAs, size)
      text = await handle.readFile('utf8')
    } finally {
      await handle.close()
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { budgets: NO_BUDGETS, warning: null, problem: null, found: false }
    return {
      budgets: NO_BUDGETS,
      warning: `budgets file ${shownAs} could not be read (${errorMessage(e)}); running without budgets`,
      problem: null,
      found: false,
    }
  }
  return budgetsFromText(text, shownAs)
}

/** The one budgets parser of every door: a malformed text is no budgets and one problem, never an error. */
export function budgetsFromText(text: string, shownAs: string): LoadedBudgets {
  try {
    return { budgets: parseBudgets(text, shownAs), warning: null, problem: null, found: true }
  } catch (e) {
    const detail = e instanceof BudgetsError ? e.message : `${shownAs}: ${errorMessage(e)}`
    return {
      budgets: NO_BUDGETS,
      warning: `budgets file ${detail}; running without budgets until it is fixed`,
      problem: detail,
      found: true,
    }
  }
}

/** The budgets file named relative to `dir`; a warning when it cannot be used. */
export async function loadBudgetsIn(
  dir: string,
  file: string,
  log: Pick<UseCaseLog, 'warning'>,
): Promise<LoadedBudgets> {
  const loaded = await loadBudgetsFile(resolve(dir, file), file)
  if (loaded.warning) log.warning(loaded.warning)
  return loaded
}
