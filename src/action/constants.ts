/** Every input, output and state key, named once (as actions/cache does). */
export enum Input {
  Token = 'github-token',
  Mode = 'mode',
  Phase = 'phase',
  Environment = 'environment',
  BuildId = 'build-id',
  Flags = 'flags',
  RegistryRepository = 'registry-repository',
  RegistryBranch = 'registry-branch',
  RegistryPath = 'registry-path',
  BudgetsFile = 'budgets-file',
  CacheHits = 'cache-hits',
  CacheProbes = 'cache-probes',
  Comment = 'comment',
  FailOn = 'fail-on',
  DryRun = 'dry-run',
  MaxWait = 'max-wait',
  Export = 'export',
  AlertWebhook = 'alert-webhook',
  Matrix = 'matrix',
  JobStatus = 'job-status',
  JobId = 'job-id',
}

export enum Output {
  Duration = 'duration-seconds',
  Status = 'status',
  BudgetStatus = 'budget-status',
  RowId = 'row-id',
  RegistryCommit = 'registry-commit',
}

export enum State {
  /** Written by pre: the job's start as ISO-8601. */
  PreStart = 'build-timings-pre-start',
  /** Written by main when pre did not run (local `uses: ./`): a later, estimated start. */
  MainStart = 'build-timings-main-start',
  /** Written by main: the resource sampler's handle (JSON), which post stops (docs/export.md). */
  Sampler = 'build-timings-sampler',
}
