import { VERSION } from './version.js'

const REGISTRIES = `Registries (--registry, --from, --to):
  file:PATH                   one CSV file holding every env's rows (default: file:docs/build-timings.csv,
                              so the CLI works with nothing set up); appends are locked and atomic
  git:BRANCH                  commits to BRANCH of the repository you are in, written with git plumbing:
                              your working tree, index and checked-out branch are never touched; the
                              branch is created as an orphan if missing; one file per env at
                              environments/{env}/latest/build_timings.csv
  github:OWNER/REPO[@BRANCH]  the GitHub contents API (the store the GitHub Action uses); BRANCH defaults
                              to governance-registry; token from GITHUB_TOKEN, API from GITHUB_API_URL
                              (GitHub Enterprise: https://HOST/api/v3)
  The default can also be set with BUILD_TIMINGS_REGISTRY.`

export const MAIN_HELP = `build-timings ${VERSION}: record how long builds take, judge them against budgets, report.

Usage:
  build-timings run --phase P [options] -- COMMAND [ARGS...]   time a command, record a row
  build-timings record --phase P --start T --end T --exit-code N [options]
  build-timings report [--env E] [--phase P] [--since 30d] [--format table|markdown|json|csv|html|comment]
                       [--by cache|flakes] [--compare A,B] [--output FILE]
  build-timings push --from R1 --to R2 [--env E]               copy rows R2 lacks
  build-timings migrate [--env E] [--registry R]               move an oversized latest/ to history/
  build-timings COMMAND --help                                 everything about one command
  build-timings --version

Examples:
  build-timings run --phase deploy-persistent --env dev --build-id persistent -- make deploy
  build-timings report --since 30d
  build-timings push --from file:docs/build-timings.csv --to github:acme/infra

${REGISTRIES}

Defaults: env "local" (or BUILD_TIMINGS_ENV), build id "local", budgets from
.github/build-budgets.yml when that file exists.

Exit codes: run exits with the wrapped command's own code (128+N when a signal N ended it);
the other commands exit 0 on success, 1 when a registry could not be read or written, and every
command exits 2 for a usage error (unknown option, missing "--", bad registry, unreadable file).
`

export const RUN_HELP = `build-timings run: run a command, show its output live, and record how long it took.

Usage:
  build-timings run --phase P [--env E] [--build-id B] [--flags F] [--log-dir DIR]
                    [--registry R] [--budgets FILE] [--export TARGET]... [--alert-webhook URL]
                    [--max-wait D] -- COMMAND [ARGS...]

  Everything after "--" is the command, run as is (no shell: use sh -c '...' for pipes).

Options:
  --phase P        what is timed, e.g. the make target (required)
  --env E          environment; dev, stg/stage and prod become development, staging, production
                   (default: BUILD_TIMINGS_ENV, else "local")
  --build-id B     the build's id; use "persistent" for long-lived clusters (default "local")
  --flags F        free text stored with the row (credentials are redacted)
  --log-dir DIR    where the output is copied (default logs/build-timings), as
                   DIR/{phase}-{build_id}-{YYYYMMDDTHHMMSSZ}.log
  --registry R     where the row goes (default file:docs/build-timings.csv; see below)
  --budgets FILE   budgets YAML (default .github/build-budgets.yml when present; a malformed file
                   is one warning and the run goes on without budgets)
  --export TARGET  also send the row to pushgateway+http(s)://HOST:PORT (Prometheus Pushgateway)
                   or otlp+http(s)://HOST:PORT (OpenTelemetry OTLP/HTTP); repeatable
  --alert-webhook URL
                   a Slack-compatible webhook: one message when the run is over its max, timed
                   out, regressed, under the cache alert level or flaky
  --max-wait D     the most time the exports may take (default 30s); a target that is down costs
                   one line on stderr, never the exit code or the row
  -h, --help       this help

What it records: start and end (UTC), duration, the exit code, status (success, failure, or
cancelled when a signal ended it), the budget verdict, the machine's CPU, memory peak, disk and
network while the command ran (from /proc, on Linux), and Terraform/OpenTofu resource counts
parsed from the output ("Resources: N added, N changed, N destroyed", "Destroy complete!
Resources: N destroyed"; the last one printed wins).

Recording never changes the outcome: if the registry cannot be written, one line on stderr says
why and the row is kept in .build-timings/spool.csv (relative to the current directory), which
you publish later with: build-timings push --from file:.build-timings/spool.csv --to R
Then one summary line on stderr: phase, status, duration, verdict and where the row went.

Signals: SIGTERM and SIGHUP are passed to the command; so is SIGINT unless stdin is a terminal
(Ctrl-C in a terminal already reaches the command; a second one would make Terraform abort).
The command's output is piped, not a terminal: tools may print without colours.

Exit code: the command's own (128+N when signal N ended it; 127 if it could not be found);
2 for a usage error, found before anything runs.

Examples:
  build-timings run --phase bootstrap-persistent --env dev --build-id persistent -- make bootstrap
  build-timings run --phase apply --registry git:governance-registry -- terraform apply -auto-approve
  build-timings run --phase unit-tests -- sh -c 'npm test 2>&1 | tee test.out'

${REGISTRIES}
`

