import { State } from './constants.js'
import { saveStateValue } from './state-file.js'

// The smallest stage: no GitHub client, no registry; only the moment the job reached this step.
saveStateValue(State.PreStart, new Date().toISOString())
