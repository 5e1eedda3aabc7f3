import type { Input, Output, State } from '../../src/action/constants.js'
import type { ActionIO } from '../../src/action/io.js'

/** The runner as plain values: what a stage read, and every annotation, output and summary it wrote. */
export class FakeActionIO implements ActionIO {
  readonly outputs = new Map<string, string>()
  readonly states: Map<string, string>
  readonly lines: { kind: 'info' | 'notice' | 'warning' | 'failed'; text: string }[] = []
  readonly summaries: string[] = []
  readonly secrets: string[] = []

  constructor(
    readonly env: NodeJS.ProcessEnv,
    private readonly inputs: Record<string, string>,
    readonly now: () => Date,
    states: Record<string, string> = {},
  ) {
    this.states = new Map(Object.entries(states))
  }

  input = (name: Input): string => this.inputs[name] ?? ''
  state = (name: State): string => this.states.get(name) ?? ''
  saveState = (name: State, value: string): void => void this.states.set(name, value)
  setOutput = (name: Output, value: string): void => void this.outputs.set(name, value)
  setSecret = (value: string): void => void this.secrets.push(value)
  info = (text: string): void => void this.lines.push({ kind: 'info', text })
  notice = (text: string): void => void this.lines.push({ kind: 'notice', text })
  warning = (text: string): void => void this.lines.push({ kind: 'warning', text })
  setFailed = (text: string): void => void this.lines.push({ kind: 'failed', text })
  writeSummary = (markdown: string): Promise<void> => {
    this.summaries.push(markdown)
    return Promise.resolve()
  }

  of(kind: FakeActionIO['lines'][number]['kind']): string[] {
    return this.lines.filter((l) => l.kind === kind).map((l) => l.text)
  }
}