export const RECORD_HELP = `build-timings record: append a row from values, for scripts that time themselves.

Usage:
  build-timings record --phase P --start T --end T --exit-code N [--status S] [--env E]
                       [--build-id B] [--flags F] [--log-path PATH] [--registry R] [--budgets FILE]

Options:
  --start T, --end T  ISO-8601 (2026-01-24T10:15:03Z, or with an offset) or Unix seconds
  --exit-code N       the command's exit code
  --status S          success, failure, cancelled, skipped or unknown (default: success when the
                      exit code is 0, else failure)
  --log-path PATH     stored as is in log_path
  other options as for run (see build-timings run --help)

Like run, a registry that cannot be written costs one line on stderr and the row is kept in
.build-timings/spool.csv; the exit code is then still 0. Exit 2 for a usage error.

Example:
  start=$(date +%s); make deploy; code=$?
  build-timings record --phase deploy --start "$start" --end "$(date +%s)" --exit-code $code

${REGISTRIES}
`

export const REPORT_HELP = `build-timings report: what the registry knows, per phase and env.

Usage:
  build-timings report [--env E] [--phase P] [--since 30d]
                       [--format table|markdown|json|csv|html|comment]
                       [--by phase|cache|flakes] [--compare A,B] [--budgets FILE]
                       [--output FILE] [--publish] [--registry R]

Columns: runs, success rate, p50, p90, p95 and max duration (linear interpolation, as numpy and
Excel's PERCENTILE.INC), the last run, its trend against the median (+25% = the last run took a
quarter longer than p50), and the budget verdicts (ok, over_target, over_max, timeout).
Below the table, when the budgets file sets flake-rate-target: flakes per phase (see --by flakes).

Options:
  --env E          only this env (canonicalised: dev = development)
  --phase P        only this phase (exact name)
  --since S        only runs that started in the last Nh, Nd or Nw, or since an ISO date
                   (2026-01-31 means midnight UTC)
  --format F       table (default), markdown (for PR comments and wikis), json (numbers in
                   seconds, rates from 0 to 1), csv, html (the dashboard: one self-contained page
                   with charts; give --output), comment (a preview of the PR comment the
                   Action would post for the latest build, by env and build id)
  --by cache       cold vs warm per phase: a run is warm when every cache lookup hit
                   (cache_hits = cache_lookups > 0), cold when any missed; medians, IQR, hit
                   rate, and the time the caches save ((cold p50 - warm p50) x warm runs)
  --by flakes      the flake table and every flaky sha: a failure followed by a success of the
                   same sha (re-run or later run) in the same phase and env; rate = flaky shas /
                   shas run, against flake-rate-target from the budgets file
  --compare A,B    before/after per phase: medians, IQR, change and a two-sided Mann-Whitney U
                   test; a change is called only at p < 0.05, else "no detectable change".
                   A and B are each one of:
                     period:FROM..TO  started in [FROM, TO): 14d..7d, 7d.. (TO empty = now),
                                      2026-01-01..2026-02-01
                     ref:NAME         runs of this ref (main = refs/heads/main)
                     flags:WORD       runs whose flags hold WORD (split at spaces, commas, ;)
                   a side without a kind is a period if it holds "..", else a ref
  --budgets FILE   budgets YAML for flake-rate-target and budget lines (default
                   .github/build-budgets.yml when present)
  --output FILE    write the report to FILE instead of stdout
  --publish        with --format html: commit the dashboard to the registry as
                   dashboard/index.html (git: and github: registries: on the registry branch, no
                   commit when the page is unchanged; file:PATH: in PATH's folder)
  --registry R     default file:docs/build-timings.csv

The registry is streamed: a file of a million rows is read without holding its rows. When stderr
is a terminal and the read takes more than a second, a progress line counts the rows read.

Exit codes: 0; 1 when the registry could not be read; 2 for a usage error or a file that is
not a registry.

Examples:
  build-timings report --since 30d
  build-timings report --env production --phase deploy-persistent --format markdown
  build-timings report --by cache --since 30d
  build-timings report --compare period:14d..7d,period:7d..
  build-timings report --compare flags:cache=on,flags:cache=off --phase build
  build-timings report --format html --output dashboard.html
  build-timings report --registry github:acme/infra --format html --publish
  build-timings report --registry git:governance-registry --format json | jq '.groups[0].p95'

${REGISTRIES}
`

