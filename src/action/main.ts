import { runMain } from './main-job.js'

await runMain()
