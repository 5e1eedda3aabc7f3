import { runPost } from './post-job.js'

await runPost()