export const PUSH_HELP = `build-timings push: copy the rows another registry lacks.

Usage:
  build-timings push --from R1 --to R2 [--env E]

Rows are matched by row_id (by start time, phase, env and build id in a legacy file without that
column), so pushing twice copies each row once. The rows of each env go in one append: one commit
for git: and github: registries. This is how rows recorded on laptops reach the governance
branch: record into the default file, and let a CI job push it.

Options:
  --from R1   where the rows are (e.g. file:docs/build-timings.csv, file:.build-timings/spool.csv)
  --to R2     where they should be
  --env E     only this env

Exit codes: 0; 1 when a registry could not be read or written (nothing half-done: each env's rows
land together or not at all); 2 for a usage error.

Examples:
  build-timings push --from file:.build-timings/spool.csv --to file:docs/build-timings.csv
  GITHUB_TOKEN=... build-timings push --from file:docs/build-timings.csv --to github:acme/infra

${REGISTRIES}
`

export const MIGRATE_HELP = `build-timings migrate: bring a git: or github: registry into the latest/ + history/ layout.

Usage:
  build-timings migrate [--env E] [--registry R]

A registry file stays under 1 MiB: before an append would take
environments/{env}/latest/build_timings.csv past it, that append's commit moves the file, unchanged
and as the same blob, to environments/{env}/history/{ts}.csv ({ts} is its last row's start, e.g.
20260124T101503Z) and starts latest/ again with its header. A registry from before this layout is
moved by its next append; migrate does it now, one commit per env, without adding a row or
changing a byte of any row. A file: registry stays one file (it appends in place): nothing to do.

Options:
  --env E       only this env (default: every env of the registry)
  --registry R  the registry (git:BRANCH or github:OWNER/REPO[@BRANCH])

Exit codes: 0 (also when there was nothing to move); 1 when the registry could not be read or
written; 2 for a usage error.

Examples:
  build-timings migrate --registry git:governance-registry
  GITHUB_TOKEN=... build-timings migrate --registry github:acme/infra --env production

${REGISTRIES}
`
