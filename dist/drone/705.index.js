export const id = 705;
export const ids = [705];
export const modules = {

/***/ 4705:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPluginProcess: () => (/* binding */ runPluginProcess)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
;// CONCATENATED MODULE: ./src/core/deadline.ts
/**
 * One deadline for everything a stage waits on (README "Inputs", `max-wait`): requests, backoff, `retry-after`.
 * Whoever would wait past it gives up instead, so the caller keeps the row and ends on time.
 */
class Deadline {
    at;
    now;
    budgetMs;
    constructor(
    /** Epoch milliseconds. */
    at, 
    /** The clock (core takes it from its caller). */
    now, 
    /** The whole allowance, for messages. */
    budgetMs = at - now()) {
        this.at = at;
        this.now = now;
        this.budgetMs = budgetMs;
    }
    /** `ms` from `from` (default: now). */
    static after(ms, now, from = now()) {
        return new Deadline(from + ms, now, ms);
    }
    /** No deadline: for callers that have none (tools that may wait as long as GitHub asks). */
    static never() {
        return new Deadline(Number.POSITIVE_INFINITY, () => 0, Number.POSITIVE_INFINITY);
    }
    remainingMs() {
        return Math.max(0, this.at - this.now());
    }
    passed() {
        return this.remainingMs() <= 0;
    }
    /** Whether a wait of `ms` still ends before the deadline. */
    allows(ms) {
        return ms < this.remainingMs();
    }
}
/** Thrown instead of a request or a wait that would end after the deadline. */
class DeadlinePassed extends Error {
    constructor(deadline) {
        super(`GitHub did not answer within max-wait (${Math.round(deadline.budgetMs / 1000)}s)`);
        this.name = 'DeadlinePassed';
    }
}
function isDeadlinePassed(e) {
    return e instanceof DeadlinePassed;
}

;// CONCATENATED MODULE: ./src/github/octokit.ts




const REQUEST_TIMEOUT_MS = 15_000;
/** A request that got no answer in time: the server accepted it and went silent, or the network did. */
class RequestTimedOut extends Error {
    constructor(what, ms) {
        super(`GitHub did not answer ${what} within ${Math.round(ms / 1000)}s`);
        this.name = 'RequestTimedOut';
    }
}
/**
 * Innermost of the request hooks, so it bounds every attempt the retry and throttling plugins make: a
 * timeout on each, none started past the deadline, and no retry whose wait would end past it.
 */
function boundedRequests(bounds) {
    return (octokit) => {
        ;
        octokit.hook.wrap('request', async (request, options) => {
            const { deadline, requestTimeoutMs } = bounds;
            const what = `${options.method ?? ''} ${String(options.url ?? '').split('?')[0]}`;
            for (;;) {
                if (deadline.passed())
                    throw new DeadlinePassed(deadline);
                const ms = Math.min(requestTimeoutMs, deadline.remainingMs());
                const signal = AbortSignal.timeout(ms);
                // Hooks share one options object (each is bound to it): the signal is set on it, not passed along.
                options.request = { ...options.request, signal };
                try {
                    return await request(options);
                }
                catch (e) {
                    if (signal.aborted) {
                        if (deadline.passed())
                            throw new DeadlinePassed(deadline);
                        // A silent read is asked again while time remains; a write may have landed, so its caller decides.
                        if (options.method === 'GET' || options.method === 'HEAD')
                            continue;
                        throw new RequestTimedOut(what, ms);
                    }
                    // The retry plugin waits (n+1)² s before attempt n+1: not when that wait would outlast the deadline.
                    const wait = ((options.request?.retryCount ?? 0) + 1) ** 2 * 1000;
                    if (options.request && !deadline.allows(wait))
                        options.request.retries = 0;
                    throw e;
                }
            }
        });
        return {};
    };
}
/** The write and notification queues of the throttling plugin pace one process's writes a second apart; ours
 * are few per job and the cost of a herd is across jobs, which pacing in one process cannot see. */
const unpaced = { key: () => ({ schedule: (_o, fn) => fn() }) };
/**
 * The one Octokit factory: `@actions/github`'s client, so a runner's HTTPS_PROXY/NO_PROXY and its GitHub
 * Enterprise API URL apply, with the retry and throttling plugins. 409 is never retried blindly: a
 * stale-sha PUT resent with the same body cannot succeed (docs/architecture.md "GitHub contents API"); the stores re-read and
 * merge instead.
 */
function createClient(opts) {
    const maxWait = opts.maxRateLimitWaitSeconds ?? 90;
    const deadline = opts.deadline ?? Deadline.never();
    const log = opts.log ?? (() => undefined);
    const onLimit = (kind) => (retryAfter, options, _octokit, retryCount) => {
        const again = retryCount < 2 && retryAfter <= maxWait && deadline.allows(retryAfter * 1000);
        log(`GitHub ${kind} rate limit on ${options.method ?? ''} ${options.url ?? ''}: ${again ? `retrying in ${retryAfter}s` : 'giving up'}`);
        return again;
    };
    const bounds = { deadline, requestTimeoutMs: opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS };
    return (0,github/* getOctokit */.Q)(opts.token, {
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, '') } : {}),
        userAgent: 'build-timings',
        // Octokit logs every failed request at error level, expected 404s included: the callers report what
        // matters in one line, so only the retry and throttling plugins' warnings are passed on.
        log: { debug: () => undefined, info: () => undefined, warn: log, error: () => undefined },
        retry: { doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
        throttle: {
            onRateLimit: onLimit('primary'),
            onSecondaryRateLimit: onLimit('secondary'),
            write: unpaced,
            notifications: unpaced,
        },
    }, boundedRequests(bounds), dist_bundle/* retry */.L, plugin_throttling_dist_bundle/* throttling */.A);
}
function httpError(e) {
    if (typeof e === 'object' &&
        e !== null &&
        'status' in e &&
        typeof e.status === 'number') {
        return {
            status: e.status,
            message: String(e.message ?? ''),
        };
    }
    return null;
}
/** The branch moved under us: 409, or the 422 GitHub sometimes gives for the same race (docs/architecture.md "GitHub contents API"). */
function isConflict(e) {
    const h = httpError(e);
    if (!h)
        return false;
    if (h.status === 409)
        return true;
    return (h.status === 422 &&
        /is at [0-9a-f]+ but expected|does not match|not a fast forward|"sha" wasn't supplied/i.test(h.message));
}
/** A token that may read but not write (fork PRs, Dependabot): 403 "Resource not accessible by integration". */
function isReadOnlyDenial(e) {
    const h = httpError(e);
    return !!h && h.status === 403 && /not accessible by integration|permission|write access/i.test(h.message);
}
function isRateLimited(e) {
    const h = httpError(e);
    return !!h && (h.status === 429 || (h.status === 403 && /rate limit/i.test(h.message)));
}

;// CONCATENATED MODULE: ./src/core/errors.ts
function errors_errorMessage(e) {
    if (e instanceof Error)
        return e.message;
    if (typeof e === 'string')
        return e;
    try {
        return JSON.stringify(e);
    }
    catch {
        return String(e);
    }
}
/** Bad user input: the message names the input and says how to fix it. */
class InputError extends Error {
    input;
    constructor(input, message) {
        super(message);
        this.input = input;
        this.name = 'InputError';
    }
}
/** A registry file that does not parse as CSV: it is never rewritten. */
class RegistryParseError extends Error {
    location;
    constructor(location, detail) {
        super(`registry file ${location} is not valid CSV (${detail}); it was left untouched`);
        this.location = location;
        this.name = 'RegistryParseError';
    }
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/core/duration.ts
const UNIT_SECONDS = { h: 3600, m: 60, s: 1 };
/**
 * Durations (README "Budgets"): `90`, `90s`, `1m30s`, `2m`, `1h`, `1h30m`. Returns seconds, or null if not a
 * duration.
 */
function parseDuration(value) {
    if (typeof value === 'number')
        return Number.isFinite(value) && value >= 0 ? value : null;
    if (typeof value !== 'string')
        return null;
    const v = value.trim().toLowerCase();
    if (/^\d+(\.\d+)?$/.test(v))
        return Number(v);
    const match = /^(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?$/.exec(v);
    if (!match || v === '')
        return null;
    const [, h, m, s] = match;
    return Number(h ?? 0) * UNIT_SECONDS.h + Number(m ?? 0) * UNIT_SECONDS.m + Number(s ?? 0);
}
/** `85%`, `85`, `0.85` → 0.85. */
function parsePercent(value) {
    if (typeof value === 'number')
        return value > 1 ? value / 100 : value;
    if (typeof value !== 'string')
        return null;
    const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value);
    if (!match)
        return null;
    const n = Number(match[1]);
    return match[2] || n > 1 ? n / 100 : n;
}

;// CONCATENATED MODULE: ./src/core/glob.ts
/**
 * Phase globs of the budgets file (README "Budgets"), compiled to a matcher that cannot backtrack: `*` (any text,
 * `/` included), `?` (one character), `[abc]`, `[a-z]`, `[!abc]` / `[^abc]`, `{a,b}` alternatives and `\`
 * escapes. A general glob engine turns `*-*-*-*-*-*-*-nightly` against a long matrix phase into an
 * exponential search (6 s per evaluation before); here the stars split the pattern into segments that are
 * placed leftmost-first, which is exact for these globs and costs at most (phase length × pattern length).
 */
/** Most alternatives a pattern's braces may expand to; beyond it the braces are taken literally. */
const MAX_ALTERNATIVES = 64;
function parse(pattern) {
    const chars = Array.from(pattern);
    const segments = [[]];
    let current = segments[0];
    for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        if (ch === '\\' && i + 1 < chars.length) {
            current.push({ kind: 'char', ch: chars[++i] });
        }
        else if (ch === '*') {
            if (current.length || segments.length === 1) {
                current = [];
                segments.push(current);
            }
        }
        else if (ch === '?') {
            current.push({ kind: 'any' });
        }
        else if (ch === '[') {
            const cls = parseClass(chars, i);
            if (cls) {
                current.push(cls.atom);
                i = cls.end;
            }
            else
                current.push({ kind: 'char', ch });
        }
        else
            current.push({ kind: 'char', ch });
    }
    return segments;
}
function parseClass(chars, start) {
    let i = start + 1;
    const negate = chars[i] === '!' || chars[i] === '^';
    if (negate)
        i++;
    const ranges = [];
    let first = true;
    for (; i < chars.length; i++) {
        const ch = chars[i];
        if (ch === ']' && !first)
            return { atom: { kind: 'class', negate, ranges }, end: i };
        first = false;
        const lo = ch === '\\' && i + 1 < chars.length ? chars[++i] : ch;
        if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
            const hi = chars[i + 2];
            ranges.push([lo, hi]);
            i += 2;
        }
        else
            ranges.push([lo, lo]);
    }
    return null;
}
function atomMatches(atom, ch) {
    if (atom.kind === 'any')
        return true;
    if (atom.kind === 'char')
        return atom.ch === ch;
    const inside = atom.ranges.some(([lo, hi]) => ch >= lo && ch <= hi);
    return inside !== atom.negate;
}
function matchesAt(segment, text, at) {
    if (at + segment.length > text.length)
        return false;
    for (let k = 0; k < segment.length; k++)
        if (!atomMatches(segment[k], text[at + k]))
            return false;
    return true;
}
function compileOne(pattern) {
    const segments = parse(pattern);
    if (segments.length === 1) {
        const only = segments[0];
        return (t) => t.length === only.length && matchesAt(only, t, 0);
    }
    const head = segments[0];
    const tail = segments[segments.length - 1];
    const middle = segments.slice(1, -1);
    return (t) => {
        if (!matchesAt(head, t, 0))
            return false;
        const end = t.length - tail.length;
        if (end < head.length || !matchesAt(tail, t, end))
            return false;
        let pos = head.length;
        for (const seg of middle) {
            let found = -1;
            for (let j = pos; j + seg.length <= end; j++) {
                if (matchesAt(seg, t, j)) {
                    found = j;
                    break;
                }
            }
            if (found < 0)
                return false;
            pos = found + seg.length;
        }
        return true;
    };
}
/** `{a,b}c` → `ac`, `bc` (nested braces too); an unbalanced or oversized brace set stays literal. */
function expandBraces(pattern) {
    const open = findBrace(pattern);
    if (!open)
        return [pattern];
    const { start, end, options } = open;
    const out = [];
    for (const option of options) {
        for (const rest of expandBraces(pattern.slice(0, start) + option + pattern.slice(end + 1))) {
            out.push(rest);
            if (out.length > MAX_ALTERNATIVES)
                return [pattern];
        }
    }
    return out;
}
function findBrace(pattern) {
    for (let start = 0; start < pattern.length; start++) {
        if (pattern[start] === '\\') {
            start++;
            continue;
        }
        if (pattern[start] !== '{')
            continue;
        let depth = 0;
        const options = [];
        let from = start + 1;
        for (let i = start; i < pattern.length; i++) {
            const ch = pattern[i];
            if (ch === '\\')
                i++;
            else if (ch === '{')
                depth++;
            else if (ch === '}' && --depth === 0) {
                options.push(pattern.slice(from, i));
                if (options.length > 1)
                    return { start, end: i, options };
                break;
            }
            else if (ch === ',' && depth === 1) {
                options.push(pattern.slice(from, i));
                from = i + 1;
            }
        }
    }
    return null;
}
/** A matcher for one budgets-file glob; the whole phase must match. */
function compileGlob(pattern) {
    const alternatives = expandBraces(pattern).map(compileOne);
    return (text) => {
        const chars = Array.from(text);
        return alternatives.some((m) => m(chars));
    };
}

;// CONCATENATED MODULE: ./src/core/budgets.ts



const DEFAULT_REGRESSION = { window: 20, threshold: 0.5 };
const budgets_NO_BUDGETS = { phases: [], cache: {}, regression: DEFAULT_REGRESSION };
class BudgetsError extends Error {
    file;
    line;
    col;
    constructor(file, line, col, detail) {
        super(`${file}:${line}:${col}: ${detail}`);
        this.file = file;
        this.line = line;
        this.col = col;
        this.name = 'BudgetsError';
    }
}
/**
 * The largest budgets file parsed. Real ones are a few KB (globs cover families of phases); a file far larger
 * is a mistake or an attack, and would cost every job seconds to parse.
 */
const budgets_MAX_BUDGETS_BYTES = 256 * 1024;
function budgets_budgetsTooLarge(file, bytes) {
    return new BudgetsError(file, 1, 1, `${Math.ceil(bytes / 1024)} KiB is over the ${budgets_MAX_BUDGETS_BYTES / 1024} KiB limit for a budgets file (use globs such as "e2e-*" to cover many phases in one entry)`);
}
/** Parses the budgets file (README "Budgets"). Throws BudgetsError naming file, line and column. */
function parseBudgets(text, file) {
    if (text.length > budgets_MAX_BUDGETS_BYTES / 4 && Buffer.byteLength(text) > budgets_MAX_BUDGETS_BYTES)
        throw budgets_budgetsTooLarge(file, Buffer.byteLength(text));
    const lineCounter = new dist/* LineCounter */.HN();
    // The library's own duplicate-key check compares every key with every other (1.5 MB: 26 s):
    // keys are checked here with a set instead.
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    const fail = (offset, detail) => {
        const { line, col } = lineCounter.linePos(offset);
        throw new BudgetsError(file, line, col, detail);
    };
    const first = doc.errors[0];
    if (first)
        fail(first.pos[0], first.message.split('\n')[0] ?? 'invalid YAML');
    if (doc.contents === null)
        return budgets_NO_BUDGETS;
    if (!(0,dist/* isMap */.jh)(doc.contents))
        fail(doc.contents.range?.[0] ?? 0, 'expected a mapping with defaults, phases, cache, regression');
    const root = doc.contents;
    const at = (node) => node?.range?.[0] ?? 0;
    const unique = (map, where) => {
        const seen = new Set();
        for (const pair of map.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            if (seen.has(key))
                fail(at(pair.key), `"${key}" appears twice in ${where}`);
            seen.add(key);
        }
    };
    unique(root, 'the file');
    const budgetOf = (node, where) => {
        if (!(0,dist/* isMap */.jh)(node))
            return fail(at(node), `${where} must be a mapping like { target: 1m, max: 2m }`);
        unique(node, where);
        const budget = {};
        for (const pair of node.items) {
            const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
            if (key !== 'target' && key !== 'max' && key !== 'timeout') {
                fail(at(pair.key), `unknown key "${key}" in ${where}: use target, max or timeout`);
            }
            const raw = (0,dist/* isScalar */.jn)(pair.value) ? pair.value.value : undefined;
            const seconds = parseDuration(raw);
            if (seconds === null)
                fail(at(pair.value), `${where}.${key} "${String(raw)}" is not a duration like 90, 90s, 1m30s, 2m or 1h`);
            budget[key] = seconds;
        }
        return budget;
    };
    const budgets = { phases: [], cache: {}, regression: { ...DEFAULT_REGRESSION } };
    for (const pair of root.items) {
        const key = (0,dist/* isScalar */.jn)(pair.key) ? String(pair.key.value) : '';
        const value = pair.value;
        switch (key) {
            case 'defaults':
                budgets.defaults = budgetOf(value, 'defaults');
                break;
            case 'phases':
                if (!(0,dist/* isMap */.jh)(value))
                    fail(at(value), 'phases must be a mapping of phase name or glob to { target, max, timeout }');
                unique(value, 'phases');
                for (const p of value.items) {
                    const pattern = (0,dist/* isScalar */.jn)(p.key) ? String(p.key.value) : '';
                    budgets.phases.push({ pattern, budget: budgetOf(p.value, `phases."${pattern}"`) });
                }
                break;
            case 'cache':
            case 'regression': {
                if (!(0,dist/* isMap */.jh)(value))
                    fail(at(value), `${key} must be a mapping`);
                unique(value, key);
                for (const p of value.items) {
                    const k = (0,dist/* isScalar */.jn)(p.key) ? String(p.key.value) : '';
                    const raw = (0,dist/* isScalar */.jn)(p.value) ? p.value.value : undefined;
                    const where = at(p.value);
                    if (key === 'cache' && (k === 'hit-rate-target' || k === 'hit-rate-alert')) {
                        const rate = parsePercent(raw);
                        if (rate === null || rate < 0 || rate > 1)
                            fail(where, `cache.${k} "${String(raw)}" is not a percentage like 85%`);
                        budgets.cache[k === 'hit-rate-target' ? 'hitRateTarget' : 'hitRateAlert'] = rate;
                    }
                    else if (key === 'regression' && k === 'window') {
                        const n = Number(raw);
                        if (!Number.isInteger(n) || n < 1)
                            fail(where, `regression.window "${String(raw)}" must be a whole number of runs ≥ 1`);
                        budgets.regression.window = n;
                    }
                    else if (key === 'regression' && k === 'threshold') {
                        const rate = parsePercent(raw);
                        if (rate === null || rate <= 0)
                            fail(where, `regression.threshold "${String(raw)}" is not a percentage like 50%`);
                        budgets.regression.threshold = rate;
                    }
                    else {
                        fail(at(p.key), `unknown key "${k}" in ${key}`);
                    }
                }
                break;
            }
            case 'flake-rate-target': {
                const raw = (0,dist/* isScalar */.jn)(value) ? value.value : undefined;
                const rate = parsePercent(raw);
                if (rate === null || rate < 0 || rate > 1)
                    fail(at(value), `flake-rate-target "${String(raw)}" is not a percentage like 0.1%`);
                budgets.flakeRateTarget = rate;
                break;
            }
            default:
                fail(at(pair.key), `unknown key "${key}": use defaults, phases, cache, regression or flake-rate-target`);
        }
    }
    return budgets;
}
/** Specificity of a glob: its literal characters; an exact name beats every glob. */
function specificity(pattern) {
    return pattern.replace(/[*?[\]{}!]/g, '').length;
}
// Patterns are few and reused for every phase of every evaluation: compile each once.
const compiled = new Map();
function matcher(pattern) {
    let m = compiled.get(pattern);
    if (!m) {
        if (compiled.size > 10_000)
            compiled.clear();
        m = compileGlob(pattern);
        compiled.set(pattern, m);
    }
    return m;
}
/** The budget for a phase: the most specific matching entry (exact name first), over the defaults. */
function budgetFor(budgets, phase) {
    const exact = budgets.phases.find((p) => p.pattern === phase);
    let best = exact;
    if (!best) {
        for (const entry of budgets.phases) {
            if (!matcher(entry.pattern)(phase))
                continue;
            if (!best || specificity(entry.pattern) > specificity(best.pattern))
                best = entry;
        }
    }
    if (!best)
        return budgets.defaults ? { ...budgets.defaults } : undefined;
    return { ...budgets.defaults, ...best.budget };
}
/** README "Budgets": ok (≤ target), over_target (> target), over_max (> max), timeout (≥ timeout). */
function budgetVerdict(seconds, budget) {
    if (!budget || (budget.target === undefined && budget.max === undefined && budget.timeout === undefined))
        return 'none';
    if (budget.timeout !== undefined && seconds >= budget.timeout)
        return 'timeout';
    if (budget.max !== undefined && seconds > budget.max)
        return 'over_max';
    if (budget.target !== undefined && seconds > budget.target)
        return 'over_target';
    return 'ok';
}
/** Only a verdict the user asked to enforce fails a job. */
function failsJob(verdict, failOn) {
    if (failOn === 'timeout')
        return verdict === 'timeout';
    if (failOn === 'over-max')
        return verdict === 'over_max' || verdict === 'timeout';
    return false;
}

;// CONCATENATED MODULE: ./src/core/stats.ts
/**
 * Percentiles by linear interpolation between closest ranks (the "R-7" method, numpy's and Excel's
 * PERCENTILE.INC default): for sorted x of length n, p → x[h] with h = (n − 1)·p, interpolated.
 */
function stats_percentile(sorted, p) {
    const n = sorted.length;
    if (n === 0)
        return null;
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    const hi = Math.ceil(h);
    const a = sorted[lo];
    const b = sorted[hi];
    return a + (b - a) * (h - lo);
}
function median(values) {
    return stats_percentile([...values].sort((a, b) => a - b), 0.5);
}
/**
 * The regression verdict (README "Budgets"): compare with the median of the last `window` successful runs of
 * the phase and env.
 */
function regression(duration, history, opts) {
    const recent = history
        .filter((h) => h.success)
        .slice(-opts.window)
        .map((h) => h.duration);
    const m = median(recent);
    if (m === null || m <= 0)
        return { median: m, change: null, regressed: false, sample: recent.length };
    const change = duration / m - 1;
    // Tolerance for binary fractions: 11 / 10 − 1 is 0.10000000000000009, and exactly median × 1.1 is not "> 1.1".
    return { median: m, change, regressed: change > opts.threshold + 1e-9, sample: recent.length };
}

;// CONCATENATED MODULE: ./src/core/sanitize.ts
/**
 * README "The registry" and docs/security.md: credentials never reach the registry, a comment or a log, control sequences never reach a
 * terminal, and cells never run as spreadsheet formulas (OWASP "CSV injection").
 *
 * Every pattern here runs on untrusted text as long as a captured log line, so each one is written to match
 * in linear time: quantifiers are bounded or delimited by characters they cannot consume, and no pattern
 * nests an unbounded repetition inside another.
 */
const REDACTED = '***';
// ESC and C1 sequences as terminals read them (ECMA-48): CSI, OSC/DCS/SOS/PM/APC strings with their
// terminator, then any other two-character escape. An unterminated string loses only its introducer.
const ESCAPE_SEQUENCE = new RegExp([
    '(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*[@-~]',
    '(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)',
    '\\x1b[ -/]*[0-~]?',
].join('|'), 'g');
const LINE_BREAKS = /[\r\n\v\f\u2028\u2029]+/g;
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const OTHER_CONTROLS = /[\x00-\x08\x0e-\x1f\x7f-\x9f]/g;
/** C0, C1 and ESC sequences removed; line breaks and tabs flattened to one space each. */
function sanitize_stripControls(value) {
    return value
        .replace(ESCAPE_SEQUENCE, '')
        .replace(LINE_BREAKS, ' ')
        .replace(/\t/g, ' ')
        .replace(OTHER_CONTROLS, '');
}
/** Only the escape sequences and C0/C1 controls, keeping tabs and line breaks: for multi-line text (logs). */
function stripTerminalEscapes(value) {
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    return value.replace(ESCAPE_SEQUENCE, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, '');
}
const TOKEN_SHAPES = [
    /(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{20,255}/g, // GitHub classic, OAuth, user-to-server, server-to-server, refresh
    /(?<![A-Za-z0-9])github_pat_[A-Za-z0-9_]{20,255}/g, // GitHub fine-grained PATs
    /(?<![A-Za-z0-9])gl(?:pat|dt|ptt|rt|oas|soat|cbt|imt|agent|ft|ffct|wt)-[A-Za-z0-9_-]{20,255}/g, // GitLab
    /(?<![A-Za-z0-9])GR1348941[A-Za-z0-9_-]{20,255}/g, // GitLab runner registration
    /(?<![A-Za-z0-9])npm_[A-Za-z0-9]{36,255}/g, // npm
    /(?<![A-Za-z0-9])xox[abposre]-[A-Za-z0-9-]{10,255}/g, // Slack bot, user, app-level and refresh tokens
    /(?<![A-Za-z0-9])xapp-\d-[A-Za-z0-9-]{10,255}/g, // Slack app-level tokens
    /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,255}/g, // Stripe secret and restricted keys
    /(?<![A-Za-z0-9])whsec_[A-Za-z0-9+/=]{20,255}/g, // Stripe webhook secrets
    /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}\b/g, // AWS key ids
    /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/g, // Google API keys
    /(?<![A-Za-z0-9])ya29\.[0-9A-Za-z_-]{20,2048}/g, // Google OAuth access tokens
    /(?<![A-Za-z0-9])GOCSPX-[A-Za-z0-9_-]{20,255}/g, // Google OAuth client secrets
    /(?<![A-Za-z0-9])1\/\/0[A-Za-z0-9_-]{40,512}/g, // Google OAuth refresh tokens
    /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{10,4096}/g, // JWTs
    /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----[^]{0,16384}?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)/g,
];
const SLACK_WEBHOOK = /\b(https:\/\/hooks\.slack\.com\/)(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,512}/g;
// Names that say "this is a credential" at their end: DB_PASS, client-secret, GITHUB_TOKEN, api_key.
const SECRET_NAME = '(?:password|passwd|secret|token|apikey|credentials?)';
const SEPARATED_NAME = '(?:pass|key)';
const NAMED = `(?:[A-Za-z0-9_.-]{0,128}?${SECRET_NAME}|[A-Za-z0-9_.-]{0,128}?[_.-]${SEPARATED_NAME})`;
// A bare `key` or `pass` counts only with '=' (KEY=value): "Cache key: linux-node-…" is no secret.
const KEY_NAME = `(?:${NAMED}|${SEPARATED_NAME})`;
const VALUE = `(?:"[^"\\n]{0,4096}"|'[^'\\n]{0,4096}'|[^\\s,;&"']{1,4096})`;
// KEY=value and key: value; the key is kept so the cell still says what was there.
const SECRET_ASSIGNMENT = new RegExp(`(?<![A-Za-z0-9_.-])(${KEY_NAME})(\\s{0,8}=\\s{0,8})${VALUE}`, 'gi');
const SECRET_COLON = new RegExp(`(?<![A-Za-z0-9_.-])(${NAMED})(\\s{0,8}:\\s{0,8})${VALUE}`, 'gi');
// "client_secret": "…" in JSON, 'password': … in YAML or Python.
const QUOTED_KEY = new RegExp(`(["'])(${KEY_NAME})\\1(\\s{0,8}[=:]\\s{0,8})("(?:[^"\\\\\\n]|\\\\.){0,4096}"|'[^'\\n]{0,4096}'|[^\\s,;}\\]]{1,4096})`, 'gi');
// --password X, --client-secret=X, -token X (Go style), and the short -p X of mysql and friends.
const LONG_OPTION = new RegExp(`(^|\\s)(--?(?:[A-Za-z0-9]{1,32}[-_]){0,6}(?:password|passwd|pass|secret|token|key|apikey|credentials?))(=|\\s{1,8})${VALUE}`, 'gi');
const SHORT_P_OPTION = new RegExp(`(^|\\s)(-p)(=|\\s{1,8})${VALUE}`, 'g');
const AUTH_HEADER = /\b(authorization\s{0,8}[:=]\s{0,8})((?:basic|bearer|token|digest|negotiate|ntlm)\s{1,8})?[^\s"',;]{1,8192}/gi;
const BEARER = /\b(Bearer|token)\s{1,8}[A-Za-z0-9._~+/-]{16,8192}=*/gi;
// scheme://user:pw@ and scheme://TOKEN@: everything up to the last '@' of the authority, so a password
// holding '@' (user:pa@ss@host) goes whole.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/)[^\s/?#]{1,2048}@/gi;
/**
 * Every form a known secret can take in printed text: as is, JSON-escaped, URL-encoded, and base64 at each of
 * the three alignments it can have inside a longer base64 string (so `Basic` headers or encoded blobs that
 * carry it are caught too). Longest first, so a variant that contains another is replaced whole.
 */
function secretVariants(secrets) {
    const out = new Set();
    for (const s of secrets) {
        if (!s || s.length < 4)
            continue;
        out.add(s);
        out.add(JSON.stringify(s).slice(1, -1));
        out.add(encodeURIComponent(s));
        for (let shift = 0; shift < 3; shift++) {
            const b64 = Buffer.from('\0'.repeat(shift) + s, 'utf8').toString('base64');
            // Drop the characters that depend on the padding bytes around the secret.
            const start = Math.ceil((shift * 4) / 3);
            const end = Math.floor(((shift + Buffer.byteLength(s)) * 4) / 3);
            const core = b64.slice(start, end);
            if (core.length >= 8)
                out.add(core);
        }
    }
    return [...out].sort((a, b) => b.length - a.length);
}
/**
 * Only the credential shapes, without any known secret. Without `heuristics`, only the shapes that cannot be
 * ordinary text (tokens, URL user-info, Authorization values): for command output, where `-p 8080` or
 * `SORT_KEY=name` are common and a redacted one would only confuse.
 */
function redactPatterns(value, heuristics = true) {
    let out = value;
    for (const pattern of TOKEN_SHAPES)
        out = out.replace(pattern, REDACTED);
    out = out.replace(SLACK_WEBHOOK, `$1${REDACTED}`);
    out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
    out = out.replace(AUTH_HEADER, (_m, head, scheme) => `${head}${scheme ?? ''}${REDACTED}`);
    out = out.replace(BEARER, `$1 ${REDACTED}`);
    if (!heuristics)
        return out;
    out = out.replace(QUOTED_KEY, (_m, q, key, sep, value) => {
        const quote = value[0] === '"' || value[0] === "'" ? value[0] : '';
        return `${q}${key}${q}${sep}${quote}${REDACTED}${quote}`;
    });
    out = out.replace(LONG_OPTION, (_m, pre, name, sep) => `${pre}${name}${sep}${REDACTED}`);
    out = out.replace(SHORT_P_OPTION, (_m, pre, name, sep) => `${pre}${name}${sep}${REDACTED}`);
    const keepKey = (_m, key, sep) => `${key}${sep}${REDACTED}`;
    out = out.replace(SECRET_ASSIGNMENT, keepKey);
    out = out.replace(SECRET_COLON, keepKey);
    return out;
}
/** A redactor for many texts with the same known secrets (their variants are computed once). */
function redactor(knownSecrets = [], { heuristics = true } = {}) {
    const variants = secretVariants(knownSecrets);
    return (value) => {
        let out = value;
        for (const v of variants)
            if (out.includes(v))
                out = out.split(v).join(REDACTED);
        return redactPatterns(out, heuristics);
    };
}
function sanitize_redactSecrets(value, knownSecrets = []) {
    return redactor(knownSecrets)(value);
}
/** One line for a person to read: controls out, credentials out. Every message the tool prints goes here. */
function sanitize_safeLine(value, knownSecrets = []) {
    return sanitize_redactSecrets(sanitize_stripControls(value), knownSecrets);
}
const FORMULA_START = /^[=+\-@\t\r]/;
// After flattening, a cell can start with spaces before its '=': spreadsheets that trim would still run it.
const FORMULA_AFTER_SPACE = /^ +[=+\-@]/;
function sanitize_neutraliseFormula(value) {
    return FORMULA_START.test(value) || FORMULA_AFTER_SPACE.test(value) ? `'${value}` : value;
}
/**
 * Free text for a cell (README "The registry"): controls removed and newlines flattened first, so that no formula hides
 * behind them; then credentials redacted and formula starts neutralised; then bounded.
 */
function sanitize_cleanCell(value, knownSecrets = [], maxLength = 500) {
    const safe = sanitize_neutraliseFormula(sanitize_redactSecrets(sanitize_stripControls(value), knownSecrets));
    if (safe.length <= maxLength)
        return safe;
    const chars = Array.from(safe);
    return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : safe;
}
/**
 * Names of environment variables whose values are credentials (GITHUB_TOKEN, DB_PASSWORD, AWS_SECRET_ACCESS_KEY):
 * the known secrets of a process, redacted from what it prints and from the logs it captures.
 */
const SECRET_ENV_NAME = /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|PASS|PWD|SECRET|KEY|API_KEY|APIKEY|CREDENTIALS?|PAT)(?:_|$)/i;
const NOT_SECRET_ENV_NAME = /^(?:PWD|OLDPWD)$|_(?:FILE|PATH|DIR|URL|ID|NAME|TYPE|USER|USERNAME)$/i;
function secretsFromEnv(env) {
    const out = [];
    for (const [name, value] of Object.entries(env)) {
        if (!value || value.length < 6 || !SECRET_ENV_NAME.test(name) || NOT_SECRET_ENV_NAME.test(name))
            continue;
        if (/^(?:true|false|yes|no|on|off|\d{1,12})$/i.test(value))
            continue;
        out.push(value);
    }
    return out;
}

;// CONCATENATED MODULE: ./src/core/render/markdown.ts

const WORD_JOINER = '\u2060';
/**
 * Text that came from users (phases, job names, matrix values, flags, reasons) made inert for GitHub's
 * Markdown (README "The GitHub Action"): one line with controls and credentials out; no HTML (`<`, `>`, `&` escaped); no links
 * or images (`[` and `]` escaped, so no `[…](…)` or `![…](…)` forms; autolinks broken by a word joiner after `://`, `www.`); no
 * @mentions or #references (a word joiner after `@` and `#`: GitHub finds them in the rendered text, so a
 * backslash or an entity would not stop them); no code spans (backticks escaped); `|` escaped for tables.
 */
function markdown_inert(text) {
    return sanitize_safeLine(text)
        .replace(/[\\`[\]]/g, '\\$&')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/\|/g, '\\|')
        .replace(/@|#(?=\d)|\bGH-(?=\d)/gi, `$&${WORD_JOINER}`)
        .replace(/:\/\//g, `:${WORD_JOINER}//`)
        .replace(/\b(www)\./gi, `$1${WORD_JOINER}.`)
        .trim();
}
/** A table cell: inert user text. Cells were also formula-neutralised and redacted when the row was built. */
function cell(text) {
    return markdown_inert(text);
}
function table(header, align, rows) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    const rule = `|${align.map((a) => (a === 'r' ? '---:' : '---')).join('|')}|`;
    return [line(header), rule, ...rows.map(line)].join('\n');
}
/** A fenced block whose fence is longer than any backtick run inside, so no cell can close it early. */
function fenced(info, body) {
    const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return `${fence}${info}\n${body.replace(/\n$/, '')}\n${fence}`;
}
function percent(ratio, digits = 0) {
    return `${(ratio * 100).toFixed(digits)}%`;
}
/** `+62%`, `−12%` (a real minus sign, so it never reads as a list or formula), `±0%`. */
function signedPercent(ratio) {
    const rounded = Math.round(ratio * 100);
    if (rounded === 0)
        return '±0%';
    return rounded > 0 ? `+${rounded}%` : `−${Math.abs(rounded)}%`;
}
/** `10m`, `1m 1s`, `1h 2m`, `45s`: like core/time humanDuration without the zero parts, `—` when unknown. */
function seconds(value) {
    if (value === undefined || value === null || !Number.isFinite(value))
        return '—';
    const s = Math.max(0, Math.round(value));
    if (s < 60)
        return `${s}s`;
    const parts = [
        [Math.floor(s / 3600), 'h'],
        [Math.floor((s % 3600) / 60), 'm'],
        [s % 60, 's'],
    ];
    return parts
        .filter(([n]) => n > 0)
        .map(([n, unit]) => `${n}${unit}`)
        .join(' ');
}
const VERDICTS = {
    ok: '✅ ok',
    over_target: '🟡 over target',
    over_max: '🔴 over max',
    timeout: '⛔ timeout',
    none: '➖ no budget',
};
function verdictText(verdict) {
    return VERDICTS[verdict] ?? (verdict ? cell(verdict) : VERDICTS.none);
}
/** Over its target or worse: what the comment counts as a budget breach. */
function isBreach(verdict) {
    return verdict === 'over_target' || verdict === 'over_max' || verdict === 'timeout';
}
const STATUSES = {
    success: '✅ success',
    failure: '❌ failure',
    cancelled: '🚫 cancelled',
    skipped: '⏭️ skipped',
    unknown: '❔ unknown',
};
function statusText(status) {
    return STATUSES[status] ?? (status ? cell(status) : STATUSES.unknown);
}
const CACHE_RESULTS = {
    exact: '✅ exact',
    partial: '🟡 partial',
    miss: '❌ miss',
};
function cacheResultText(result) {
    return CACHE_RESULTS[result];
}
const CACHE_VERDICTS = {
    met: '✅ target met',
    not_met: '🟡 below target',
    alert: '🔴 below alert level',
    none: '➖ no target',
};
function cacheVerdictText(verdict) {
    return CACHE_VERDICTS[verdict];
}
/** Byte length in UTF-8: never less than the character count, so a limit checked on it holds for both. */
function utf8Length(text) {
    return new TextEncoder().encode(text).length;
}

;// CONCATENATED MODULE: ./src/core/render/mermaid.ts

/**
 * Mermaid's entity codes (`#58;` for ':'): the gantt grammar ends a task name at ':', '#…;' is read as an
 * entity and '%%' starts a comment, so these characters are written as codes, which Mermaid turns back
 * into the characters in the drawing. '#' goes first so the codes' own '#' are not encoded again.
 */
function entities(text, reserved) {
    return text.replace(/#/g, '#35;').replace(reserved, (ch) => `#${ch.charCodeAt(0)};`);
}
const oneLine = (text, maxLength) => {
    const flat = sanitize_safeLine(text).replace(/\s+/g, ' ').trim();
    return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
};
/** A task name or title inside a gantt: one bounded line, with the characters the grammar reserves encoded. */
function ganttText(text, maxLength = 60) {
    return entities(oneLine(text, maxLength), /(?<!#\d*)[:;%<>]/g);
}
/** A quoted string for xychart titles and labels. */
function quoted(text, maxLength = 80) {
    return `"${entities(oneLine(text, maxLength), /(?<!#\d*)[;%"<>]/g)}"`;
}
/**
 * A gantt of the steps on an axis of seconds since the job started. The numbers are Unix milliseconds
 * (`dateFormat x`), so "0" is the job's start and `axisFormat %s` prints seconds since it in any viewer's
 * time zone (an `%H:%M` axis would shift by the viewer's UTC offset). Not `dateFormat X` (seconds): Mermaid
 * 12 parses its task starts as 0, so every bar would begin at the job's start.
 */
function stepsGantt(title, steps) {
    const lines = [
        'gantt',
        `  title ${ganttText(title, 80)}`,
        '  dateFormat x',
        '  axisFormat %s',
        '  todayMarker off',
    ];
    lines.push(`  section ${ganttText('steps', 40)}`);
    for (const step of steps) {
        const name = ganttText(`${step.number}. ${step.name}`);
        const tags = [];
        if (step.conclusion === 'failure')
            tags.push('crit');
        else if (step.conclusion === 'success')
            tags.push('done');
        // A zero-second step would be an invisible bar: show it as a milestone instead.
        if (step.seconds === 0)
            tags.push('milestone');
        const start = step.offset * 1000;
        const end = (step.offset + step.seconds) * 1000;
        lines.push(`  ${name} :${[...tags, `s${step.number}`].join(', ')}, ${start}, ${end}`);
    }
    return lines.join('\n');
}
/** Line colours: the duration, the target, the max (named in the legend under the chart). */
const TREND_COLOURS = { duration: '#4e79a7', target: '#f28e2b', max: '#e15759' };
/** An xychart of the recent durations with the target and max as flat lines (xychart has no legend). */
function trendChart(series) {
    const n = series.durations.length;
    const labels = series.durations.map((_, i) => quoted(i === n - 1 ? 'now' : `-${n - 1 - i}`));
    const peak = Math.max(1, ...series.durations, series.target ?? 0, series.max ?? 0);
    const top = Math.ceil((peak * 1.1) / 10) * 10;
    const palette = [TREND_COLOURS.duration];
    const lines = [`  line [${series.durations.map((d) => Math.round(d)).join(', ')}]`];
    if (series.target !== undefined) {
        palette.push(TREND_COLOURS.target);
        lines.push(`  line [${series.durations.map(() => Math.round(series.target)).join(', ')}]`);
    }
    if (series.max !== undefined) {
        palette.push(TREND_COLOURS.max);
        lines.push(`  line [${series.durations.map(() => Math.round(series.max)).join(', ')}]`);
    }
    return [
        '---',
        'config:',
        '  themeVariables:',
        '    xyChart:',
        `      plotColorPalette: "${palette.join(', ')}"`,
        '---',
        'xychart-beta',
        `  title ${quoted(series.title)}`,
        `  x-axis ${quoted('runs ago')} [${labels.join(', ')}]`,
        `  y-axis ${quoted('seconds')} 0 --> ${top}`,
        ...lines,
    ].join('\n');
}
/** The bodies of the ```mermaid blocks of a Markdown text, in order (for tests and screenshots). */
function mermaidBlocks(markdown) {
    return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2]);
}

;// CONCATENATED MODULE: ./src/core/render/comment.ts




/** GitHub refuses bodies over 65,536 characters (422 "Body is too long"); we stay under this. */
const COMMENT_LIMIT = 65_000;
/** How many recent durations a trend chart shows. */
const TREND_POINTS = 20;
/** The hidden first line that finds our comment again: one comment per pull request and workflow. */
function commentMarker(workflow) {
    // `--` would end the HTML comment early; newlines would split the marker line.
    const name = workflow
        .replace(/[\r\n]+/g, ' ')
        .replace(/-{2,}/g, '-')
        .replace(/>/g, '›')
        .trim();
    return `<!-- build-timings:${name} -->`;
}
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const byName = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
const comment_int = (text) => {
    if (text === undefined || text.trim() === '')
        return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : null;
};
/** Rows without a status column (legacy files) count as successful when they exited 0. */
const succeeded = (row) => (row.status ? row.status === 'success' : row.exit_code === '0');
/** One line per phase of the run (the latest row wins if a phase was recorded twice), ordered by name. */
function phaseLines(input) {
    const latest = new Map();
    for (const row of input.rows)
        latest.set(row.phase ?? '', row);
    const runIds = new Set(input.rows.map((r) => r.row_id).filter(Boolean));
    return [...latest.entries()]
        .sort(([a], [b]) => byName(a, b))
        .map(([phase, row]) => {
        const duration = comment_int(row.duration_seconds) ?? 0;
        const budget = budgetFor(input.budgets, phase);
        const target = comment_int(row.budget_target_seconds) ?? budget?.target;
        const max = comment_int(row.budget_max_seconds) ?? budget?.max;
        // Legacy rows carry no verdict: judge them against today's budgets.
        const verdict = row.budget_status || budgetVerdict(duration, budget);
        const start = row.start_time_utc ?? '';
        const earlier = input.history.filter((h) => h.phase === phase &&
            h.env === row.env &&
            !(h.row_id && runIds.has(h.row_id)) &&
            (h.start_time_utc ?? '') < start &&
            comment_int(h.duration_seconds) !== null);
        const past = earlier.map((h) => ({
            duration: comment_int(h.duration_seconds),
            success: succeeded(h),
        }));
        const trend = [...past.map((p) => p.duration).slice(-(TREND_POINTS - 1)), duration];
        return {
            phase,
            row,
            duration,
            status: row.status ?? '',
            target,
            max,
            verdict,
            hits: comment_int(row.cache_hits),
            lookups: comment_int(row.cache_lookups),
            regression: regression(duration, past, input.budgets.regression),
            trend,
        };
    });
}
function headline(lines) {
    const slowest = lines.reduce((a, b) => (a === null || b.duration > a.duration ? b : a), null);
    const parts = [];
    if (slowest)
        parts.push(`**Slowest:** ${cell(slowest.phase)} (${seconds(slowest.duration)})`);
    const count = (v) => lines.filter((l) => l.verdict === v).length;
    const breaches = lines.filter((l) => isBreach(l.verdict)).length;
    if (breaches) {
        const detail = ['timeout', 'over_max', 'over_target']
            .filter((v) => count(v))
            .map((v) => `${count(v)} ${verdictText(v).replace(/^\S+ /, '')}`)
            .join(', ');
        parts.push(`**Budget breaches:** ${breaches} of ${lines.length} (${detail})`);
    }
    else {
        parts.push(`**Budget breaches:** none of ${lines.length}`);
    }
    const withCache = lines.filter((l) => l.lookups);
    const hits = withCache.reduce((s, l) => s + (l.hits ?? 0), 0);
    const lookups = withCache.reduce((s, l) => s + (l.lookups ?? 0), 0);
    parts.push(lookups
        ? `**Cache hit rate:** ${percent(hits / lookups)} (${hits}/${lookups})`
        : '**Cache hit rate:** no lookups reported');
    const regressed = lines.filter((l) => l.regression.regressed).length;
    if (regressed)
        parts.push(`**Slower than usual:** ${regressed}`);
    return parts.join(' · ');
}
function changeCell(reg) {
    if (reg.change === null || reg.median === null)
        return '—';
    return `${signedPercent(reg.change)} vs ${seconds(reg.median)}${reg.regressed ? ' ⚠️' : ''}`;
}
function phaseRow(l) {
    return [
        cell(l.phase),
        statusText(l.status),
        seconds(l.duration),
        seconds(l.target),
        seconds(l.max),
        verdictText(l.verdict),
        l.lookups ? `${l.hits ?? 0}/${l.lookups}` : '—',
        changeCell(l.regression),
    ];
}
function chartSection(l) {
    const legend = ['duration (blue)'];
    if (l.target !== undefined)
        legend.push(`target ${seconds(l.target)} (orange)`);
    if (l.max !== undefined)
        legend.push(`max ${seconds(l.max)} (red)`);
    const why = [
        isBreach(l.verdict) ? verdictText(l.verdict) : '',
        l.regression.regressed && l.regression.change !== null && l.regression.median !== null
            ? `⚠️ ${signedPercent(l.regression.change)} against the median ${seconds(l.regression.median)}`
            : '',
    ]
        .filter(Boolean)
        .join(' · ');
    return [
        `**${cell(l.phase)}** — ${why}`,
        fenced('mermaid', trendChart({
            title: `${l.phase}: last ${l.trend.length} runs`,
            durations: l.trend,
            target: l.target,
            max: l.max,
        })),
        `<sub>Lines: ${legend.join(', ')}.</sub>`,
    ].join('\n\n');
}
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
function compose(input, lines, charted, shownRows, shownCharts) {
    const out = [
        commentMarker(input.workflow),
        `### ⏱️ Build timings: ${cell(input.workflow.slice(0, 200))}`,
        headline(lines),
    ];
    out.push(table(['phase', 'status', 'duration', 'target', 'max', 'verdict', 'cache hits', 'vs median'], ['l', 'l', 'r', 'r', 'r', 'l', 'r', 'r'], lines.slice(0, shownRows).map(phaseRow)));
    if (shownRows < lines.length) {
        out.push(`… ${plural(lines.length - shownRows, 'more phase')} not shown: a comment holds at most ${COMMENT_LIMIT.toLocaleString('en')} characters.`);
    }
    if (charted.length) {
        const shown = charted.slice(0, shownCharts);
        if (shown.length)
            out.push('#### Recent trend of the phases over budget or slower than usual', ...shown.map(chartSection));
        if (shownCharts < charted.length) {
            out.push(`… ${plural(charted.length - shownCharts, 'trend chart')} left out to keep this comment short enough.`);
        }
    }
    const footer = ['Updated by build-timings as each job of the run finishes'];
    if (input.runUrl)
        footer.push(`[this run](${input.runUrl})`);
    out.push(`<sub>${footer.join(' · ')}. “vs median”: this run against the median of earlier successful runs.</sub>`);
    return out.join('\n\n') + '\n';
}
/** The largest n in [lo, hi] with fits(n), given fits(lo); binary search keeps long runs cheap. */
function largest(lo, hi, fits) {
    while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (fits(mid))
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}
/**
 * The PR comment (README "What you see"): marker, headline, one line per phase ordered by name, and trend
 * charts for the phases that breach their budget or regress. Kept under the limit by dropping charts
 * first, then rows, each with a note.
 */
function renderComment(input) {
    const limit = input.limit ?? COMMENT_LIMIT;
    const lines = phaseLines(input);
    const charted = lines.filter((l) => isBreach(l.verdict) || l.regression.regressed);
    const fits = (text) => utf8Length(text) < limit;
    const full = compose(input, lines, charted, lines.length, charted.length);
    if (fits(full))
        return full;
    const noCharts = (rows) => compose(input, lines, charted, rows, 0);
    if (fits(noCharts(lines.length))) {
        const k = largest(0, charted.length, (n) => fits(compose(input, lines, charted, lines.length, n)));
        return compose(input, lines, charted, lines.length, k);
    }
    const rows = largest(0, lines.length, (n) => n === 0 || fits(noCharts(n)));
    return noCharts(rows);
}

;// CONCATENATED MODULE: ./src/core/render/shown.ts
/**
 * Which rows a PR comment shows, written into the comment itself as a hidden line of short row keys, so a
 * job can tell whether its render would add anything before it spends a write (README "Within GitHub's limits").
 */
const PREFIX = '<!-- build-timings-rows:';
/** 32-bit FNV-1a of the row_id, 8 hex digits: short, stable, and enough to tell a run's rows apart. */
function rowKey(rowId) {
    let h = 0x811c9dc5;
    for (let i = 0; i < rowId.length; i++) {
        h ^= rowId.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16).padStart(8, '0');
}
/** The hidden line that lists the rows a body shows. */
function shownLine(rowIds) {
    return `${PREFIX} ${[...new Set(rowIds.map(rowKey))].sort().join(' ')} -->`;
}
/** The row keys a comment body says it shows (none for a body without the line). */
function rowsShown(body) {
    const line = body.split('\n').find((l) => l.startsWith(PREFIX));
    if (!line)
        return new Set();
    return new Set(line.slice(PREFIX.length, line.lastIndexOf('-->')).trim().split(/\s+/).filter(Boolean));
}
/** Whether a body already shows every one of these rows. */
function showsAll(body, rowIds) {
    const shown = rowsShown(body);
    return rowIds.every((id) => shown.has(rowKey(id)));
}

;// CONCATENATED MODULE: ./src/github/comments.ts

/** The token may not comment here (403 that is not a rate limit): fork and Dependabot tokens. */
class CommentDenied extends Error {
}
async function write(call) {
    try {
        return await call();
    }
    catch (e) {
        if (httpError(e)?.status === 403 && !isRateLimited(e))
            throw new CommentDenied();
        throw e;
    }
}
async function unlessGone(call) {
    try {
        await write(call);
        return true;
    }
    catch (e) {
        if (httpError(e)?.status !== 404)
            throw e;
        return false;
    }
}
/**
 * The comments with whether this token wrote each (`viewerDidAuthor`), a page of 100 per query: ownership
 * without asking the token's identity separately. `fullDatabaseId` is the REST id (comment ids have outgrown
 * GraphQL's 32-bit `databaseId`).
 */
const COMMENTS = `query ($owner: String!, $repo: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      comments(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { fullDatabaseId body createdAt viewerDidAuthor author { __typename login } }
      }
    }
  }
}`;
/** Every comment of the pull request over GraphQL, or null when GraphQL cannot say (REST lists them then). */
async function listOverGraphQL(client, vars) {
    const all = [];
    let after = null;
    try {
        for (;;) {
            const answer = await client.graphql(COMMENTS, { ...vars, after });
            const page = answer.repository?.pullRequest?.comments;
            if (!page)
                return null;
            for (const c of page.nodes) {
                const id = Number(c?.fullDatabaseId);
                if (!c || !Number.isSafeInteger(id))
                    return null;
                all.push({
                    id,
                    body: c.body,
                    login: c.author?.login ?? '',
                    type: c.author?.__typename ?? '',
                    createdAt: c.createdAt,
                    mine: c.viewerDidAuthor,
                });
            }
            if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor)
                return all;
            after = page.pageInfo.endCursor;
        }
    }
    catch {
        return null;
    }
}
function pullRequestComments(client, owner, repo, prNumber) {
    const issue = { owner, repo, issue_number: prNumber };
    let graphqlWorks = true;
    return {
        async list() {
            if (graphqlWorks) {
                const listed = await listOverGraphQL(client, { owner, repo, number: prNumber });
                if (listed)
                    return listed;
                graphqlWorks = false;
            }
            const raw = await client.paginate(client.rest.issues.listComments, { ...issue, per_page: 100 });
            return raw.map((c) => ({
                id: c.id,
                body: c.body ?? '',
                login: c.user?.login ?? '',
                type: c.user?.type ?? '',
                createdAt: c.created_at,
            }));
        },
        async create(body) {
            const created = await write(() => client.rest.issues.createComment({ ...issue, body }));
            return { id: created.data.id, login: created.data.user?.login ?? '' };
        },
        update: (id, body) => unlessGone(() => client.rest.issues.updateComment({ owner, repo, comment_id: id, body })),
        async remove(id) {
            await unlessGone(() => client.rest.issues.deleteComment({ owner, repo, comment_id: id }));
        },
        async body(id) {
            try {
                const res = await client.rest.issues.getComment({ owner, repo, comment_id: id });
                return res.data.body ?? '';
            }
            catch (e) {
                if (httpError(e)?.status === 404)
                    return null;
                throw e;
            }
        },
        // GraphQL's viewer answers every kind of token, installation tokens included (`{app}[bot]`, and
        // github-actions[bot] for GITHUB_TOKEN), where REST GET /user refuses them.
        async viewerLogin() {
            try {
                const answer = await client.graphql('query { viewer { login } }');
                if (answer.viewer.login)
                    return answer.viewer.login;
            }
            catch {
                // an older GitHub Enterprise or a proxy without GraphQL: the REST answer, for user tokens
            }
            try {
                const me = await client.rest.users.getAuthenticated();
                return me.data.login || null;
            }
            catch {
                return null;
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/app/pr-comment.ts






/** Looks after a write: a racing job's older render can land after ours at most this many times in a row. */
const MAX_CHECKS = 3;
/** Long enough for the next writer of a matrix to commit its row (a write is well under a second). */
const HAND_OVER_MS = 1500;
const HAND_OVER_LOOK_MS = 150;
/**
 * `deferTo` for a job of a matrix (README "Within GitHub's limits"): while other jobs of the run are still
 * to write their rows, wait a moment and look whether the registry moved; if it did, a job that knows more
 * rows writes the comment, and this one spends no write on it.
 */
function handOverToLaterWriters(opts) {
    return async (read) => {
        if (!opts.writers)
            return false;
        const landed = landedIn(read.rows.map((r) => r.row_id ?? '').join('\n'), opts.run);
        if (contentionAmong(opts.writers, landed).writers <= 1)
            return false;
        if (opts.deadline && !opts.deadline.allows(HAND_OVER_MS * 2))
            return false;
        // The next writer usually commits within one write's time: look often (a conditional read of an
        // unchanged file costs no budget) and hand over as soon as it has.
        for (let waited = 0; waited < HAND_OVER_MS; waited += HAND_OVER_LOOK_MS) {
            await sleep(HAND_OVER_LOOK_MS);
            const now = await opts.store.read(opts.env, { fresh: true });
            if (now.version !== read.version)
                return true;
        }
        return false;
    };
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const NO_PERMISSION = 'cannot comment: grant pull-requests: write (fork and Dependabot pull requests get a read-only token)';
const oldestFirst = (a, b) => a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;
/** The identity GITHUB_TOKEN writes as: the default of the action's github-token. */
const ACTIONS_BOT = 'github-actions[bot]';
/**
 * Whose comment is it? Ours only when its body starts with our marker and its author is the identity this
 * token writes as (README "The GitHub Action"): another bot's or person's comment is never edited or deleted, whatever marker
 * it carries. GitHub says so with each comment when the listing comes from GraphQL (`viewerDidAuthor`);
 * a REST listing asks the identity once, and only when a marker comment exists (GraphQL's viewer: a
 * user's login for a personal token, `{app}[bot]` for an app, github-actions[bot] for GITHUB_TOKEN), or
 * learns it from the comment this call creates. Should GitHub not say, only github-actions[bot], the
 * default token's identity, is taken as ours.
 */
class OurComments {
    api;
    marker;
    logins = new Set();
    /** undefined: not asked yet; null: GitHub did not say. */
    viewer = undefined;
    constructor(api, marker) {
        this.api = api;
        this.marker = marker;
    }
    learn(login) {
        if (login)
            this.logins.add(login);
    }
    /** Ours, oldest first. */
    async list() {
        const marked = (await this.api.list()).filter((c) => c.body.startsWith(this.marker));
        const unsaid = marked.some((c) => c.mine === undefined);
        if (unsaid && this.viewer === undefined && this.logins.size === 0) {
            this.viewer = await this.api.viewerLogin();
            if (this.viewer)
                this.learn(this.viewer);
        }
        return marked.filter((c) => this.isOurs(c)).sort(oldestFirst);
    }
    isOurs(c) {
        if (c.mine !== undefined)
            return c.mine;
        if (this.logins.has(c.login))
            return true;
        return this.viewer === null && this.logins.size === 0 && c.login === ACTIONS_BOT;
    }
}
/**
 * Create the comment if none is ours, update the oldest when it does not show every row of this render yet
 * (README "Within GitHub's limits"), delete the others.
 */
async function writeOnce(api, ours, render) {
    const done = { keptId: null, createdId: null, updated: false };
    let mine = await ours.list();
    if (mine.length === 0) {
        const created = await api.create(render.body);
        done.keptId = created.id;
        done.createdId = created.id;
        ours.learn(created.login);
        // Another job may have created one at the same moment: look again, so that the oldest wins below.
        mine = await ours.list();
    }
    const keep = mine[0];
    if (!keep)
        return done;
    done.keptId = keep.id;
    if (keep.id !== done.createdId && keep.body !== render.body && !showsAll(keep.body, render.ids)) {
        // False: deleted by a racing job between our list and our update; that job's comment stands.
        done.updated = await api.update(keep.id, render.body);
    }
    for (const extra of mine.slice(1))
        await api.remove(extra.id);
    return done;
}
/** The body for these rows, with the hidden line of the rows it shows. */
function renderFor(opts, read, rows) {
    const ids = rows.map((r) => r.row_id ?? '');
    const shown = shownLine(ids);
    const table = renderComment({
        workflow: opts.workflow,
        rows,
        history: read.rows,
        budgets: opts.budgets,
        limit: COMMENT_LIMIT - shown.length - 1,
    });
    return { ids, body: `${table}\n${shown}` };
}
/**
 * The PR comment of a run (README "What you see"): one comment per pull request and workflow, rendered
 * from the registry rows of this run, updated in place, duplicates from racing jobs collapsed to the
 * oldest. Never throws: GitHub or registry trouble is one log line and null.
 */
async function upsertRunComment(opts) {
    const api = pullRequestComments(opts.client, opts.owner, opts.repo, opts.prNumber);
    try {
        return await converge(opts, api);
    }
    catch (e) {
        if (e instanceof CommentDenied)
            opts.log(NO_PERMISSION);
        else if (isRateLimited(e))
            opts.log(`PR comment skipped: GitHub rate limit reached (${errors_errorMessage(e)}).`);
        else
            opts.log(`PR comment skipped: ${errors_errorMessage(e)}`);
        return null;
    }
}
async function converge(opts, api) {
    const ours = new OurComments(api, commentMarker(opts.workflow));
    // The registry as this job last saw it (after its own write): every row of the run up to this job's.
    const read = await opts.store.read(opts.env);
    const rows = read.rows.filter(opts.selectRun);
    if (rows.length === 0) {
        opts.log(`PR comment skipped: no rows of this run in ${read.location}.`);
        return null;
    }
    if (opts.deferTo && (await opts.deferTo(read))) {
        opts.log('PR comment left to a later job of this run: the registry moved after this row.');
        return null;
    }
    const render = renderFor(opts, read, rows);
    const done = await writeOnce(api, ours, render);
    if (done.keptId === null)
        return null;
    // In a matrix a job that listed the comment before ours landed may write its older render after it:
    // look again a little later, and write what the registry holds now if ours was overwritten.
    if ((done.updated || done.keptId === done.createdId) && rows.length > 1) {
        await settle(opts, api, done.keptId, render.ids);
    }
    const action = done.keptId === done.createdId ? 'created' : done.updated ? 'updated' : 'unchanged';
    return { commentId: done.keptId, action };
}
async function settle(opts, api, id, ids) {
    let expected = ids;
    for (let check = 1; check <= MAX_CHECKS; check++) {
        await sleep(opts.settleMs ?? 1000);
        const body = await api.body(id);
        if (body === null || showsAll(body, expected))
            return;
        const fresh = await opts.store.read(opts.env, { fresh: true });
        const again = renderFor(opts, fresh, fresh.rows.filter(opts.selectRun));
        expected = again.ids;
        if (!(await api.update(id, again.body)))
            return;
    }
}

;// CONCATENATED MODULE: ./src/core/alerts.ts

function alertReasons(f) {
    const reasons = [];
    if (f.row.budget_status === 'over_max')
        reasons.push('over_max');
    if (f.row.budget_status === 'timeout')
        reasons.push('timeout');
    if (f.regression?.regressed)
        reasons.push('regression');
    if (f.cache?.verdict === 'alert')
        reasons.push('cache_hit_rate');
    if (f.flaky)
        reasons.push('flake');
    return reasons;
}
const pct = (x) => `${Math.round(x * 100)} %`;
/** The message, or null when nothing is worth an alert. `secrets` are redacted from every part. */
function alertMessage(f, secrets = []) {
    const reasons = alertReasons(f);
    if (!reasons.length)
        return null;
    const r = f.row;
    const lines = reasons.map((reason) => {
        switch (reason) {
            case 'over_max':
                return `• took ${r.duration_seconds}s, over its max of ${r.budget_max_seconds || '?'}s`;
            case 'timeout':
                return `• timed out after ${r.duration_seconds}s (max ${r.budget_max_seconds || '?'}s)`;
            case 'regression':
                return `• ${r.duration_seconds}s is ${pct(f.regression?.change ?? 0)} slower than the median of its last ${f.regression?.sample ?? '?'} successful runs (${f.regression?.median ?? '?'}s; threshold ${pct(f.regressionThreshold ?? 0)})`;
            case 'cache_hit_rate':
                return `• cache hit rate ${f.cache?.rate === null || f.cache?.rate === undefined ? '?' : pct(f.cache.rate)} (${r.cache_hits}/${r.cache_lookups}), under the alert level${f.hitRateAlert === undefined ? '' : ` of ${pct(f.hitRateAlert)}`}`;
            case 'flake':
                return `• flaky: it failed earlier on the same commit ${r.sha.slice(0, 7)} and now passed`;
        }
    });
    const where = [r.repository, r.ref.replace(/^refs\/heads\//, '')].filter(Boolean).join(' @ ');
    const head = `build-timings: *${slackText(r.phase)}* [${slackText(r.env)}] ${slackText(r.status)}${where ? ` in ${slackText(where)}` : ''}`;
    const link = f.runUrl && /^https?:\/\//.test(f.runUrl) ? `\n<${slackText(f.runUrl)}|Open the run>` : '';
    return { text: sanitize_redactSecrets([head, ...lines].join('\n') + link, secrets) };
}
/**
 * Names come from users (phases, refs): Slack's three control characters are escaped so that a phase can
 * never mention a channel (`<!channel>`), a user or carry a link of its own.
 */
function slackText(value) {
    return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * A flake (docs/export.md "Alerts"), seen from the row being recorded: it succeeded, and an earlier row of the same repository,
 * sha, phase and env failed (a re-run attempt or a later run with no new commit).
 */
function seenFlake(row, past) {
    if (row.status !== 'success' || !row.sha)
        return false;
    return past.some((r) => r.row_id !== row.row_id &&
        r.sha === row.sha &&
        (r.repository ?? '') === row.repository &&
        r.phase === row.phase &&
        r.env === row.env &&
        (r.status ? r.status === 'failure' : r.exit_code !== undefined && r.exit_code !== '0'));
}

;// CONCATENATED MODULE: ./src/core/cache.ts
/**
 * The `cache-hits` input: `name=value` lines where value is actions/cache's `cache-hit` output:
 * `true` exact hit, `false` hit through a restore key, empty a miss (docs/architecture.md "Caches").
 * Returns the entries and the lines it could not read.
 */
function parseCacheHits(text) {
    const entries = [];
    const invalid = [];
    for (const raw of text.split(/\r?\n|,(?=[^,=]+=)/)) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const eq = line.indexOf('=');
        if (eq <= 0) {
            invalid.push(line);
            continue;
        }
        const name = line.slice(0, eq).trim();
        const value = line
            .slice(eq + 1)
            .trim()
            .toLowerCase();
        if (value === 'true')
            entries.push({ name, result: 'exact' });
        else if (value === 'false')
            entries.push({ name, result: 'partial' });
        else if (value === '' || value === 'miss')
            entries.push({ name, result: 'miss' });
        else
            invalid.push(line);
    }
    return { entries, invalid };
}
function summariseCache(entries, targets) {
    const lookups = entries.length;
    const hits = entries.filter((e) => e.result !== 'miss').length;
    const rate = lookups ? hits / lookups : null;
    let verdict = 'none';
    if (rate !== null && (targets.hitRateTarget !== undefined || targets.hitRateAlert !== undefined)) {
        if (targets.hitRateAlert !== undefined && rate < targets.hitRateAlert)
            verdict = 'alert';
        else if (targets.hitRateTarget !== undefined && rate < targets.hitRateTarget)
            verdict = 'not_met';
        else
            verdict = 'met';
    }
    return { entries: [...entries], hits, lookups, rate, verdict };
}

;// CONCATENATED MODULE: ./src/core/env.ts

const ALIASES = {
    dev: 'development',
    stg: 'staging',
    stage: 'staging',
    prod: 'production',
};
const ENV_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;
/**
 * README "Inputs" (`environment`): lower-case, expand the usual short names, and refuse anything that could
 * leave `environments/`.
 */
function canonicalEnv(raw, input = 'environment') {
    const lowered = raw.trim().toLowerCase();
    const env = ALIASES[lowered] ?? lowered;
    if (!ENV_PATTERN.test(env) || env.includes('..')) {
        throw new InputError(input, `${input} "${raw}" is not a valid environment name: use letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit), e.g. "staging"`);
    }
    return env;
}
const DEFAULT_PATH_TEMPLATE = 'environments/{env}/latest/build_timings.csv';
/**
 * The registry file for an env. The template's fixed part is the registry's folder; the result must stay
 * inside it (no absolute paths, no `..`, no backslashes), so no input can make us write elsewhere.
 */
function registryPath(template, env, input = 'registry-path') {
    const path = template.split('{env}').join(env);
    const segments = path.split('/');
    const bad = !template.includes('{env}') ||
        path.startsWith('/') ||
        path.includes('\\') ||
        segments.some((s) => s === '..' || s === '.' || s === '') ||
        !path.endsWith('.csv');
    if (bad) {
        throw new InputError(input, `${input} "${template}" must be a relative path containing {env} and ending in .csv, without '..', e.g. "${DEFAULT_PATH_TEMPLATE}"`);
    }
    return path;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/core/schema.ts
/**
 * The registry's columns (README "The registry"). The first 12 are the legacy schema existing tooling reads:
 * never reorder. Columns are only ever added at the end, so every older header is a prefix-compatible subset.
 */
const COLUMNS = [
    'start_time_utc',
    'end_time_utc',
    'phase',
    'env',
    'build_id',
    'duration_seconds',
    'exit_code',
    'flags',
    'resources_added',
    'resources_changed',
    'resources_destroyed',
    'log_path',
    'status',
    'source',
    'repository',
    'run_id',
    'run_attempt',
    'job_id',
    'ref',
    'sha',
    'pr_number',
    'runner',
    'budget_target_seconds',
    'budget_max_seconds',
    'budget_status',
    'cache_hits',
    'cache_lookups',
    'queue_seconds',
    'row_id',
    // Resources per job (docs/export.md), after row_id: a 29-column file keeps its shape and drops only these.
    'cpu_avg_percent',
    'mem_peak_mb',
    'disk_read_mb',
    'disk_write_mb',
    'net_rx_mb',
    'net_tx_mb',
];
/** The header of the registries written before resources were recorded (README "The registry" before resources). */
const COLUMNS_29 = COLUMNS.slice(0, COLUMNS.indexOf('row_id') + 1);
const HEADER_LINE = COLUMNS.join(',');
const schema_STATUSES = ['success', 'failure', 'cancelled', 'skipped', 'unknown'];
const SOURCES = (/* unused pure expression or super */ null && (['github', 'github-run', 'drone', 'woodpecker', 'cli']));
const BUDGET_STATUSES = ['ok', 'over_target', 'over_max', 'timeout', 'none'];
/** Columns whose value is text the user or CI controls: these are redacted and formula-neutralised. */
const schema_FREE_TEXT_COLUMNS = new Set([
    'phase',
    'build_id',
    'flags',
    'log_path',
    'repository',
    'ref',
    'runner',
    'job_id',
    'run_id',
]);
function emptyRow() {
    return Object.fromEntries(COLUMNS.map((c) => [c, '']));
}
function isStatus(value) {
    return schema_STATUSES.includes(value);
}

;// CONCATENATED MODULE: ./src/core/resources.ts
/**
 * Resources a job used (docs/export.md), from Linux's /proc counters read at the job's start and end, plus the
 * memory peak a sampler saw in between. Counters are machine-wide: a CI runner (or a laptop's `run`) is the
 * job's machine, and per-process counters would miss the containers and daemons a build starts.
 */
const MIB = (/* unused pure expression or super */ null && (1024 * 1024));
const SECTOR = 512;
/** `cpu  user nice system idle iowait irq softirq steal guest guest_nice`: guest time is already in user. */
function parseProcStat(text) {
    const line = text.split('\n').find((l) => l.startsWith('cpu '));
    if (!line)
        return undefined;
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (v.length < 4 || v.some((n) => !Number.isFinite(n)))
        return undefined;
    const total = v.reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    return { busy: total - idle, total };
}
function parseMeminfo(text) {
    const field = (name) => {
        const m = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text);
        return m ? Number(m[1]) : undefined;
    };
    const total = field('MemTotal');
    // Kernels before 3.14 have no MemAvailable; free + buffers + cached is what `free` showed then.
    const available = field('MemAvailable') ?? sum([field('MemFree'), field('Buffers'), field('Cached')].filter(isNum));
    if (total === undefined || available === undefined)
        return undefined;
    return Math.max(0, total - available);
}
/**
 * Whole disks only: partitions repeat their disk's sectors, device-mapper and md devices repeat their
 * members', and loop/ram/zram devices are memory or files already counted on a disk.
 */
const WHOLE_DISK = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/;
function parseDiskstats(text) {
    let readSectors = 0;
    let writtenSectors = 0;
    let seen = false;
    for (const line of text.split('\n')) {
        const f = line.trim().split(/\s+/);
        if (f.length < 10 || !WHOLE_DISK.test(f[2] ?? ''))
            continue;
        const r = Number(f[5]);
        const w = Number(f[9]);
        if (!Number.isFinite(r) || !Number.isFinite(w))
            continue;
        readSectors += r;
        writtenSectors += w;
        seen = true;
    }
    return seen ? { readSectors, writtenSectors } : undefined;
}
function parseNetDev(text) {
    let rxBytes = 0;
    let txBytes = 0;
    let seen = false;
    for (const line of text.split('\n')) {
        const colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const name = line.slice(0, colon).trim();
        if (!name || name === 'lo' || name.includes('|'))
            continue;
        const f = line
            .slice(colon + 1)
            .trim()
            .split(/\s+/)
            .map(Number);
        if (f.length < 9 || !isNum(f[0]) || !isNum(f[8]))
            continue;
        rxBytes += f[0];
        txBytes += f[8];
        seen = true;
    }
    return seen ? { rxBytes, txBytes } : undefined;
}
/**
 * Usage between two snapshots. A counter that went backwards (a wrap, a hot-unplugged disk) counts as
 * nothing rather than as a negative figure; a figure with a missing side is left unknown.
 */
function resourceUsage(start, end, memPeakKb = []) {
    const usage = {};
    if (start.cpu && end.cpu) {
        const total = end.cpu.total - start.cpu.total;
        const busy = end.cpu.busy - start.cpu.busy;
        if (total > 0)
            usage.cpuAvgPercent = round1(clamp((busy / total) * 100, 0, 100));
    }
    const peaks = [start.memUsedKb, end.memUsedKb, ...memPeakKb].filter(isNum);
    if (peaks.length)
        usage.memPeakMb = round1(Math.max(...peaks) / 1024);
    if (start.disk && end.disk) {
        usage.diskReadMb = mb((end.disk.readSectors - start.disk.readSectors) * SECTOR);
        usage.diskWriteMb = mb((end.disk.writtenSectors - start.disk.writtenSectors) * SECTOR);
    }
    if (start.net && end.net) {
        usage.netRxMb = mb(end.net.rxBytes - start.net.rxBytes);
        usage.netTxMb = mb(end.net.txBytes - start.net.txBytes);
    }
    return usage;
}
/** A cell value: one decimal at most, empty when unknown. */
function usageCell(value) {
    return value === undefined || !Number.isFinite(value) ? '' : String(round1(value));
}
const mb = (bytes) => round1(Math.max(0, bytes) / MIB);
const round1 = (n) => Math.round(n * 10) / 10;
const clamp = (n, lo, hi) => Math.min(hi, Math.max(lo, n));
const sum = (values) => values.length ? values.reduce((a, b) => a + b, 0) : undefined;
function isNum(n) {
    return typeof n === 'number' && Number.isFinite(n);
}

;// CONCATENATED MODULE: ./src/core/time.ts
/** `2026-01-24T10:15:03Z`: ISO-8601 UTC at second precision, the registry's time format. */
function isoSeconds(date) {
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
/** Accepts ISO-8601 (with offset or Z), or Unix seconds; returns null when it is neither. */
function parseTime(value) {
    const v = value.trim();
    if (/^\d{9,11}(\.\d+)?$/.test(v))
        return new Date(Number(v) * 1000);
    if (/^\d{13}$/.test(v))
        return new Date(Number(v));
    if (!/^\d{4}-\d{2}-\d{2}T/.test(v))
        return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
}
function durationSeconds(start, end) {
    return Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000));
}
/** `1h 2m 3s` style for people; `45s` below a minute. */
function time_humanDuration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const r = s % 60;
    if (h)
        return `${h}h ${m}m ${r}s`;
    if (m)
        return `${m}m ${r}s`;
    return `${r}s`;
}

;// CONCATENATED MODULE: ./src/core/row.ts






const num = (n) => n === undefined || !Number.isFinite(n) ? '' : String(Math.round(n));
const PART_LIMIT = 100;
/**
 * README "The registry": a row_id is never truncated, or two events that differ only late in a long phase would share it
 * and the second would be dropped as a duplicate. A long part keeps its readable start and a digest of all of it.
 */
function rowIdPart(part) {
    const chars = Array.from(part);
    if (chars.length <= PART_LIMIT)
        return part;
    const digest = (0,external_node_crypto_.createHash)('sha256').update(part, 'utf8').digest('hex').slice(0, 12);
    return `${chars.slice(0, 40).join('')}~${digest}`;
}
/**
 * row_id (README "The registry"): one key per logical event, whoever records it and however often. A CLI row's start has
 * millisecond precision, so two runs of one phase in the same second are two events.
 */
function rowId(e, start = e.start.toISOString()) {
    const env = canonicalEnv(e.env);
    const key = (...parts) => parts.map(rowIdPart).join('/');
    switch (e.source) {
        case 'github':
        case 'github-run':
            return `gh/${key(e.repository ?? '', e.runId ?? '', e.runAttempt ?? '1', e.jobId || e.jobKey || '', e.phase)}`;
        // Keyed on the CI's own build (pipeline) number, not the build_id column, which a setting may override.
        case 'drone':
            return `drone/${key(e.repository ?? '', e.runId || e.buildId, e.jobKey ?? '', e.phase)}`;
        case 'woodpecker':
            return `woodpecker/${key(e.repository ?? '', e.runId || e.buildId, e.jobKey ?? '', e.phase)}`;
        case 'cli':
            return `cli/${key(env, e.buildId, e.phase, start)}`;
    }
}
function buildRow(e) {
    const row = emptyRow();
    const start = isoSeconds(e.start);
    const set = (column, value) => {
        row[column] = schema_FREE_TEXT_COLUMNS.has(column) ? sanitize_cleanCell(value, e.secrets) : value;
    };
    set('start_time_utc', start);
    set('end_time_utc', isoSeconds(e.end));
    set('phase', e.phase);
    set('env', canonicalEnv(e.env));
    set('build_id', e.buildId);
    set('duration_seconds', String(durationSeconds(e.start, e.end)));
    set('exit_code', String(Math.trunc(e.exitCode)));
    set('flags', e.flags ?? '');
    set('resources_added', num(e.resources?.added));
    set('resources_changed', num(e.resources?.changed));
    set('resources_destroyed', num(e.resources?.destroyed));
    set('log_path', e.logPath ?? '');
    set('status', e.status);
    set('source', e.source);
    set('repository', e.repository ?? '');
    set('run_id', e.runId ?? '');
    set('run_attempt', e.runAttempt ?? '');
    set('job_id', e.jobId ?? '');
    set('ref', e.ref ?? '');
    set('sha', /^[0-9a-f]{7,64}$/i.test(e.sha ?? '') ? e.sha : '');
    set('pr_number', e.prNumber ? String(e.prNumber) : '');
    set('runner', e.runner ?? '');
    set('budget_target_seconds', num(e.budget?.target));
    set('budget_max_seconds', num(e.budget?.max));
    set('budget_status', e.budget?.status ?? 'none');
    set('cache_hits', e.cache ? String(e.cache.hits) : '');
    set('cache_lookups', e.cache ? String(e.cache.lookups) : '');
    set('queue_seconds', num(e.queueSeconds));
    // The row_id is built from the cleaned values so that it never carries a secret either, but before they
    // are bounded: the cells may be cut, the key never is.
    const whole = (value) => (value === undefined ? value : sanitize_cleanCell(value, e.secrets, Infinity));
    row.row_id = sanitize_cleanCell(rowId({
        ...e,
        phase: whole(e.phase),
        repository: whole(e.repository),
        buildId: whole(e.buildId),
        runId: whole(e.runId),
        jobId: whole(e.jobId),
        jobKey: whole(e.jobKey),
    }), e.secrets, Infinity);
    set('cpu_avg_percent', usageCell(e.usage?.cpuAvgPercent));
    set('mem_peak_mb', usageCell(e.usage?.memPeakMb));
    set('disk_read_mb', usageCell(e.usage?.diskReadMb));
    set('disk_write_mb', usageCell(e.usage?.diskWriteMb));
    set('net_rx_mb', usageCell(e.usage?.netRxMb));
    set('net_tx_mb', usageCell(e.usage?.netTxMb));
    return row;
}
const NUMBER = /^[-+]?\d+(?:\.\d+)?$/;
/**
 * A row that comes from elsewhere (`push` from another registry, a hand-edited file) cleaned the way buildRow
 * cleans a new one (README "The registry": cleaned on every write, push included), but never cut: a copy keeps its whole text.
 * Numbers stay numbers; any other cell loses its controls and credentials and never starts a formula.
 */
function cleanRow(row, secrets = []) {
    const out = {};
    for (const [column, value] of Object.entries(row)) {
        if (FREE_TEXT_COLUMNS.has(column) || column === 'row_id')
            out[column] = cleanCell(value, secrets, Infinity);
        else if (NUMBER.test(value))
            out[column] = value;
        else
            out[column] = neutraliseFormula(redactSecrets(stripControls(value), secrets));
    }
    return out;
}
/** Exit code for a CI status: README "The registry" (0 success, 1 failure, 130 cancelled). */
function exitCodeForStatus(status) {
    if (status === 'success' || status === 'skipped')
        return 0;
    if (status === 'cancelled')
        return 130;
    return 1;
}

// EXTERNAL MODULE: ./node_modules/csv-stringify/lib/sync.js + 7 modules
var sync = __webpack_require__(6789);
;// CONCATENATED MODULE: ./src/core/report.ts






const report_VERDICTS = (/* unused pure expression or super */ null && (['ok', 'over_target', 'over_max', 'timeout', 'none']));
class GroupAccumulator {
    phase;
    env;
    runs = 0;
    successes = 0;
    failures = 0;
    durations = new Float64Array(64);
    timed = 0;
    lastStart = '';
    lastDuration = null;
    lastStatus = '';
    budget = { ok: 0, over_target: 0, over_max: 0, timeout: 0, none: 0 };
    constructor(phase, env) {
        this.phase = phase;
        this.env = env;
    }
    add(row, start, duration, status) {
        this.runs++;
        if (status === 'success')
            this.successes++;
        else if (status === 'failure' || status === 'cancelled')
            this.failures++;
        if (duration !== null) {
            if (this.timed === this.durations.length) {
                const grown = new Float64Array(this.durations.length * 2);
                grown.set(this.durations);
                this.durations = grown;
            }
            this.durations[this.timed++] = duration;
        }
        // ISO-8601 UTC strings order as the instants they name; ties go to the later row in the file.
        if (start >= this.lastStart) {
            this.lastStart = start;
            this.lastDuration = duration;
            this.lastStatus = status;
        }
        const verdict = row.budget_status;
        if (verdict && verdict in this.budget)
            this.budget[verdict]++;
        else
            this.budget.none++;
    }
    finish() {
        const sorted = this.durations.subarray(0, this.timed).sort();
        const p50 = percentile(sorted, 0.5);
        const trend = this.lastDuration !== null && p50 !== null && p50 > 0 ? this.lastDuration / p50 - 1 : null;
        return {
            phase: this.phase,
            env: this.env,
            runs: this.runs,
            successes: this.successes,
            failures: this.failures,
            successRate: this.runs ? this.successes / this.runs : null,
            timed: this.timed,
            p50,
            p90: percentile(sorted, 0.9),
            p95: percentile(sorted, 0.95),
            max: this.timed ? sorted[this.timed - 1] : null,
            last: this.runs
                ? { start: this.lastStart, duration: this.lastDuration, status: this.lastStatus }
                : null,
            trend,
            budget: { ...this.budget },
        };
    }
}
/** A row's status; legacy rows (no status column) are judged by their exit code. */
function rowStatus(row) {
    if (row.status)
        return row.status;
    if (row.exit_code === undefined || row.exit_code === '')
        return 'unknown';
    return row.exit_code === '0' ? 'success' : 'failure';
}
/** duration_seconds, else end − start, else null. */
function rowDuration(row) {
    const cell = row.duration_seconds;
    if (cell !== undefined && cell !== '') {
        const n = Number(cell);
        if (Number.isFinite(n) && n >= 0)
            return n;
    }
    const start = Date.parse(row.start_time_utc ?? '');
    const end = Date.parse(row.end_time_utc ?? '');
    return Number.isFinite(start) && Number.isFinite(end) && end >= start
        ? Math.round((end - start) / 1000)
        : null;
}
class ReportAggregator {
    filter;
    groups = new Groups();
    sinceMs;
    rowsRead = 0;
    rowsMatched = 0;
    constructor(filter = {}) {
        this.filter = filter;
        this.sinceMs = filter.since ? filter.since.getTime() : null;
    }
    /** Whether a row passes the filter: the insights that ride along with a report see the same rows. */
    matches(row) {
        if (this.filter.phase !== undefined && (row.phase ?? '') !== this.filter.phase)
            return false;
        if (this.filter.env !== undefined && (row.env ?? '') !== this.filter.env)
            return false;
        if (this.sinceMs !== null) {
            const t = Date.parse(row.start_time_utc ?? '');
            if (!Number.isFinite(t) || t < this.sinceMs)
                return false;
        }
        return true;
    }
    /** Takes one row; nothing of it is kept but numbers and the group's name. */
    add(row) {
        this.rowsRead++;
        if (!this.matches(row))
            return;
        const phase = row.phase ?? '';
        const env = row.env ?? '';
        const start = row.start_time_utc ?? '';
        this.rowsMatched++;
        const group = this.groups.get(phase, env, () => new GroupAccumulator(phase, env));
        group.add(row, start, rowDuration(row), rowStatus(row));
    }
    /** Groups ordered by env, then phase. */
    result() {
        const groups = [...this.groups.values()]
            .map((g) => g.finish())
            .sort((a, b) => (a.env === b.env ? cmp(a.phase, b.phase) : cmp(a.env, b.env)));
        return {
            filter: {
                env: this.filter.env ?? null,
                phase: this.filter.phase ?? null,
                since: this.filter.since ? this.filter.since.toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
            },
            rowsRead: this.rowsRead,
            rowsMatched: this.rowsMatched,
            groups,
        };
    }
}
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
function aggregate(rows, filter = {}) {
    const agg = new ReportAggregator(filter);
    for (const row of rows)
        agg.add(row);
    return agg.result();
}
const REPORT_FORMATS = (/* unused pure expression or super */ null && (['table', 'markdown', 'json', 'csv']));
const round = (n, digits = 1) => (n === null ? null : Number(n.toFixed(digits)));
const dur = (n) => (n === null ? '–' : humanDuration(n));
const report_pct = (n) => (n === null ? '–' : `${Math.round(n * 100)}%`);
const signedPct = (n) => {
    if (n === null)
        return '–';
    const v = Math.round(n * 100);
    return v > 0 ? `+${v}%` : `${v}%`;
};
const verdicts = (b) => {
    const parts = report_VERDICTS.filter((v) => v !== 'none' && b[v] > 0).map((v) => `${b[v]} ${v}`);
    return parts.length ? parts.join(', ') : b.none ? 'no budget' : '–';
};
const TITLES = (/* unused pure expression or super */ null && ([
    'phase',
    'env',
    'runs',
    'success',
    'p50',
    'p90',
    'p95',
    'max',
    'last',
    'trend',
    'budget',
]));
/** Registry text printed to a terminal: rows written by anything (a hand edit, an old version) may hold escapes. */
function cellsOf(g) {
    return [
        safeLine(g.phase),
        safeLine(g.env),
        String(g.runs),
        report_pct(g.successRate),
        dur(g.p50),
        dur(g.p90),
        dur(g.p95),
        dur(g.max),
        g.last ? `${dur(g.last.duration)} ${safeLine(g.last.status)}` : '–',
        signedPct(g.trend),
        verdicts(g.budget),
    ];
}
function emptyNote(report) {
    return report.rowsRead === 0
        ? 'No rows in the registry yet.'
        : `No rows match (${report.rowsRead} rows read).`;
}
function renderTable(report) {
    if (!report.groups.length)
        return `${emptyNote(report)}\n`;
    const rows = [[...TITLES], ...report.groups.map(cellsOf)];
    const widths = TITLES.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
    const numeric = new Set([2, 3, 4, 5, 6, 7, 9]);
    const line = (r) => r
        .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    return `${rows.map(line).join('\n')}\n`;
}
const mdCell = (s) => inert(s);
function renderMarkdown(report) {
    if (!report.groups.length)
        return `_${emptyNote(report)}_\n`;
    const head = `| ${TITLES.join(' | ')} |`;
    const rule = `|${TITLES.map((_, i) => (i >= 2 && i <= 9 ? ' ---: ' : ' --- ')).join('|')}|`;
    const body = report.groups.map((g) => `| ${cellsOf(g).map(mdCell).join(' | ')} |`);
    return `${[head, rule, ...body].join('\n')}\n`;
}
/** Numbers stay numbers (seconds; rates 0..1), so scripts can compute with them. */
function renderJson(report) {
    const groups = report.groups.map((g) => ({
        phase: g.phase,
        env: g.env,
        runs: g.runs,
        successes: g.successes,
        failures: g.failures,
        success_rate: round(g.successRate, 4),
        p50: g.p50,
        p90: g.p90,
        p95: g.p95,
        max: g.max,
        last: g.last,
        trend: round(g.trend, 4),
        budget: g.budget,
    }));
    return `${JSON.stringify({ filter: report.filter, rows_read: report.rowsRead, rows_matched: report.rowsMatched, groups }, null, 2)}\n`;
}
const CSV_COLUMNS = (/* unused pure expression or super */ null && ([
    'phase',
    'env',
    'runs',
    'successes',
    'success_rate',
    'p50_seconds',
    'p90_seconds',
    'p95_seconds',
    'max_seconds',
    'last_start_time_utc',
    'last_duration_seconds',
    'last_status',
    'trend',
    'budget_ok',
    'budget_over_target',
    'budget_over_max',
    'budget_timeout',
    'budget_none',
]));
function renderCsv(report) {
    const n = (v) => (v === null ? '' : String(v));
    const rows = report.groups.map((g) => [
        g.phase,
        g.env,
        String(g.runs),
        String(g.successes),
        n(round(g.successRate, 4)),
        n(g.p50),
        n(g.p90),
        n(g.p95),
        n(g.max),
        g.last?.start ?? '',
        n(g.last?.duration ?? null),
        g.last?.status ?? '',
        n(round(g.trend, 4)),
        ...report_VERDICTS.map((v) => String(g.budget[v])),
    ]);
    // Phase names come from users: keep a spreadsheet from running them (README "The registry").
    const safe = rows.map((r) => r.map((c, i) => (i < 2 || i === 11 ? cleanCell(c, [], Infinity) : c)));
    return stringify([CSV_COLUMNS, ...safe]);
}
function renderReport(report, format) {
    switch (format) {
        case 'table':
            return renderTable(report);
        case 'markdown':
            return renderMarkdown(report);
        case 'json':
            return renderJson(report);
        case 'csv':
            return renderCsv(report);
    }
}

;// CONCATENATED MODULE: ./src/registry/port.ts
function outcomeFrom(location, result, commit) {
    return {
        location,
        appended: result.appended,
        duplicates: result.duplicates,
        droppedColumns: result.droppedColumns,
        commit,
    };
}
/** The commit message (README "The registry"). */
function commitMessage(row, count = 1) {
    if (count > 1)
        return `build-timings: ${count} rows ${row.env} [skip ci]`;
    return `build-timings: ${row.phase} ${row.env} ${row.status} ${row.duration_seconds}s [skip ci]`;
}

;// CONCATENATED MODULE: ./src/app/carry.ts
/** The rows to append: this job's row first, then the carried ones, each row_id once. */
function withCarried(row, carried) {
    const seen = new Set([row.row_id]);
    const rows = [row];
    for (const r of carried) {
        if (r.row_id && seen.has(r.row_id))
            continue;
        if (r.row_id)
            seen.add(r.row_id);
        rows.push(r);
    }
    return rows;
}

;// CONCATENATED MODULE: ./src/app/record.ts










/**
 * The shared path of every front door: judge the timing, build the row, append it. Never throws for the
 * registry's trouble (fail open: docs/architecture.md "The path of a row"): the caller shows `problem` and
 * keeps the row.
 */
async function recordTiming(req) {
    const seconds = Math.max(0, Math.round((req.event.end.getTime() - req.event.start.getTime()) / 1000));
    const budget = budgetFor(req.budgets, req.event.phase);
    const verdict = budgetVerdict(seconds, budget);
    const cache = summariseCache(req.cacheEntries ?? [], req.budgets.cache);
    const row = buildRow({
        ...req.event,
        budget: { target: budget?.target, max: budget?.max, status: verdict },
        cache: cache.lookups ? { hits: cache.hits, lookups: cache.lookups } : undefined,
    });
    let past = [];
    let flaky = false;
    let problem = null;
    let outcome = null;
    const write = req.write ?? true;
    // Taken beside the read: the carrier's round trip costs the post no extra wait.
    const taking = req.store && write && req.carrier ? req.carrier.take(row.env) : null;
    let carried = [];
    if (req.store) {
        try {
            // The trend compares with the last `window` successful runs: read back until twice that many of the
            // phase are held (failures in between), not through the whole history.
            const rows = 2 * req.budgets.regression.window + 1;
            const earlier = (await req.store.read(row.env, { phase: row.phase, rows })).rows;
            past = pastRuns(earlier, row);
            flaky = seenFlake(row, earlier);
        }
        catch (e) {
            // Whatever stopped the read (a corrupt file, an outage, a denied token) would stop the write too.
            if (write)
                problem = registryProblem(e, req.store.label);
        }
        carried = taking ? withCarried(row, await taking).slice(1) : [];
        if (write && !problem) {
            try {
                const rows = [row, ...carried];
                outcome = await req.store.append(row.env, rows, commitMessage(row, rows.length));
            }
            catch (e) {
                problem = registryProblem(e, req.store.label);
            }
        }
    }
    const keep = [row, ...carried];
    const kept = problem && req.spool ? await req.spool.keep(keep) : null;
    let carriedTo = null;
    if (problem && req.carrier && write)
        carriedTo = await req.carrier.keep(row.env, keep);
    else if (outcome && carried.length && req.carrier)
        await req.carrier.settle(row.env);
    return {
        row,
        budget,
        verdict,
        cache,
        regression: regression(seconds, past, req.budgets.regression),
        outcome,
        problem,
        kept,
        carried,
        carriedTo,
        fails: enforced(verdict, req.failOn ?? 'never'),
        flaky,
    };
}
/** The one rule of every door's exit: only a verdict that fail-on asks to enforce fails the job or step. */
function enforced(verdict, failOn) {
    return failsJob(verdict, failOn);
}
/** Earlier runs of the row's phase and env, oldest first, reduced to what the regression verdict needs. */
function pastRuns(rows, row) {
    return rows
        .filter((r) => r.phase === row.phase && r.env === row.env && r.row_id !== row.row_id)
        .map((r) => ({
        // An empty cell is an unknown duration, not a 0 s run that would drag the median down.
        duration: rowDuration(r) ?? Number.NaN,
        // Legacy rows have no status: their exit code tells. Skipped runs are not successful runs.
        success: r.status ? r.status === 'success' : r.exit_code === '0',
    }))
        .filter((r) => Number.isFinite(r.duration));
}
/** One line that says what happened to the registry and what to do about it; it ends with a full stop. */
function registryProblem(e, label) {
    const line = problemLine(e, label);
    return /[.!?]$/.test(line) ? line : `${line}.`;
}
function problemLine(e, label) {
    if (e instanceof RegistryParseError)
        return `${e.message}: fix or move the file, then push the kept row.`;
    if (isReadOnlyDenial(e)) {
        return `the token cannot write to ${label} (read-only): grant "contents: write" to record timings.`;
    }
    if (isRateLimited(e))
        return `GitHub rate limit reached while writing to ${label}: the row was kept; it can be pushed later.`;
    const h = httpError(e);
    if (h?.status === 401)
        return `the token was refused by ${label} (401 Bad credentials): check the token you passed.`;
    if (h?.status === 404)
        return `${label} was not found (404): check the registry repository and the token's access to it.`;
    return `could not write to ${label}: ${errors_errorMessage(e)}`;
}

;// CONCATENATED MODULE: ./src/core/spread.ts
/**
 * A job in progress that is running its post steps is writing now or about to (the runner names them
 * `Post …`); one whose steps are not listed may be. A job still running its own steps writes later.
 */
function finishing(job) {
    if (job.status !== 'in_progress')
        return false;
    if (!job.steps?.length)
        return true;
    return job.steps.some((s) => s.name.startsWith('Post ') && s.status !== 'queued');
}
/** Null when this job is not among the listed ones (no Jobs API answer, or a run of more than one page). */
function writersOf(selfId, jobs) {
    const ids = jobs
        .filter((j) => j.id === selfId || finishing(j))
        .map((j) => j.id)
        .sort((a, b) => a - b);
    return ids.includes(selfId) ? { self: selfId, ids } : null;
}
/**
 * Where this job stands among the writers whose rows the registry does not hold yet. Writers land in the
 * order of their ids, so one ahead of a writer that has landed was passed over by it (it lands nothing: it
 * died, kept its row, or records nothing) and is not waited for here either.
 */
function spread_contentionAmong(writers, landed) {
    const pending = writers.ids.filter((id) => id === writers.self || !landed(id));
    const lastLanded = Math.max(-1, ...writers.ids.filter((id) => id < writers.self && landed(id)));
    const ahead = pending.filter((id) => id < writers.self && id > lastLanded).length;
    return { position: ahead, writers: pending.length };
}
/**
 * The writers behind this one whose rows the registry does not hold yet: when this writer's turn comes, the
 * rows they offered are its to write with its own (one commit for many rows).
 */
function writersBehind(writers, landed) {
    return writers.ids.filter((id) => id > writers.self && !landed(id));
}
/** Whether a registry file holds a row of job `jobId` of this run attempt (its row_id starts `gh/{repository}/{run}/{attempt}/{job}/`). */
function spread_landedIn(text, run) {
    const prefix = `gh/${run.repository}/${run.runId}/${run.runAttempt || '1'}/`;
    return (jobId) => text.includes(`${prefix}${jobId}/`);
}
/**
 * Whether a registry file holds every one of these row_ids as a whole cell (a hint, read from the text: the
 * append's merge is what decides).
 */
function holdsRowIds(text, ids) {
    return ids.every((id) => [',', '\n', '\r', '"'].some((end) => text.includes(`${id}${end}`)));
}
/**
 * A write holds the branch for about as long as it takes; outside these bounds the measure is noise (a
 * contents PUT on GitHub takes well under a second; a slow one is mostly waiting, not holding the branch).
 */
const SLOT_MIN_MS = 50;
const SLOT_MAX_MS = 1_000;
/** The longest random window a writer that does not know its position waits in. */
const WINDOW_MAX_MS = 6_000;
/**
 * How long to wait before the first write (`attempt` 0) or after the `attempt`-th write conflicted, given how long that write took (`slotMs`: the
 * time one commit holds the branch). Writers of one run that collided once come back one slot apart in
 * the order of their position, so they do not collide again; a writer that still collides, or that does
 * not know its position, waits a random time in a window that doubles per attempt.
 */
function conflictDelayMs(attempt, slotMs, contention, random) {
    const slot = Math.min(SLOT_MAX_MS, Math.max(SLOT_MIN_MS, slotMs));
    // Before the first write: writers finishing together start one write time apart instead of at once.
    if (attempt === 0)
        return contention && contention.writers > 1 ? Math.round(contention.position * slot) : 0;
    if (contention && contention.writers > 1) {
        if (attempt === 1)
            return Math.round(contention.position * slot + random() * slot * 0.5);
        return Math.round(random() * contention.writers * slot);
    }
    return Math.round(Math.min(WINDOW_MAX_MS, slot * 2 ** Math.min(attempt - 1, 5)) * (0.5 + random()));
}
/** One write's turn, from a measure of it (a read's round trip, or the time between commits observed). */
function turnSlotMs(measuredMs) {
    return Math.min(SLOT_MAX_MS, Math.max(SLOT_MIN_MS, Math.round(measuredMs)));
}
/**
 * How long a writer waiting for its turn lets the writers ahead land nothing before it writes anyway: a
 * writer ahead may have died, kept its row, or be a job of the run that records nothing.
 */
function turnPatienceMs(slotMs) {
    return Math.max(2_000, 4 * slotMs);
}

;// CONCATENATED MODULE: ./src/registry/retry.ts
const DEFAULT_RETRY = { maxAttempts: 30, maxTotalMs: 180_000, baseMs: 250, capMs: 6_000 };
const realTiming = {
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
};
/** "Full jitter" exponential backoff: concurrent writers spread out instead of colliding again in step. */
function backoffMs(policy, attempt, random) {
    const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 16));
    return Math.round(ceiling * (0.25 + 0.75 * random()));
}
class ConflictRetriesExhausted extends Error {
    constructor(attempts, elapsedMs) {
        super(`the registry branch kept moving: gave up after ${attempts} attempts in ${Math.round(elapsedMs / 1000)}s`);
        this.name = 'ConflictRetriesExhausted';
    }
}
/** After a failed attempt: throws ConflictRetriesExhausted once the policy's attempts or time are spent. */
function giveUpIfSpent(policy, attempt, elapsedMs) {
    if (attempt >= policy.maxAttempts || elapsedMs >= policy.maxTotalMs) {
        throw new ConflictRetriesExhausted(attempt, elapsedMs);
    }
}

// EXTERNAL MODULE: ./node_modules/csv-parse/lib/sync.js + 9 modules
var lib_sync = __webpack_require__(5175);
;// CONCATENATED MODULE: ./src/core/csv.ts




/** The file's rows as objects; with `phase`, only that phase's rows are built (the others are skipped). */
function parseRegistry(text, location, phase) {
    const rows = [];
    let phaseIndex = -1;
    const header = scanRegistry(text, location, (cells, names) => {
        if (phase !== undefined) {
            if (phaseIndex < 0)
                phaseIndex = names.indexOf('phase');
            if (cells[phaseIndex] !== phase)
                return;
        }
        rows.push(Object.fromEntries(names.map((name, i) => [name, cells[i] ?? ''])));
    });
    return { header, rows };
}
/**
 * Parses a registry file record by record, handing each data row to `visit` as cells, so a caller that
 * needs only part of each row (appendRows needs the key) never holds the file as row objects.
 * Returns the header (null for an empty file); throws RegistryParseError for anything that is not CSV.
 */
function scanRegistry(text, location, visit) {
    if (text.trim() === '')
        return null;
    let header = null;
    try {
        (0,lib_sync/* parse */.qg)(text, {
            bom: true,
            relax_column_count: false,
            skip_empty_lines: true,
            on_record: (cells) => {
                if (header === null) {
                    if (!cells.includes('start_time_utc')) {
                        throw new RegistryParseError(location, 'its first line is not a build_timings header');
                    }
                    header = cells;
                }
                else {
                    visit(cells, header);
                }
                return null;
            },
        });
    }
    catch (e) {
        if (e instanceof RegistryParseError)
            throw e;
        throw new RegistryParseError(location, e.message ?? 'unreadable');
    }
    return header;
}
/** The identity of a row: its row_id, or for files without that column the legacy natural key. */
function csv_rowKey(row, header) {
    return keyOf((name) => row[name], header.includes('row_id'));
}
function keyOf(get, hasRowId) {
    const id = hasRowId ? get('row_id') : undefined;
    if (id)
        return `id:${id}`;
    return `nk:${get('start_time_utc') ?? ''}|${get('phase') ?? ''}|${get('env') ?? ''}|${get('build_id') ?? ''}`;
}
/**
 * Appends rows in the file's own shape (README "The registry"): existing bytes are never modified, reordered
 * or dropped; a row whose key is already present (or repeated in `rows`) is a no-op.
 */
function appendRows(existing, rows, location) {
    // Only the keys of the rows already there are kept: the file is never held as row objects.
    const seen = new Set();
    let hasRowId = false;
    let index = new Map();
    const fileHeader = scanRegistry(existing, location, (cells, names) => {
        if (index.size === 0) {
            index = new Map(names.map((name, i) => [name, i]));
            hasRowId = index.has('row_id');
        }
        seen.add(keyOf((name) => cells[index.get(name) ?? -1], hasRowId));
    });
    const header = fileHeader ?? [...COLUMNS];
    const eol = /\r\n/.test(existing.slice(0, existing.indexOf('\n') + 1)) ? '\r\n' : '\n';
    const appended = [];
    const duplicates = [];
    for (const row of rows) {
        const key = csv_rowKey(row, header);
        if (seen.has(key)) {
            duplicates.push(row);
            continue;
        }
        seen.add(key);
        appended.push(row);
    }
    const droppedColumns = COLUMNS.filter((c) => !header.includes(c));
    let text = existing;
    if (fileHeader === null)
        text = (0,sync/* stringify */.A)([header], { record_delimiter: eol });
    else if (appended.length && !existing.endsWith('\n'))
        text += eol;
    if (appended.length) {
        const cells = appended.map((row) => header.map((name) => row[name] ?? ''));
        text += (0,sync/* stringify */.A)(cells, { record_delimiter: eol });
    }
    return { text, appended, duplicates, droppedColumns, header };
}
/** One row as a CSV line with the full header, for showing a row that could not be written. */
function rowsAsCsv(rows) {
    return (0,sync/* stringify */.A)([[...COLUMNS], ...rows.map((r) => COLUMNS.map((c) => r[c]))]);
}

;// CONCATENATED MODULE: ./src/registry/segments.ts



/**
 * README "The registry": `latest/` is the live window; before an append would take it over this many
 * bytes, it moves whole (the same blob) to `history/{ts}.csv` in the same commit as the append.
 */
const DEFAULT_ROTATE_BYTES = 1024 * 1024;
/**
 * Rows a read returns by default before it stops going back through history: a trend's window (20 runs) and
 * a run's own rows fit many times over, and the whole history is never read unless asked for.
 */
const DEFAULT_READ_ROWS = 500;
/** The same for a read of one phase: its trend compares with the last 20 successful runs by default. */
const DEFAULT_PHASE_ROWS = 50;
/** `environments/ci/latest/build_timings.csv` → `environments/ci/history`; any other file keeps its own. */
function historyDir(latestPath) {
    const slash = latestPath.lastIndexOf('/');
    const dir = slash === -1 ? '' : latestPath.slice(0, slash);
    if (dir === 'latest' || dir.endsWith('/latest'))
        return `${dir.slice(0, -'latest'.length)}history`;
    return `${latestPath.replace(/\.csv$/, '')}.history`;
}
/**
 * While latest/'s rows are under this share of the bound, it restarted recently enough that a retry (a PUT
 * that landed unseen, run mode after job mode) may repeat rows now in the newest segment: the GitHub store
 * reads that segment too. An eighth of 1 MiB is about 400 rows, more than any matrix writes within a retry's
 * reach, and keeps the two extra requests off seven appends in eight.
 */
const YOUNG_SHARE = 1 / 8;
/** The bytes of a file's rows, its header line left out. */
function rowBytes(file) {
    const nl = file.indexOf(0x0a);
    return nl === -1 ? 0 : file.length - nl - 1;
}
/** `2026-01-24T10:15:03Z` → `20260124T101503Z`; null for anything else (a hand-edited legacy cell). */
function compactTime(startTimeUtc) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z$/.exec(startTimeUtc ?? '');
    return m ? `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}Z` : null;
}
/** The segment's file name: the compact time, then `-2`, `-3`… while the name is taken. */
function segmentName(ts, taken) {
    if (!taken(`${ts}.csv`))
        return `${ts}.csv`;
    for (let n = 2;; n++)
        if (!taken(`${ts}-${n}.csv`))
            return `${ts}-${n}.csv`;
}
/** Segment file names, newest first: by time, then by the `-N` that broke a tie. */
function newestFirst(names) {
    const parsed = [];
    for (const name of names) {
        const m = /^(.+?)(?:-(\d+))?\.csv$/.exec(name);
        if (m)
            parsed.push({ name, ts: m[1], n: m[2] ? Number(m[2]) : 1 });
    }
    parsed.sort((a, b) => (a.ts === b.ts ? b.n - a.n : a.ts < b.ts ? 1 : -1));
    return parsed.map((p) => p.name);
}
/** The keys a segment holds, under its own header (a legacy segment keys rows by its natural key). */
function keysOf(text, location) {
    const keys = new Set();
    let index = null;
    const header = scanRegistry(text, location, (cells, names) => {
        index ??= new Map(names.map((n, i) => [n, i]));
        const row = {};
        for (const name of ['row_id', 'start_time_utc', 'phase', 'env', 'build_id']) {
            const i = index.get(name);
            if (i !== undefined)
                row[name] = cells[i] ?? '';
        }
        keys.add(csv_rowKey(row, names));
    });
    return header ? { header, keys } : null;
}
/**
 * Decides one append: drops rows already in latest/ or in the newest segment, appends the rest after
 * latest/'s bytes (never re-encoding them), and whenever the file would pass `rotateBytes` closes it into
 * history/: the old latest/ by moving it (`rotate`), rows of this append as new `segments`.
 */
function planAppend(input) {
    const newestText = input.newest ? input.newest.toString('utf8') : '';
    const earlier = newestText && !surelyAbsent(newestText, input.rows) ? keysOf(newestText, input.location) : null;
    const known = earlier ? input.rows.filter((r) => earlier.keys.has(csv_rowKey(r, earlier.header))) : [];
    const fresh = known.length ? input.rows.filter((r) => !known.includes(r)) : input.rows;
    const whole = input.latest ? input.latest.toString('utf8') : '';
    // Only the header (and a last line without its newline) need parsing when no row can be there already.
    const latestText = surelyAbsent(whole, fresh)
        ? whole.slice(0, whole.indexOf('\n') + 1) + whole.slice(whole.lastIndexOf('\n') + 1)
        : whole;
    const merged = appendRows(latestText, fresh, input.location);
    const result = { ...merged, duplicates: [...known, ...merged.duplicates] };
    if (merged.appended.length === 0)
        return { result, content: null, rotate: null, segments: [] };
    const keepsOld = input.latest !== null && merged.text.startsWith(latestText);
    const added = keepsOld ? merged.text.slice(latestText.length) : merged.text;
    const headerLine = keepsOld
        ? input.latest.subarray(0, input.latest.indexOf(0x0a) + 1)
        : Buffer.from(merged.text.slice(0, merged.text.indexOf('\n') + 1), 'utf8');
    // The same bytes appendRows wrote, one row at a time, so that the rows can be cut into segments.
    const eol = headerLine.subarray(-2).toString() === '\r\n' ? '\r\n' : '\n';
    const csvLine = (cells) => Buffer.from((0,sync/* stringify */.A)([cells], { record_delimiter: eol }), 'utf8');
    const cellsOf = (r, names) => names.map((n) => r[n] ?? '');
    const lines = merged.appended.map((r) => csvLine(cellsOf(r, merged.header)));
    // A latest/ that a rotation starts carries the current header (README "The registry"): a legacy file's
    // shape ends with its last segment, and its rows from then on are whole.
    const wideHeader = csvLine(COLUMNS);
    const wideLines = merged.appended.map((r) => csvLine(cellsOf(r, COLUMNS)));
    const lead = keepsOld && (added.startsWith('\r\n') || added.startsWith('\n')) ? Buffer.from(eol) : null;
    const tsOf = (start) => compactTime(start) ?? compactTime(input.now().toISOString()) ?? 'segment';
    const oldLast = keepsOld ? lastRowStart(whole, input.location) : undefined;
    const total = (input.latest?.length ?? 0) + (lead?.length ?? 0) + lines.reduce((n, l) => n + l.length, 0);
    // The old latest/ moves whole, as the same blob, before any new row is added to it.
    const rotate = oldLast !== undefined && total > input.rotateBytes ? { ts: tsOf(oldLast) } : null;
    let wide = rotate !== null;
    let current = keepsOld && !rotate ? [input.latest, ...(lead ? [lead] : [])] : [wide ? wideHeader : headerLine];
    let size = current.reduce((n, b) => n + b.length, 0);
    let lastStart = rotate ? undefined : oldLast;
    const segments = [];
    merged.appended.forEach((row, i) => {
        let line = (wide ? wideLines[i] : lines[i]);
        if (size + line.length > input.rotateBytes && lastStart !== undefined) {
            segments.push({ ts: tsOf(lastStart), content: Buffer.concat(current) });
            wide = true;
            line = wideLines[i];
            current = [wideHeader];
            size = wideHeader.length;
        }
        current.push(line);
        size += line.length;
        lastStart = row.start_time_utc;
    });
    return { result, content: Buffer.concat(current), rotate, segments };
}
/**
 * True when none of the rows can be in `text`: the file keys rows by row_id, ends outside a quoted cell, and no
 * id occurs in it (an id is stored verbatim, or quoted with its quotes doubled). Saves parsing a file to learn
 * that new rows are new.
 */
function surelyAbsent(text, rows) {
    const header = text.slice(0, text.indexOf('\n') + 1);
    if (!header.includes('row_id') || insideQuotes(text))
        return false;
    return rows.every((r) => r.row_id && !mayHold(text, r.row_id));
}
/** An odd number of quotes leaves the text inside a quoted cell: whatever follows would join it (the parse says so). */
function insideQuotes(text) {
    let odd = false;
    for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1))
        odd = !odd;
    return odd;
}
function mayHold(text, id) {
    return text.includes(id) || (id.includes('"') && text.includes(id.replaceAll('"', '""')));
}
/** The start_time_utc of the file's last row; undefined when it holds no row. */
function lastRowStart(text, location) {
    let last;
    let at = -1;
    scanRegistry(text, location, (cells, header) => {
        if (at < 0)
            at = header.indexOf('start_time_utc');
        last = cells[at] ?? '';
    });
    return last;
}
/** Whether a read holding `rows` (and, with `since`, reaching back to `oldest`) must go back further. */
function wantsMore(only, rows, oldestTs) {
    if (only?.all)
        return true;
    if (only?.since !== undefined) {
        const since = compactTime(only.since);
        // A segment is named by its last row: one whose name is before the window still might straddle it.
        return since === null || oldestTs === null || oldestTs >= since;
    }
    return rows.length < (only?.rows ?? (only?.phase === undefined ? DEFAULT_READ_ROWS : DEFAULT_PHASE_ROWS));
}
/** Parses one segment for a read (rows of `only.phase`, when given). */
function readSegment(text, location, only) {
    return parseRegistry(text, location, only?.phase);
}
/**
 * The plan that brings an oversized latest/ into the layout without a new row: it moves whole, as the same
 * blob, and latest/ restarts with its own header line. Null when latest/ is within the bound or holds no row.
 */
function planMigration(latest, location, rotateBytes, now) {
    if (!latest || latest.length <= rotateBytes)
        return null;
    const last = lastRowStart(latest.toString('utf8'), location);
    if (last === undefined)
        return null;
    const ts = compactTime(last) ?? compactTime(now().toISOString()) ?? 'segment';
    return { rotate: { ts }, segments: [], content: latest.subarray(0, latest.indexOf(0x0a) + 1) };
}

;// CONCATENATED MODULE: ./src/registry/github-contents.ts








/**
 * How often a writer that offered its rows looks whether they landed: any commit ahead may hold them, and
 * a look at an unchanged file is a 304 (no primary budget, no content-creating request).
 */
const OFFERED_LOOK_MS = 250;
/**
 * latest/, the history/ listing beside it and whether the branch exists, in one GraphQL query: what the
 * contents API needs three requests for (file, folder, ref), and GraphQL's budget is not REST's 1,000 an
 * hour. Blob.oid is the blob sha a contents PUT asks for.
 */
const SNAPSHOT = `query ($owner: String!, $repo: String!, $branch: String!, $file: String!, $history: String!) {
  repository(owner: $owner, name: $repo) {
    branch: ref(qualifiedName: $branch) { target { oid } }
    file: object(expression: $file) { __typename ... on Blob { oid byteSize isBinary isTruncated text } }
    history: object(expression: $history) { ... on Tree { entries { name type oid } } }
  }
}`;
/**
 * The registry over the GitHub contents API: read at the branch, merge by row key, PUT with the blob sha.
 * Every PUT is one commit, and concurrent PUTs to one branch conflict even on different files
 * (docs/architecture.md "GitHub contents API"), so a conflict means: re-read, merge again, retry after a
 * jittered backoff, within bounds. latest/ stays under `rotateBytes` (README "The registry"): the append
 * that would pass it moves the file, as the same blob, to history/ in one Git Data API commit, so no read
 * or write of the contents API grows with the history.
 *
 * Write economy (README "Within GitHub's limits"): latest/ as this store last read or wrote it is
 * remembered, so one read feeds the trend, the merge and the comment; the first write goes out on it, and
 * a re-read after a conflict is conditional (ETag).
 */
class GitHubContentsStore {
    opts;
    label;
    retry;
    timing;
    rotateBytes;
    deadline;
    known = new Map();
    /** history/ listings at the branch, as read during this store's life (the trend and the append share one). */
    listed = new Map();
    lastReadMs = 0;
    /** False once GraphQL failed this store (an older GitHub Enterprise, a proxy, a token it refuses): REST then. */
    graphqlWorks = true;
    constructor(opts) {
        this.opts = opts;
        this.label = `github:${opts.owner}/${opts.repo}@${opts.branch}`;
        this.retry = opts.retry ?? DEFAULT_RETRY;
        this.timing = opts.timing ?? realTiming;
        this.rotateBytes = opts.rotateBytes ?? DEFAULT_ROTATE_BYTES;
        this.deadline = opts.deadline ?? Deadline.never();
    }
    location(env) {
        return `${this.label}:${registryPath(this.opts.pathTemplate, env)}`;
    }
    async read(env, only) {
        const path = registryPath(this.opts.pathTemplate, env);
        const location = this.location(env);
        const state = (!only?.fresh && this.known.get(path)) || (await this.readFile(path));
        const latest = readSegment(state.bytes?.toString('utf8') ?? '', location, only);
        let rows = latest.rows;
        if (state.bytes && wantsMore(only, rows, null)) {
            let oldest = null;
            for (const segment of await this.history(historyDir(path), this.opts.branch)) {
                // A rotation between the two reads makes the latest/ just read a segment: it is not read twice.
                if (segment.sha === state.sha)
                    continue;
                const text = (await this.blob(segment.sha)).toString('utf8');
                rows = [...readSegment(text, `${this.label}:${historyDir(path)}/${segment.name}`, only).rows, ...rows];
                oldest = segment.name.replace(/(-\d+)?\.csv$/, '');
                if (!wantsMore(only, rows, oldest))
                    break;
            }
        }
        return { location, header: latest.header, rows, version: state.sha };
    }
    async append(env, rows, message) {
        const path = registryPath(this.opts.pathTemplate, env);
        const location = this.location(env);
        const started = this.timing.now();
        const { gathered, landed } = await this.takeTurn(path, env, rows);
        const theirs = landed ? this.writtenByAnother(this.known.get(path)?.bytes ?? null, rows, location) : null;
        if (theirs)
            return theirs;
        if (gathered.length) {
            rows = [...rows, ...gathered];
            message = commitMessage(rows[0], rows.length);
        }
        for (let attempt = 1;; attempt++) {
            // The first attempt merges into what this post already read; a conflict means that was stale.
            if (attempt > 1)
                this.listed.clear();
            const state = (attempt === 1 && this.known.get(path)) || (await this.readFile(path));
            const writeStarted = this.timing.now();
            // A retry across a rotation must still be a no-op: while latest/ is young, rows are also looked for in
            // the newest segment.
            const young = state.bytes !== null && rowBytes(state.bytes) < this.rotateBytes * YOUNG_SHARE;
            const newest = young ? (await this.history(historyDir(path), this.opts.branch))[0] : undefined;
            const plan = planAppend({
                latest: state.bytes,
                newest: newest ? await this.blob(newest.sha) : null,
                rows,
                location,
                rotateBytes: this.rotateBytes,
                now: () => new Date(this.timing.now()),
            });
            if (!plan.content)
                return outcomeFrom(location, plan.result, null);
            try {
                const layout = plan.segments.length > 0 || (plan.rotate !== null && state.sha !== null);
                const simple = state.branchExists && !layout;
                const written = !state.branchExists
                    ? { commit: await this.createBranch(path, plan.content, message, plan.segments), blob: null }
                    : layout
                        ? { commit: (await this.rotate(path, state.sha, plan, message))?.commit ?? null, blob: null }
                        : await this.put(path, plan.content, state.sha, message);
                if (written.commit) {
                    if (simple && written.blob)
                        this.known.set(path, { branchExists: true, bytes: plan.content, sha: written.blob });
                    else {
                        this.known.delete(path);
                        this.listed.clear();
                    }
                    return outcomeFrom(location, plan.result, written.commit);
                }
            }
            catch (e) {
                if (isRateLimited(e)) {
                    // Refused for the minute's writes: in a crowd another writer (the one that took this offer, a
                    // mode: run job) may have written these rows meanwhile. A read creates nothing; if it holds
                    // them, nothing was lost and nothing is to be kept.
                    const now = await this.readFile(path).catch(() => null);
                    const done = now ? this.writtenByAnother(now.bytes, rows, location) : null;
                    if (done)
                        return done;
                }
                // A 404 on PUT means the branch vanished between read and write: start over like a conflict.
                if (!isConflict(e) && httpError(e)?.status !== 404)
                    throw e;
            }
            giveUpIfSpent(this.retry, attempt, this.timing.now() - started);
            const { spread } = this.opts;
            const wait = spread
                ? conflictDelayMs(attempt, this.timing.now() - writeStarted, spread.contention(state.bytes?.toString('utf8') ?? ''), this.timing.random)
                : backoffMs(this.retry, attempt, this.timing.random);
            await this.timing.sleep(this.waitWithin(wait, this.timing.now() - writeStarted));
        }
    }
    /** The outcome when latest/ (these bytes) holds every row already: another writer wrote them. */
    writtenByAnother(latest, rows, location) {
        const plan = planAppend({
            latest,
            newest: null,
            rows,
            location,
            rotateBytes: this.rotateBytes,
            now: () => new Date(this.timing.now()),
        });
        return plan.content ? null : { ...outcomeFrom(location, plan.result, null), writtenByAnother: true };
    }
    /**
     * Writers known to be finishing together take turns by watching the registry: while writers ahead of this
     * one have not landed their rows, latest/ is re-read conditionally (an unchanged file is a 304, no
     * content-creating request) a fair share of the expected wait apart; the write goes out once they have
     * landed. A writer ahead that lands nothing for `turnPatienceMs` (it died, kept its row, or is not a
     * writer after all) is not waited for. With a share, the rows are offered while waiting and the re-reads
     * come one write apart, since any commit ahead may hold them; once they have landed there is nothing
     * left to write. When the turn comes, the rows the writers behind offered meanwhile are returned, to be
     * written with this writer's own. What this store knows of latest/ afterwards is current.
     */
    async takeTurn(path, env, rows) {
        const none = { gathered: [], landed: false };
        const { spread } = this.opts;
        let state = spread ? this.known.get(path) : undefined;
        if (!spread || !state)
            return none;
        const text = (s) => s.bytes?.toString('utf8') ?? '';
        let ahead = spread.contention(text(state))?.position ?? 0;
        if (ahead === 0)
            return none;
        const { share } = spread;
        const ids = rows.map((r) => r.row_id ?? '').filter(Boolean);
        // Not awaited: the offer is saved while this writer watches (it fails open, and is only a chance).
        const offered = share && ids.length === rows.length ? share.offer(env, rows).catch(() => undefined) : null;
        let slot = turnSlotMs(2 * this.lastReadMs);
        let progressAt = this.timing.now();
        // Writers ahead passed over: the first one ahead landed nothing for a whole patience (it died, kept its
        // row, or is a job that records nothing). Only that one is passed over, and the patience starts again:
        // every writer behind it passes it at about the same moment, so they keep their order instead of all
        // writing at once.
        let passed = 0;
        while (ahead - passed > 0) {
            // Once one writer ahead proved idle, the next one is given half the patience: idle jobs come together.
            const patience = turnPatienceMs(slot) / (passed > 0 ? 2 : 1);
            if (this.timing.now() - progressAt > patience) {
                passed++;
                progressAt = this.timing.now();
                continue;
            }
            // A writer whose turn cannot come before the deadline keeps its row (the caller does): writing out of
            // turn would only make the writers in turn conflict, and spend the minute's content-creating budget.
            const room = this.deadline.remainingMs() - 2 * slot;
            if (room <= 0)
                throw new DeadlinePassed(this.deadline);
            const expected = offered
                ? Math.min(slot, OFFERED_LOOK_MS)
                : slot * Math.max(0.5, (ahead - passed - 1) / 2);
            const wait = Math.round(expected * (0.75 + this.timing.random() / 2));
            await this.timing.sleep(Math.min(wait, room));
            state = await this.readFile(path);
            // latest/ is up to 1 MiB, looked at a few times a second: decoded once per look.
            const now = text(state);
            if (offered && holdsRowIds(now, ids))
                return { gathered: [], landed: true };
            const left = spread.contention(now)?.position ?? 0;
            if (left < ahead) {
                // The commits observed teach how long one holds the branch.
                slot = turnSlotMs((this.timing.now() - progressAt) / (ahead - left));
                progressAt = this.timing.now();
                // A writer passed over that lands after all is no longer ahead: it is not passed over twice.
                passed = Math.min(passed, left);
            }
            ahead = left;
        }
        return { gathered: share ? await share.gather(env, text(state)) : [], landed: false };
    }
    /**
     * The wait, or when it would outlast the deadline a random part of the time left that still leaves room
     * for one more write: a late try may land, giving up keeps the row for later anyway.
     */
    waitWithin(wait, writeMs) {
        if (this.deadline.allows(wait + writeMs))
            return wait;
        const room = this.deadline.remainingMs() - 2 * writeMs;
        if (room <= 0)
            throw new DeadlinePassed(this.deadline);
        return Math.round(this.timing.random() * room);
    }
    /**
     * One file of the branch set to `content` (the dashboard page): its sha is read, and no commit is made when
     * it already holds those bytes (a git blob sha says so without downloading it). A missing branch is created.
     */
    async putFile(path, content, message) {
        const started = this.timing.now();
        for (let attempt = 1;; attempt++) {
            const state = await this.fetchFile(path, this.opts.branch, false, undefined);
            if (state.sha === gitBlobSha(content))
                return { commit: null };
            try {
                const commit = state.branchExists
                    ? (await this.put(path, content, state.sha, message)).commit
                    : await this.createBranch(path, content, message, []);
                if (commit)
                    return { commit };
            }
            catch (e) {
                if (!isConflict(e) && httpError(e)?.status !== 404)
                    throw e;
            }
            giveUpIfSpent(this.retry, attempt, this.timing.now() - started);
            await this.timing.sleep(this.waitWithin(backoffMs(this.retry, attempt, this.timing.random), 0));
        }
    }
    /** `build-timings migrate`: an oversized latest/ moves to history/ in one commit, no row added. */
    async migrate(env, message) {
        const path = registryPath(this.opts.pathTemplate, env);
        const location = this.location(env);
        const started = this.timing.now();
        for (let attempt = 1;; attempt++) {
            const state = await this.readFile(path);
            const plan = planMigration(state.bytes, location, this.rotateBytes, () => new Date(this.timing.now()));
            if (!plan || !state.sha)
                return { location, moved: null, commit: null };
            try {
                const done = await this.rotate(path, state.sha, plan, message);
                if (done) {
                    const moved = { to: done.moved ?? '', bytes: state.bytes?.length ?? 0 };
                    return { location, moved, commit: done.commit };
                }
            }
            catch (e) {
                if (!isConflict(e))
                    throw e;
            }
            giveUpIfSpent(this.retry, attempt, this.timing.now() - started);
            await this.timing.sleep(backoffMs(this.retry, attempt, this.timing.random));
        }
    }
    /**
     * One commit that moves latest/ (blob `sha`, read at the branch) to history/ unchanged, adds the plan's new
     * segments and writes the new latest/: ref, commit, a check that latest/ is still that blob at the tip, the
     * segment names, tree, commit, ref update without force. Null when the branch moved: the caller re-reads.
     */
    async rotate(path, sha, plan, message) {
        const { client, owner, repo, branch } = this.opts;
        const ref = await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
        const tip = ref.data.object.sha;
        const [base, atTip] = await Promise.all([
            client.rest.git.getCommit({ owner, repo, commit_sha: tip }),
            this.readFile(path, tip, false),
        ]);
        if (atTip.sha !== sha)
            return null;
        const dir = historyDir(path);
        const taken = new Set((await this.history(dir, tip)).map((s) => s.name));
        const entries = await this.segmentEntries(dir, taken, plan.segments);
        const moved = plan.rotate && sha ? `${dir}/${segmentName(plan.rotate.ts, (n) => taken.has(n))}` : null;
        if (moved)
            entries.unshift({ path: moved, mode: '100644', type: 'blob', sha: sha });
        const tree = await client.rest.git.createTree({
            owner,
            repo,
            base_tree: base.data.tree.sha,
            tree: [
                ...entries,
                { path, mode: '100644', type: 'blob', ...(await this.blobEntry(plan.content ?? Buffer.alloc(0))) },
            ],
        });
        const commit = await client.rest.git.createCommit({
            owner,
            repo,
            message,
            tree: tree.data.sha,
            parents: [tip],
        });
        await client.rest.git.updateRef({
            owner,
            repo,
            ref: `heads/${branch}`,
            sha: commit.data.sha,
            force: false,
        });
        return { commit: commit.data.sha, moved };
    }
    /** Tree entries for new segments, named by their last row and kept apart from the names `taken`. */
    async segmentEntries(dir, taken, segments) {
        const entries = [];
        for (const segment of segments) {
            const name = segmentName(segment.ts, (n) => taken.has(n));
            taken.add(name);
            entries.push({
                path: `${dir}/${name}`,
                mode: '100644',
                type: 'blob',
                ...(await this.blobEntry(segment.content)),
            });
        }
        return entries;
    }
    /** Content inline when it is text that round-trips, else a blob uploaded as base64 (bytes kept exactly). */
    async blobEntry(content) {
        const text = content.toString('utf8');
        return Buffer.from(text, 'utf8').equals(content)
            ? { content: text }
            : { sha: await this.createBlob(content) };
    }
    async createBlob(content) {
        const { client, owner, repo } = this.opts;
        const res = await client.rest.git.createBlob({
            owner,
            repo,
            content: content.toString('base64'),
            encoding: 'base64',
        });
        return res.data.sha;
    }
    /** The env's history segments at `ref`, newest first (none when there is no history/ yet). */
    async history(dir, ref) {
        const atBranch = ref === this.opts.branch;
        const seen = atBranch ? this.listed.get(dir) : undefined;
        if (seen)
            return seen;
        const segments = await this.listHistory(dir, ref);
        if (atBranch)
            this.listed.set(dir, segments);
        return segments;
    }
    async listHistory(dir, ref) {
        const { client, owner, repo } = this.opts;
        let entries;
        try {
            entries = (await client.rest.repos.getContent({ owner, repo, path: dir, ref })).data;
        }
        catch (e) {
            if (httpError(e)?.status === 404)
                return [];
            throw e;
        }
        if (!Array.isArray(entries))
            return [];
        const files = new Map();
        for (const e of entries) {
            if (e.type === 'file' && e.name && e.sha)
                files.set(e.name, e.sha);
        }
        return newestFirst(files.keys()).map((name) => ({ name, sha: files.get(name) }));
    }
    /** A blob's bytes by sha, raw (up to 100 MB); reading by sha keeps content and sha consistent. */
    async blob(sha) {
        const { client, owner, repo } = this.opts;
        // GitHub labels raw bytes `charset=utf-8`, which Octokit would decode as text: non-UTF-8 bytes would not
        // survive. The body is taken as it came instead.
        const raw = await client.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
            owner,
            repo,
            file_sha: sha,
            headers: { accept: 'application/vnd.github.raw' },
            request: { parseSuccessResponseBody: false },
        });
        const headers = raw.headers;
        return blobBytes(await bodyOf(raw.data, String(headers?.['content-type'] ?? '')));
    }
    /** latest/ at the branch, remembered; asked conditionally when this store knows its ETag. */
    async readFile(path, ref = this.opts.branch, withContent = true) {
        const current = ref === this.opts.branch && withContent;
        const started = this.timing.now();
        const known = current ? this.known.get(path) : undefined;
        // The first read asks GraphQL for latest/ and history/ at once; re-reads are conditional REST reads.
        const state = (current && !known && (await this.snapshot(path))) ||
            (await this.fetchFile(path, ref, withContent, known));
        if (current) {
            this.lastReadMs = this.timing.now() - started;
            this.known.set(path, state);
        }
        return state;
    }
    /**
     * latest/ at the branch with the history/ listing (remembered for the trend and the append), or null when
     * GraphQL cannot say: the REST reads then answer, with their own errors (404, 401, a denied token).
     */
    async snapshot(path) {
        if (!this.graphqlWorks)
            return null;
        const { client, owner, repo, branch } = this.opts;
        const dir = historyDir(path);
        let repository;
        try {
            const vars = {
                owner,
                repo,
                branch: `refs/heads/${branch}`,
                file: `${branch}:${path}`,
                history: `${branch}:${dir}`,
            };
            repository = (await client.graphql(SNAPSHOT, vars)).repository;
        }
        catch {
            repository = null;
        }
        if (!repository) {
            this.graphqlWorks = false;
            return null;
        }
        if (!repository.branch?.target) {
            this.listed.set(dir, []);
            return { branchExists: false, bytes: null, sha: null };
        }
        const files = new Map();
        for (const e of repository.history?.entries ?? [])
            if (e.type === 'blob')
                files.set(e.name, e.oid);
        this.listed.set(dir, newestFirst(files.keys()).map((name) => ({ name, sha: files.get(name) })));
        const file = repository.file;
        if (!file)
            return { branchExists: true, bytes: null, sha: null };
        if (file.__typename !== 'Blob' || !file.oid)
            return null;
        // Text that is whole and round-trips to its byte size is the file; anything else is read as raw bytes.
        const whole = typeof file.text === 'string' &&
            !file.isTruncated &&
            Buffer.byteLength(file.text, 'utf8') === file.byteSize;
        const bytes = whole ? Buffer.from(file.text, 'utf8') : await this.blob(file.oid);
        return { branchExists: true, bytes, sha: file.oid };
    }
    async fetchFile(path, ref, withContent, known) {
        const { client, owner, repo, branch } = this.opts;
        let data;
        let etag;
        try {
            const res = await client.rest.repos.getContent({
                owner,
                repo,
                path,
                ref,
                ...(known?.etag ? { headers: { 'if-none-match': known.etag } } : {}),
            });
            data = res.data;
            etag = res.headers?.etag;
        }
        catch (e) {
            const h = httpError(e);
            if (h?.status === 304 && known)
                return known;
            if (h?.status === 404) {
                const branchExists = !/no commit found for the ref/i.test(h.message) && (await this.branchExists());
                return { branchExists, bytes: null, sha: null };
            }
            throw e;
        }
        if (data.type !== 'file' || !data.sha)
            throw new Error(`${path} on ${branch} is not a file`);
        if (!withContent)
            return { branchExists: true, bytes: null, sha: data.sha };
        if (data.encoding === 'base64' && (data.content || data.size === 0)) {
            const bytes = Buffer.from(data.content ?? '', 'base64');
            return { branchExists: true, bytes, sha: data.sha, ...(etag ? { etag } : {}) };
        }
        // Over 1 MB the JSON answer carries no content (docs/architecture.md "GitHub contents API"): only a
        // registry from before rotation gets here, and its first append rotates it.
        return { branchExists: true, bytes: await this.blob(data.sha), sha: data.sha };
    }
    async branchExists() {
        const { client, owner, repo, branch } = this.opts;
        try {
            await client.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
            return true;
        }
        catch (e) {
            if (httpError(e)?.status === 404)
                return false;
            throw e;
        }
    }
    async put(path, content, sha, message) {
        const { client, owner, repo, branch } = this.opts;
        const res = await client.rest.repos.createOrUpdateFileContents({
            owner,
            repo,
            path,
            branch,
            message,
            content: content.toString('base64'),
            ...(sha ? { sha } : {}),
        });
        return { commit: res.data.commit.sha ?? null, blob: res.data.content?.sha ?? null };
    }
    /**
     * A missing registry branch becomes an orphan whose first commit holds only the registry file (README
     * "Inputs", `registry-branch`). A racing creator's 422 "Reference already exists" returns null: the caller
     * re-reads and appends.
     */
    async createBranch(path, content, message, segments) {
        const { client, owner, repo, branch } = this.opts;
        const tree = await client.rest.git.createTree({
            owner,
            repo,
            tree: [
                ...(await this.segmentEntries(historyDir(path), new Set(), segments)),
                { path, mode: '100644', type: 'blob', content: content.toString('utf8') },
            ],
        });
        const commit = await client.rest.git.createCommit({
            owner,
            repo,
            message,
            tree: tree.data.sha,
            parents: [],
        });
        try {
            await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.data.sha });
            return commit.data.sha;
        }
        catch (e) {
            const h = httpError(e);
            if (h?.status === 422 && /already exists/i.test(h.message))
                return null;
            throw e;
        }
    }
}
/** The sha git (and GitHub) give a blob of these bytes. */
function gitBlobSha(content) {
    return (0,external_node_crypto_.createHash)('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
/** An unparsed answer's bytes (a web stream), or its JSON when the server answered JSON; anything else as it is. */
async function bodyOf(data, contentType) {
    if (!data || typeof data.getReader !== 'function')
        return data;
    const bytes = Buffer.from(await new Response(data).arrayBuffer());
    return /json/i.test(contentType) ? JSON.parse(bytes.toString('utf8')) : bytes;
}
/** The raw media type gives the bytes; a server that ignores it answers the JSON blob in base64. */
function blobBytes(body) {
    if (typeof body === 'string')
        return Buffer.from(body, 'utf8');
    if (body instanceof ArrayBuffer)
        return Buffer.from(body);
    if (ArrayBuffer.isView(body))
        return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const blob = body;
    if (blob && typeof blob.content === 'string' && blob.encoding === 'base64')
        return Buffer.from(blob.content, 'base64');
    throw new Error('the registry blob could not be read (unexpected answer to the raw media type)');
}

;// CONCATENATED MODULE: ./src/drone/card.ts


/** The adaptive-card template the Drone UI renders the data with (drone-plugin/card.json in this repo). */
const CARD_SCHEMA = 'https://raw.githubusercontent.com/build-timings/build-timings/main/drone-plugin/card.json';
/**
 * User text shown in a card: the Drone UI renders TextBlocks as Markdown, so a phase or step name could carry a
 * link or an image. A word joiner between `](` and inside `://` breaks those forms without changing what is
 * read; controls and credentials go as everywhere else.
 */
function cardText(text) {
    return sanitize_safeLine(text).replace(/\]\(/g, ']\u2060(').replace(/:\/\//g, ':\u2060//');
}
const fmt = (cell) => (cell === '' ? '—' : time_humanDuration(Number(cell)));
function buildCard(input) {
    const { row } = input;
    const total = input.steps.reduce((sum, s) => sum + s.seconds, 0);
    const steps = [...input.steps]
        .sort((a, b) => b.seconds - a.seconds)
        .map((s) => ({
        name: cardText(s.name),
        duration: time_humanDuration(s.seconds),
        share: total ? `${Math.round((s.seconds / total) * 100)}%` : '',
    }));
    return {
        schema: CARD_SCHEMA,
        data: {
            phase: cardText(row.phase),
            env: cardText(row.env),
            status: row.status,
            duration: time_humanDuration(Number(row.duration_seconds)),
            durationSeconds: Number(row.duration_seconds),
            budgetStatus: row.budget_status,
            budgetTarget: fmt(row.budget_target_seconds),
            budgetMax: fmt(row.budget_max_seconds),
            cache: input.cache.lookups
                ? `${input.cache.hits}/${input.cache.lookups}${input.cache.rate === null ? '' : ` (${Math.round(input.cache.rate * 100)}%)`}`
                : '—',
            cacheVerdict: input.cache.verdict,
            trend: input.change === null
                ? '—'
                : `${input.change >= 0 ? '+' : ''}${Math.round(input.change * 100)}% vs median`,
            registry: input.registry,
            steps,
        },
    };
}
/**
 * Drone's card protocol (docs/architecture.md "Drone and Woodpecker", runner ≥ 1.8): on /dev/stdout the JSON
 * travels base64-encoded between ESC]1338; and ESC]0m; any other path gets the JSON file. `scrub` runs on the
 * JSON before it is encoded, so a secret cannot slip out inside the base64.
 */
function writeCard(path, card, io, scrub = (t) => t) {
    const json = scrub(JSON.stringify(card));
    if (path === '/dev/stdout') {
        io.writeStdout(`\u001b]1338;${Buffer.from(json, 'utf8').toString('base64')}\u001b]0m\n`);
        return;
    }
    io.writeFile(path, json);
}

;// CONCATENATED MODULE: ./src/drone/tell.ts





function tell_verdictText(result) {
    const b = result.budget;
    if (result.verdict === 'none' || !b)
        return 'no budget';
    const parts = [
        b.target !== undefined ? `target ${time_humanDuration(b.target)}` : '',
        b.max !== undefined ? `max ${time_humanDuration(b.max)}` : '',
        b.timeout !== undefined ? `timeout ${time_humanDuration(b.timeout)}` : '',
    ].filter(Boolean);
    return `budget ${result.verdict} (${parts.join(', ')})`;
}
function commentProblem(e, pr) {
    const h = httpError(e);
    if (h?.status === 403 || h?.status === 404) {
        return `could not comment on PR #${pr} (${h.status}): give the github_token pull-requests write (or issues write) on the pipeline's repository`;
    }
    return `could not comment on PR #${pr}: ${errors_errorMessage(e)}`;
}
/** The one summary line of the step, then the regression and the slowest steps when there are any. */
function tellTiming(ctx, result, timings, log) {
    const { ci } = ctx;
    const { row } = result;
    const where = `${ci.platform} ${ci.repo || '?'} build ${ci.buildNumber || '?'} stage ${ci.stageNumber || '?'}`;
    const cache = result.cache.lookups
        ? `, cache ${result.cache.hits}/${result.cache.lookups}${result.cache.verdict === 'none' ? '' : ` ${result.cache.verdict}`}`
        : '';
    log.say(`${row.phase} ${row.env} ${row.status} in ${time_humanDuration(Number(row.duration_seconds))}, ${tell_verdictText(result)}${cache} (${where}, start from ${ci.startFrom ?? 'nowhere: unknown'}, status from ${timings.failed ? 'the Drone API' : ci.statusFrom})`);
    if (result.regression.regressed && result.regression.change !== null) {
        log.say(`${row.phase} is ${Math.round(result.regression.change * 100)}% slower than the median of its last ${result.regression.sample} successful runs`);
    }
    if (timings.steps.length) {
        const total = timings.steps.reduce((s, t) => s + t.seconds, 0);
        const ranked = [...timings.steps].sort((a, b) => b.seconds - a.seconds).slice(0, 8);
        log.say(`steps: ${ranked.map((t) => `${t.name} ${time_humanDuration(t.seconds)}${total ? ` (${Math.round((t.seconds / total) * 100)}%)` : ''}`).join(', ')}`);
    }
}
/** Where the row went: the problem and the row as CSV, the dry run and the row, or the registry. */
function tellWhere(result, problem, dryRun, log) {
    const { row, outcome: recorded } = result;
    if (problem) {
        log.say(`${problem.replace(/[.\s]+$/, '')}. The row is below as CSV.`);
        log.block(rowsAsCsv([row]));
    }
    else if (dryRun) {
        log.say('dry run: nothing was written to the registry. The row is below as CSV.');
        log.block(rowsAsCsv([row]));
    }
    else if (recorded) {
        if (recorded.appended.length) {
            log.say(`recorded in ${recorded.location}${recorded.commit ? ` (commit ${recorded.commit.slice(0, 7)})` : ''}`);
        }
        else {
            log.say(`already recorded in ${recorded.location} (row ${row.row_id})`);
        }
        if (recorded.droppedColumns.length) {
            log.say(`the registry file has an older header: ${recorded.droppedColumns.join(', ')} were not stored`);
        }
    }
}
/** Drone's card (the UI's step summary); its trouble is one line. */
function tellCard(ctx, result, steps, deps, log) {
    const { ci, settings } = ctx;
    if (ci.platform !== 'drone' || !ci.cardPath)
        return;
    try {
        const card = buildCard({
            row: result.row,
            cache: result.cache,
            change: result.regression.change,
            registry: result.outcome?.location ?? (settings.dryRun ? 'dry run' : 'not recorded'),
            steps,
        });
        writeCard(ci.cardPath, card, { writeStdout: (t) => log.raw(t), writeFile: deps.writeFile }, log.scrub);
    }
    catch (e) {
        log.say(`could not write the card to ${ci.cardPath}: ${errors_errorMessage(e)}`);
    }
}

;// CONCATENATED MODULE: ./src/drone/comment.ts


/** The PR comment of this build: the rows of every stage of the build, rendered by the shared use case. */
async function comment(ctx, deps, log, target) {
    const { ci, settings } = ctx;
    const { row, prNumber } = target;
    const prefix = `${ci.platform}/${row.repository}/${sanitize_cleanCell(ci.buildNumber, target.secrets)}/`;
    const selectRun = (r) => r.source === ci.platform &&
        r.repository === row.repository &&
        (r.row_id ? r.row_id.startsWith(prefix) : r.build_id === row.build_id);
    try {
        const res = await deps.upsertRunComment({
            client: target.client,
            owner: ci.owner,
            repo: ci.name,
            prNumber,
            workflow: workflowName(ci),
            store: target.store,
            env: row.env,
            selectRun,
            budgets: settings.budgets,
            log: (line) => log.say(line),
        });
        if (!res)
            return null;
        log.say(`PR #${prNumber}: comment ${res.action}`);
        return res.action;
    }
    catch (e) {
        log.say(commentProblem(e, prNumber));
        return null;
    }
}
function workflowName(ci) {
    return `${ci.platform} ${ci.repo}${ci.stageName ? ` ${ci.stageName}` : ''}`;
}

;// CONCATENATED MODULE: ./src/github/pulls.ts

/**
 * The pull request a commit belongs to, for pipelines that only know the sha (Drone push builds carry no
 * DRONE_PULL_REQUEST: docs/architecture.md "Drone and Woodpecker"). Prefers an open PR whose head is this
 * commit, then any open PR, then the most recent. Null when the commit has none or GitHub does not know it.
 */
async function findPullRequestForCommit(client, owner, repo, sha) {
    let pulls;
    try {
        const res = await client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
            owner,
            repo,
            commit_sha: sha,
            per_page: 100,
        });
        pulls = res.data;
    }
    catch (e) {
        // 404: unknown repository or commit; 422: not a commit sha (e.g. a tag build). Neither has a PR.
        const status = httpError(e)?.status;
        if (status === 404 || status === 422)
            return null;
        throw e;
    }
    if (!Array.isArray(pulls) || pulls.length === 0)
        return null;
    const open = pulls.filter((p) => p.state === 'open');
    const best = open.find((p) => p.head?.sha === sha) ?? open[0] ?? pulls[0];
    return best ? best.number : null;
}

;// CONCATENATED MODULE: ./src/drone/connect.ts



/** No HTTP answer at all (refused, DNS, timeout) as opposed to an HTTP error. */
function unreachableReason(e) {
    const h = httpError(e);
    const hasResponse = typeof e === 'object' &&
        e !== null &&
        'response' in e &&
        e.response !== undefined;
    if (h && (hasResponse || h.status !== 500))
        return null;
    const cause = e?.cause;
    return cause?.cause?.code ?? cause?.code ?? errors_errorMessage(e);
}
/**
 * One cheap request without retries before anything else: an unreachable API otherwise costs every later
 * call the retry plugin's full backoff. `GET /rate_limit` does not count against the rate limit.
 */
async function probe(client) {
    try {
        await client.request('GET /rate_limit', { request: { retries: 0, signal: AbortSignal.timeout(15_000) } });
        return null;
    }
    catch (e) {
        return unreachableReason(e);
    }
}
/** The GitHub client of the step, or the one line that says why there is none (null: dry run, no token). */
async function connect(ctx, deps, log) {
    const { settings } = ctx;
    if (!settings.githubToken) {
        if (settings.dryRun)
            return { client: null, problem: null };
        return {
            client: null,
            problem: 'no github_token setting: add github_token (from_secret) with contents write on the registry repository to record timings; nothing was recorded',
        };
    }
    const client = deps.createClient({
        token: settings.githubToken,
        baseUrl: settings.githubApiUrl,
        maxRateLimitWaitSeconds: 60,
        // createClient also routes Octokit's own request log here, one line per failed request, expected 404s
        // included; only its rate-limit decisions are worth a line in a pipeline log.
        log: (m) => {
            if (/rate limit/i.test(m) && !/^(GET|POST|PUT|PATCH|DELETE|HEAD) \S+ - \d{3}/.test(m))
                log.say(m);
        },
    });
    const reason = await probe(client);
    if (!reason)
        return { client, problem: null };
    return {
        client: null,
        problem: `GitHub API at ${settings.githubApiUrl} is unreachable (${reason}): check github_api_url and the runner's network; nothing was recorded`,
    };
}
/** The pipeline's PR: from the environment, else the open PR of the commit (push builds carry none). */
async function pullRequestOf(ctx, client) {
    const { ci } = ctx;
    if (ci.pullRequest || !client || !ci.sha || !ci.owner || !ci.name)
        return ci.pullRequest;
    try {
        return await findPullRequestForCommit(client, ci.owner, ci.name, ci.sha);
    }
    catch {
        // Best effort: the registry write meets the same trouble and reports it once.
        return null;
    }
}

;// CONCATENATED MODULE: ./src/core/telemetry.ts
/**
 * Where a job's figures go besides the registry (docs/export.md): export targets and the alert webhook, parsed once
 * from the `export` / `alert-webhook` values every door accepts.
 */

const TARGET = /^(pushgateway|otlp)\+(https?:\/\/.+)$/i;
/** Targets are separated by commas, spaces or newlines; a value that is not a target is named, not fatal. */
function parseExportTargets(value) {
    const targets = [];
    const invalid = [];
    for (const item of value.split(/[\s,]+/).filter(Boolean)) {
        const m = TARGET.exec(item);
        let url = null;
        try {
            url = m ? new URL(m[2]) : null;
        }
        catch {
            url = null;
        }
        if (!m || !url) {
            invalid.push(sanitize_redactSecrets(item));
            continue;
        }
        const label = sanitize_redactSecrets(item);
        targets.push({
            kind: m[1].toLowerCase(),
            url: url.href.replace(/\/+$/, ''),
            label,
        });
    }
    return { targets, invalid };
}
/** One line for the export values that were not understood. */
function invalidTargetsWarning(input, invalid) {
    if (!invalid.length)
        return null;
    return `${input}: "${invalid.join('", "')}" is not an export target; use pushgateway+http(s)://HOST:PORT or otlp+http(s)://HOST:PORT.`;
}
/** The alert webhook: an http(s) URL or nothing. Its label never shows the path (Slack's path is the secret). */
function parseWebhook(value) {
    const v = value.trim();
    if (!v)
        return null;
    try {
        const u = new URL(v);
        if (u.protocol !== 'http:' && u.protocol !== 'https:')
            return 'invalid';
        return { url: u.href, label: `${u.protocol}//${u.host}/…` };
    }
    catch {
        return 'invalid';
    }
}
/** A target that does not answer costs at most this (docs/export.md), as `max-wait` does for GitHub. */
const DEFAULT_TELEMETRY_WAIT_SECONDS = 30;
/** The `export` and `alert-webhook` values of any door, with the names that door gives them. */
function telemetryConfig(exportValue, webhookValue, names) {
    const { targets, invalid } = parseExportTargets(exportValue);
    const warnings = [];
    const bad = invalidTargetsWarning(names.export, invalid);
    if (bad)
        warnings.push(bad);
    const hook = parseWebhook(webhookValue);
    if (hook === 'invalid')
        warnings.push(`${names.webhook} is not an http(s) URL; no alert will be sent: set it to the incoming-webhook URL.`);
    return { targets, webhook: hook === 'invalid' ? null : hook, warnings };
}
function hasTelemetry(config) {
    return config.targets.length > 0 || config.webhook !== null;
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/app/budgets-file.ts




function tooLarge(shownAs, bytes) {
    const problem = budgetsTooLarge(shownAs, bytes).message;
    return {
        budgets: NO_BUDGETS,
        warning: `budgets file ${problem}; running without budgets until it is fixed`,
        problem,
        found: true,
    };
}
/** A missing file means no budgets; a malformed one is a warning, never an error; a huge one is not read. */
async function loadBudgetsFile(path, shownAs = path) {
    let text;
    try {
        const handle = await open(path, 'r');
        try {
            const { size } = await handle.stat();
            if (size > MAX_BUDGETS_BYTES)
                return tooLarge(shownAs, size);
            text = await handle.readFile('utf8');
        }
        finally {
            await handle.close();
        }
    }
    catch (e) {
        if (e.code === 'ENOENT')
            return { budgets: NO_BUDGETS, warning: null, problem: null, found: false };
        return {
            budgets: NO_BUDGETS,
            warning: `budgets file ${shownAs} could not be read (${errorMessage(e)}); running without budgets`,
            problem: null,
            found: false,
        };
    }
    return budgetsFromText(text, shownAs);
}
/** The one budgets parser of every door: a malformed text is no budgets and one problem, never an error. */
function budgetsFromText(text, shownAs) {
    try {
        return { budgets: parseBudgets(text, shownAs), warning: null, problem: null, found: true };
    }
    catch (e) {
        const detail = e instanceof BudgetsError ? e.message : `${shownAs}: ${errors_errorMessage(e)}`;
        return {
            budgets: budgets_NO_BUDGETS,
            warning: `budgets file ${detail}; running without budgets until it is fixed`,
            problem: detail,
            found: true,
        };
    }
}
/** The budgets file named relative to `dir`; a warning when it cannot be used. */
async function loadBudgetsIn(dir, file, log) {
    const loaded = await loadBudgetsFile(resolve(dir, file), file);
    if (loaded.warning)
        log.warning(loaded.warning);
    return loaded;
}

;// CONCATENATED MODULE: ./src/core/config.ts

/**
 * The one table of defaults of the three doors (action inputs, Drone/Woodpecker settings, CLI flags).
 * A door that needs a default takes it from here, so the doors cannot drift apart.
 */
const DEFAULTS = {
    /** Where CI doors record. */
    environment: 'ci',
    /** Where the CLI records: a laptop is not CI, its rows must not mix with `ci`. */
    cliEnvironment: 'local',
    cliBuildId: 'local',
    registryBranch: 'governance-registry',
    registryPath: DEFAULT_PATH_TEMPLATE,
    budgetsFile: '.github/build-budgets.yml',
    githubApiUrl: 'https://api.github.com',
    githubServerUrl: 'https://github.com',
    comment: 'auto',
    failOn: 'never',
};
const FAIL_ON_VALUES = ['never', 'over-max', 'timeout'];
const COMMENT_VALUES = (/* unused pure expression or super */ null && (['auto', 'off']));
const TRUE_WORDS = ['true', '1', 'yes', 'on', 'y'];
const FALSE_WORDS = ['false', '0', 'no', 'off', 'n'];
/** A boolean as YAML, Drone, Woodpecker and people spell it; null when it is none (the caller says so). */
function parseBool(value) {
    const v = value.trim().toLowerCase();
    if (TRUE_WORDS.includes(v))
        return true;
    if (FALSE_WORDS.includes(v))
        return false;
    return null;
}
/** `never`, `over-max`, `timeout`; `over_max` too, as settings are often written with underscores. */
function parseFailOn(value) {
    const v = value.trim().toLowerCase().replace(/_/g, '-');
    return FAIL_ON_VALUES.includes(v) ? v : null;
}
/** `auto` or `off`, with the boolean spellings a YAML file may produce. */
function parseComment(value) {
    const v = value.trim().toLowerCase();
    if (v === 'auto' || v === 'on' || v === 'true')
        return 'auto';
    if (v === 'off' || v === 'false' || v === 'never')
        return 'off';
    return null;
}
/** A registry branch name git accepts and that cannot name anything but a branch. */
function isBranchName(name) {
    return !!name && !/[\s~^:?*[\\]|\.\.|^[-/]|\/$|\.lock$|@\{/.test(name);
}
/** `GITHUB_API_URL` or a setting, without trailing slashes; the default when empty. */
function apiUrlOf(value) {
    return (value?.trim() || DEFAULTS.githubApiUrl).replace(/\/+$/, '');
}
function isHttpUrl(url) {
    return /^https?:\/\/[^\s/]+/i.test(url);
}

;// CONCATENATED MODULE: ./src/drone/settings.ts

/**
 * Every setting of the step (drone-plugin/README.md "Settings"), named as users write them under
 * `settings:`.
 */
const SETTING = {
    githubToken: 'github_token',
    phase: 'phase',
    environment: 'environment',
    buildId: 'build_id',
    flags: 'flags',
    registryRepository: 'registry_repository',
    registryBranch: 'registry_branch',
    registryPath: 'registry_path',
    budgetsFile: 'budgets_file',
    budgets: 'budgets',
    cacheHits: 'cache_hits',
    comment: 'comment',
    failOn: 'fail_on',
    githubApiUrl: 'github_api_url',
    dryRun: 'dry_run',
    droneToken: 'drone_token',
    maxWait: 'max_wait',
    export: 'export',
    alertWebhook: 'alert_webhook',
};
/**
 * The step's `settings:` as a map from the setting's name (`registry_repository`) to its value. Drone
 * upper-cases the key and turns `.`/`-` into `_`; Woodpecker does the same (docs/architecture.md "Drone and
 * Woodpecker"). Keys are folded the same way here so a hand-written `PLUGIN_REGISTRY-BRANCH` still counts;
 * empty values mean unset.
 */
function pluginSettings(env) {
    const out = new Map();
    for (const [key, value] of Object.entries(env)) {
        if (!/^plugin_/i.test(key) || value === undefined || value.trim() === '')
            continue;
        const name = key.slice('PLUGIN_'.length).replace(/[-. ]/g, '_').toLowerCase();
        out.set(name, value);
    }
    return out;
}
function cacheResult(value) {
    if (value === true)
        return 'exact';
    if (value === false)
        return 'partial';
    if (value === null || value === undefined)
        return 'miss';
    if (typeof value !== 'string')
        return null;
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === 'exact' || v === 'hit')
        return 'exact';
    if (v === 'false' || v === 'partial')
        return 'partial';
    if (v === '' || v === 'miss')
        return 'miss';
    return null;
}
/**
 * `cache_hits` in every shape a pipeline can send it: a YAML map (arrives as JSON, values possibly turned
 * into strings by Woodpecker), a YAML list of `name=value` (arrives comma-joined, or as a JSON array), or
 * `name=value` lines. Values follow actions/cache's `cache-hit`: true exact, false partial, empty a miss.
 */
function parseCacheHitsSetting(text) {
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
        let parsed;
        try {
            parsed = JSON.parse(trimmed);
        }
        catch {
            return { entries: [], invalid: [trimmed] };
        }
        const entries = [];
        const invalid = [];
        if (Array.isArray(parsed)) {
            for (const item of parsed) {
                if (typeof item === 'string') {
                    const one = parseCacheHits(item);
                    entries.push(...one.entries);
                    invalid.push(...one.invalid);
                }
                else if (item &&
                    typeof item === 'object' &&
                    typeof item.name === 'string') {
                    const o = item;
                    const result = cacheResult(o['cache-hit'] ?? o.cache_hit ?? o.hit ?? o.value);
                    if (result)
                        entries.push({ name: o.name, result });
                    else
                        invalid.push(JSON.stringify(item));
                }
                else {
                    invalid.push(JSON.stringify(item));
                }
            }
            return { entries, invalid };
        }
        if (parsed && typeof parsed === 'object') {
            for (const [name, value] of Object.entries(parsed)) {
                const result = cacheResult(value);
                if (result)
                    entries.push({ name, result });
                else
                    invalid.push(`${name}=${JSON.stringify(value)}`);
            }
            return { entries, invalid };
        }
        return { entries: [], invalid: [trimmed] };
    }
    return parseCacheHits(text);
}

;// CONCATENATED MODULE: ./src/drone/context.ts








const RUN_ENV_PATH = '/run/drone/env';
/** `KEY=VALUE` lines (optionally `export`ed or quoted), as the Kubernetes runner writes /run/drone/env. */
function parseEnvFile(text) {
    const out = {};
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        if (!line || line.startsWith('#'))
            continue;
        const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
        if (!m)
            continue;
        let value = m[2];
        if (value.length >= 2 &&
            ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
            value = value.slice(1, -1);
        }
        out[m[1]] = value;
    }
    return out;
}
function unixSeconds(value) {
    const v = (value ?? '').trim();
    if (!/^\d+$/.test(v))
        return null;
    const n = Number(v);
    return n > 0 ? new Date(n * 1000) : null;
}
function mapStatus(value) {
    switch ((value ?? '').trim().toLowerCase()) {
        case 'success':
        case 'passing':
            return 'success';
        case 'failure':
        case 'failed':
        case 'error':
        case 'errored':
            return 'failure';
        case 'killed':
        case 'cancelled':
        case 'canceled':
            return 'cancelled';
        case 'skipped':
            return 'skipped';
        default:
            return null;
    }
}
const commaList = (value) => (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
function positiveInt(value) {
    const v = (value ?? '').trim();
    return /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : null;
}
function joinPath(dir, file) {
    if (file.startsWith('/') || !dir)
        return file;
    return `${dir.replace(/\/+$/, '')}/${file}`;
}
function readCi(env) {
    const platform = (env.CI ?? '').trim().toLowerCase() === 'woodpecker' ? 'woodpecker' : 'drone';
    return platform === 'woodpecker' ? readWoodpecker(env) : readDrone(env);
}
function readWoodpecker(env) {
    const get = (name) => (env[name] ?? '').trim();
    const platform = 'woodpecker';
    const owner = get('CI_REPO_OWNER');
    const name = get('CI_REPO_NAME');
    const repo = get('CI_REPO') || (owner && name ? `${owner}/${name}` : '');
    const start = unixSeconds(env.CI_PIPELINE_STARTED);
    const created = unixSeconds(env.CI_PIPELINE_CREATED);
    // Woodpecker's Drone compatibility layer hard-codes DRONE_BUILD_STATUS=success (docs/architecture.md "Drone
    // and Woodpecker"): never read it here.
    const status = mapStatus(env.CI_PIPELINE_STATUS);
    return {
        platform,
        repo,
        owner: owner || repo.split('/')[0] || '',
        name: name || repo.split('/').slice(1).join('/'),
        buildNumber: get('CI_PIPELINE_NUMBER'),
        stageNumber: get('CI_WORKFLOW_NUMBER'),
        stageName: get('CI_WORKFLOW_NAME'),
        start,
        startFrom: start ? 'CI_PIPELINE_STARTED' : null,
        status: status ?? 'unknown',
        statusFrom: status ? 'CI_PIPELINE_STATUS' : 'nothing (CI_PIPELINE_STATUS needs Woodpecker 3.15+)',
        failedSteps: [],
        sha: get('CI_COMMIT_SHA'),
        ref: get('CI_COMMIT_REF'),
        event: get('CI_PIPELINE_EVENT'),
        pullRequest: positiveInt(env.CI_COMMIT_PULL_REQUEST),
        runner: get('CI_MACHINE'),
        queueSeconds: start && created && start >= created ? Math.round((start.getTime() - created.getTime()) / 1000) : null,
        workspace: get('CI_WORKSPACE'),
        server: '',
        buildLink: get('CI_PIPELINE_URL') || get('CI_PIPELINE_FORGE_URL'),
        cardPath: '',
    };
}
function readDrone(env) {
    const get = (name) => (env[name] ?? '').trim();
    const platform = 'drone';
    const owner = get('DRONE_REPO_OWNER');
    const name = get('DRONE_REPO_NAME');
    const repo = get('DRONE_REPO') || (owner && name ? `${owner}/${name}` : '');
    // Each stage is timed from its own start, so a multi-stage build's earlier stages are not counted; the
    // build start (which can even be "now", docs/architecture.md "Drone and Woodpecker") only stands in when
    // the stage start is missing or 0.
    const stageStart = unixSeconds(env.DRONE_STAGE_STARTED);
    const buildStart = unixSeconds(env.DRONE_BUILD_STARTED);
    let start = stageStart;
    let startFrom = stageStart ? 'DRONE_STAGE_STARTED' : null;
    if (buildStart && !stageStart) {
        start = buildStart;
        startFrom = 'DRONE_BUILD_STARTED';
    }
    const failedSteps = commaList(env.DRONE_FAILED_STEPS);
    const stageStatus = mapStatus(env.DRONE_STAGE_STATUS);
    const buildStatus = mapStatus(env.DRONE_BUILD_STATUS);
    let status = 'unknown';
    let statusFrom = 'nothing (no DRONE_STAGE_STATUS or DRONE_BUILD_STATUS)';
    if (failedSteps.length) {
        status = 'failure';
        statusFrom = 'DRONE_FAILED_STEPS';
    }
    else if (stageStatus) {
        status = stageStatus;
        statusFrom = 'DRONE_STAGE_STATUS';
    }
    else if (buildStatus) {
        status = buildStatus;
        statusFrom = 'DRONE_BUILD_STATUS';
    }
    const proto = get('DRONE_SYSTEM_PROTO') || 'https';
    const host = get('DRONE_SYSTEM_HOST');
    return {
        platform,
        repo,
        owner: owner || repo.split('/')[0] || '',
        name: name || repo.split('/').slice(1).join('/'),
        buildNumber: get('DRONE_BUILD_NUMBER'),
        stageNumber: get('DRONE_STAGE_NUMBER'),
        stageName: get('DRONE_STAGE_NAME'),
        start,
        startFrom,
        status,
        statusFrom,
        failedSteps,
        sha: get('DRONE_COMMIT_SHA') || get('DRONE_COMMIT'),
        ref: get('DRONE_COMMIT_REF'),
        event: get('DRONE_BUILD_EVENT'),
        pullRequest: positiveInt(env.DRONE_PULL_REQUEST),
        runner: get('DRONE_STAGE_MACHINE') || get('DRONE_RUNNER_HOSTNAME'),
        queueSeconds: null,
        workspace: get('DRONE_WORKSPACE'),
        server: host ? `${proto}://${host}` : '',
        buildLink: get('DRONE_BUILD_LINK'),
        cardPath: get('DRONE_CARD_PATH'),
    };
}
/** Where the rows go: env, registry repository, branch, path and API; a bad one blocks the step. */
function readTarget(get, ci, problem) {
    let env = DEFAULTS.environment;
    try {
        env = canonicalEnv(get(SETTING.environment) || DEFAULTS.environment, SETTING.environment);
    }
    catch (e) {
        problem(SETTING.environment, errors_errorMessage(e));
    }
    const pathTemplate = get(SETTING.registryPath) || DEFAULTS.registryPath;
    try {
        registryPath(pathTemplate, env, SETTING.registryPath);
    }
    catch (e) {
        problem(SETTING.registryPath, errors_errorMessage(e));
    }
    const registryRepository = get(SETTING.registryRepository) || ci.repo;
    const repoMatch = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(registryRepository);
    if (!repoMatch) {
        problem(SETTING.registryRepository, registryRepository
            ? `registry_repository "${registryRepository}" is not owner/name`
            : `no repository to record into: set registry_repository (owner/name)`);
    }
    const registryBranch = get(SETTING.registryBranch) || DEFAULTS.registryBranch;
    if (!isBranchName(registryBranch)) {
        problem(SETTING.registryBranch, `registry_branch "${registryBranch}" is not a valid branch name, e.g. ${DEFAULTS.registryBranch}`);
    }
    const apiUrl = apiUrlOf(get(SETTING.githubApiUrl));
    if (!isHttpUrl(apiUrl)) {
        problem(SETTING.githubApiUrl, `github_api_url "${apiUrl}" is not an http(s) URL, e.g. https://github.example.com/api/v3`);
    }
    return { env, pathTemplate, repoMatch, registryBranch, apiUrl };
}
/** Choices that only shape the run (dry_run, fail_on, comment, cache_hits). */
function readChoices(raw, get, problem) {
    let dryRun = false;
    if (raw.has(SETTING.dryRun)) {
        const b = parseBool(get(SETTING.dryRun));
        if (b === null)
            problem(SETTING.dryRun, `dry_run "${get(SETTING.dryRun)}" is not true or false`);
        else
            dryRun = b;
    }
    let failOn = DEFAULTS.failOn;
    if (raw.has(SETTING.failOn)) {
        const f = parseFailOn(get(SETTING.failOn));
        if (f === null)
            problem(SETTING.failOn, `fail_on "${get(SETTING.failOn)}" is not never, over-max or timeout; using never`, false);
        else
            failOn = f;
    }
    let comment = DEFAULTS.comment;
    if (raw.has(SETTING.comment)) {
        const c = parseComment(get(SETTING.comment));
        if (c === null)
            problem(SETTING.comment, `comment "${get(SETTING.comment)}" is not auto or off; not commenting`, false);
        comment = c ?? 'off';
    }
    let cacheEntries = [];
    if (raw.has(SETTING.cacheHits)) {
        const parsed = parseCacheHitsSetting(raw.get(SETTING.cacheHits) ?? '');
        cacheEntries = parsed.entries;
        if (parsed.invalid.length) {
            problem(SETTING.cacheHits, `cache_hits entries ${parsed.invalid.map((s) => JSON.stringify(s)).join(', ')} were ignored: use a map {name: true|false|""} or name=true|false lines`, false);
        }
    }
    return { dryRun, failOn, comment, cacheEntries };
}
function readBudgetsSetting(raw, get, where, problem) {
    const { ci, readFile, cwd, notes } = where;
    // A missing budgets file means no budgets; a malformed one is one warning and no budgets.
    let budgets = budgets_NO_BUDGETS;
    let budgetsFrom = '';
    const inline = raw.get(SETTING.budgets);
    if (inline !== undefined && inline.trim()) {
        budgetsFrom = 'budgets setting';
        const loaded = budgetsFromText(inline, budgetsFrom);
        budgets = loaded.budgets;
        if (loaded.problem)
            problem(SETTING.budgets, `${loaded.problem}; going on without budgets`, false);
    }
    else {
        const named = get(SETTING.budgetsFile);
        const file = joinPath(ci.workspace || cwd, named || DEFAULTS.budgetsFile);
        budgetsFrom = file;
        let text = null;
        try {
            text = readFile(file);
        }
        catch (e) {
            problem(SETTING.budgetsFile, `could not read budgets file ${file}: ${errors_errorMessage(e)}; going on without budgets`, false);
        }
        if (text === null && named)
            notes.push(`budgets file ${file} not found: no budgets apply`);
        if (text !== null) {
            const loaded = budgetsFromText(text, file);
            budgets = loaded.budgets;
            if (loaded.problem)
                problem(SETTING.budgetsFile, `${loaded.problem}; going on without budgets`, false);
        }
    }
    return { budgets, budgetsFrom };
}
/** docs/export.md settings: never blocking, a value that is not understood is one line and no export. */
function readTelemetry(raw, get, problem) {
    const telemetry = telemetryConfig(raw.get(SETTING.export) ?? '', get(SETTING.alertWebhook), {
        export: SETTING.export,
        webhook: SETTING.alertWebhook,
    });
    for (const w of telemetry.warnings)
        problem(SETTING.export, w, false);
    const wait = get(SETTING.maxWait);
    const seconds = wait ? parseDuration(wait) : DEFAULT_TELEMETRY_WAIT_SECONDS;
    if (seconds === null || seconds <= 0)
        problem(SETTING.maxWait, `max_wait "${wait}" is not a duration like 30s; using ${DEFAULT_TELEMETRY_WAIT_SECONDS}s`, false);
    return { telemetry, maxWaitSeconds: seconds && seconds > 0 ? seconds : DEFAULT_TELEMETRY_WAIT_SECONDS };
}
function readSettings(raw, ci, readFile, cwd) {
    const problems = [];
    const notes = [];
    const problem = (setting, message, blocking = true) => {
        problems.push({ setting, message, blocking });
    };
    const get = (name) => (raw.get(name) ?? '').trim();
    const { env, pathTemplate, repoMatch, registryBranch, apiUrl } = readTarget(get, ci, problem);
    const { dryRun, failOn, comment, cacheEntries } = readChoices(raw, get, problem);
    const { budgets, budgetsFrom } = readBudgetsSetting(raw, get, { ci, readFile, cwd, notes }, problem);
    const settings = {
        githubToken: get(SETTING.githubToken),
        droneToken: get(SETTING.droneToken),
        phase: get(SETTING.phase) || ci.stageName || 'default',
        env,
        buildId: get(SETTING.buildId) || ci.buildNumber,
        flags: raw.get(SETTING.flags) ?? '',
        registryOwner: repoMatch?.[1] ?? '',
        registryRepo: repoMatch?.[2] ?? '',
        registryBranch,
        registryPath: pathTemplate,
        budgets,
        budgetsFrom,
        cacheEntries,
        comment,
        failOn,
        githubApiUrl: apiUrl,
        dryRun,
        ...readTelemetry(raw, get, problem),
    };
    return { settings, problems, notes };
}
/**
 * The step's whole context, read once (drone-plugin-lib style): the pipeline from DRONE_* / CI_*, the
 * settings from PLUGIN_*, the budgets file. On the Kubernetes runner /run/drone/env holds the live values
 * and wins over the process environment (docs/architecture.md "Drone and Woodpecker").
 */
function readContext(env, readFile, opts = {}) {
    const problems = [];
    let merged = { ...env };
    const runEnvPath = opts.runEnvPath ?? RUN_ENV_PATH;
    try {
        const text = readFile(runEnvPath);
        if (text !== null)
            merged = { ...merged, ...parseEnvFile(text) };
    }
    catch (e) {
        problems.push({
            setting: runEnvPath,
            message: `could not read ${runEnvPath}: ${errors_errorMessage(e)}`,
            blocking: false,
        });
    }
    const ci = readCi(merged);
    if (!ci.buildNumber) {
        // Without it every run would get the same row_id and only the first would ever be recorded.
        const name = ci.platform === 'woodpecker' ? 'CI_PIPELINE_NUMBER' : 'DRONE_BUILD_NUMBER';
        problems.push({
            setting: name,
            message: `${name} is not set: run this image as a ${ci.platform === 'woodpecker' ? 'Woodpecker' : 'Drone'} pipeline step`,
            blocking: true,
        });
    }
    const s = readSettings(pluginSettings(merged), ci, readFile, opts.cwd ?? '');
    return { ci, settings: s.settings, problems: [...problems, ...s.problems], notes: s.notes };
}

;// CONCATENATED MODULE: ./src/drone/drone-api.ts

class DroneApiError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
        this.name = 'DroneApiError';
    }
}
/**
 * Per-step timings are not in the environment (docs/architecture.md "Drone and Woodpecker"):
 * `GET /api/repos/{owner}/{name}/builds/{n}` with a user token returns `stages[].steps[]` with Unix-second
 * `started`/`stopped`. Steps still running (this one) have no `stopped` and are left out.
 */
async function fetchStageTimings(opts) {
    const url = `${opts.server.replace(/\/+$/, '')}/api/repos/${encodeURIComponent(opts.owner)}/${encodeURIComponent(opts.name)}/builds/${encodeURIComponent(opts.buildNumber)}`;
    const res = await opts.fetch(url, {
        headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    if (!res.ok)
        throw new DroneApiError(res.status, `the Drone API answered ${res.status}`);
    const build = (await res.json());
    const stages = Array.isArray(build?.stages) ? build.stages : [];
    const stage = stages.find((s) => String(s.number) === opts.stageNumber) ?? (stages.length === 1 ? stages[0] : undefined);
    if (!stage)
        throw new DroneApiError(null, `stage ${opts.stageNumber} is not in build ${opts.buildNumber}`);
    const steps = [];
    let failed = false;
    for (const step of stage.steps ?? []) {
        const status = mapStatus(step.status);
        if (status === 'failure')
            failed = true;
        if (!step.started || !step.stopped)
            continue;
        steps.push({
            name: step.name ?? '',
            seconds: Math.max(0, step.stopped - step.started),
            started: step.started,
            stopped: step.stopped,
            status,
            exitCode: typeof step.exit_code === 'number' ? step.exit_code : null,
        });
    }
    const queueSeconds = stage.created && stage.started && stage.started >= stage.created ? stage.started - stage.created : null;
    return { steps, failed, queueSeconds };
}

;// CONCATENATED MODULE: ./src/drone/event.ts



const appendFlag = (flags, flag) => (flags.trim() ? `${flags.trim()} ${flag}` : flag);
async function stepTimings(ctx, deps, log) {
    const { ci, settings } = ctx;
    const none = { steps: [], failed: false, queueSeconds: null };
    if (!settings.droneToken)
        return none;
    if (ci.platform !== 'drone' || !ci.server || !ci.owner || !ci.name) {
        log.say('drone_token is only used on Drone with DRONE_SYSTEM_HOST set: going on without per-step timings');
        return none;
    }
    try {
        return await fetchStageTimings({
            fetch: deps.fetch,
            server: ci.server,
            token: settings.droneToken,
            owner: ci.owner,
            name: ci.name,
            buildNumber: ci.buildNumber,
            stageNumber: ci.stageNumber,
        });
    }
    catch (e) {
        log.say(`per-step timings unavailable from ${ci.server} (${errors_errorMessage(e)}): check drone_token; going on without them`);
        return none;
    }
}
/** The step's timing as the use case's event: the settings and the CI's variables, nothing judged. */
function timingEvent(ctx, end, timings, prNumber, secrets) {
    const { ci, settings } = ctx;
    let status = ci.status;
    if (timings.failed && (status === 'success' || status === 'unknown'))
        status = 'failure';
    return {
        source: ci.platform,
        phase: settings.phase,
        env: settings.env,
        buildId: settings.buildId,
        start: ci.start ?? end,
        end,
        exitCode: exitCodeForStatus(status),
        status,
        flags: ci.start ? settings.flags : appendFlag(settings.flags, 'start=unknown'),
        repository: ci.repo || `${settings.registryOwner}/${settings.registryRepo}`,
        runId: ci.buildNumber,
        jobId: ci.stageNumber,
        jobKey: ci.stageNumber,
        ref: ci.ref,
        sha: ci.sha,
        prNumber: prNumber ?? undefined,
        runner: ci.runner,
        queueSeconds: timings.queueSeconds ?? ci.queueSeconds ?? undefined,
        secrets,
    };
}

;// CONCATENATED MODULE: ./src/drone/output.ts


/** Known secrets in any of their forms, then anything that looks like a credential. */
function scrubber(secrets) {
    const known = knownScrubber(secrets);
    return (text) => sanitize_redactSecrets(known(text));
}
/** Only the known secrets: for encoded payloads, where credential-shaped patterns would corrupt the data. */
function knownScrubber(secrets) {
    const variants = secretVariants(secrets);
    return (text) => {
        let out = text;
        for (const v of variants)
            out = out.split(v).join(REDACTED);
        return out;
    };
}
/** The step's log: every line is scrubbed of the secrets before it is written. */
class Log {
    write;
    scrub;
    scrubKnown;
    constructor(write, scrub, scrubKnown = scrub) {
        this.write = write;
        this.scrub = scrub;
        this.scrubKnown = scrubKnown;
    }
    line(text) {
        this.write(`${this.scrub(sanitize_stripControls(text))}\n`);
    }
    /** `build-timings: …`: the prefix users grep for. */
    say(text) {
        this.line(`build-timings: ${text}`);
    }
    /** An encoded payload (the card escape sequence): only the known secrets' forms are scrubbed. */
    raw(text) {
        this.write(this.scrubKnown(text));
    }
    /** A block (CSV) written as is, after scrubbing. */
    block(text) {
        const scrubbed = this.scrub(stripTerminalEscapes(text));
        this.write(scrubbed.endsWith('\n') ? scrubbed : `${scrubbed}\n`);
    }
}

;// CONCATENATED MODULE: ./src/core/prometheus.ts
/**
 * A job's row as Prometheus metrics for the Pushgateway (docs/export.md): one group per (job, phase, env), replaced
 * on each push, so a dashboard shows each phase's last run. Names follow Prometheus' conventions: a
 * `build_timings_` prefix, base units (seconds, bytes, ratios 0..1) in the suffix, states as a label.
 */

/** The Prometheus `job` of a row: its repository (so repositories never replace each other's groups). */
function groupingOf(row) {
    return { job: row.repository || 'build-timings', phase: row.phase, env: row.env };
}
/**
 * `/metrics/job/{job}/phase/{phase}/env/{env}`. A value with a `/` (a repository, a phase like `test (a/b)`)
 * or an empty one uses the Pushgateway's base64url form (`label@base64/…`), the only way to carry it.
 */
function pushgatewayPath(g) {
    const part = (name, value) => value === '' || value.includes('/')
        ? `${name}@base64/${Buffer.from(value, 'utf8').toString('base64url') || '='}`
        : `${name}/${encodeURIComponent(value)}`;
    return `/metrics/${part('job', g.job)}/${part('phase', g.phase)}/${part('env', g.env)}`;
}
const prometheus_MIB = 1024 * 1024;
/** The exposition text (format 0.0.4) of one row. Unknown figures are left out, never pushed as 0. */
function prometheusText(row) {
    const num = (cell) => (cell === '' ? undefined : Number(cell));
    const metrics = [];
    const gauge = (name, help, value, labels) => {
        if (value !== undefined && Number.isFinite(value))
            metrics.push({ name, help, samples: [{ labels, value }] });
    };
    const common = { source: row.source, status: row.status };
    gauge('build_timings_duration_seconds', 'Duration of the last run of the phase.', num(row.duration_seconds), common);
    gauge('build_timings_exit_code', 'Exit code of the last run (0 success, 1 failure, 130 cancelled).', num(row.exit_code));
    gauge('build_timings_end_timestamp_seconds', 'When the last run ended, in seconds since the Unix epoch.', Date.parse(row.end_time_utc) / 1000);
    metrics.push({
        name: 'build_timings_status',
        help: 'Status of the last run: 1 for the status it had, 0 for the others.',
        samples: schema_STATUSES.map((s) => ({ labels: { status: s }, value: row.status === s ? 1 : 0 })),
    });
    gauge('build_timings_queue_seconds', 'Time the last run waited for a runner.', num(row.queue_seconds));
    gauge('build_timings_budget_target_seconds', 'Target duration of the phase.', num(row.budget_target_seconds));
    gauge('build_timings_budget_max_seconds', 'Maximum duration of the phase.', num(row.budget_max_seconds));
    metrics.push({
        name: 'build_timings_budget_status',
        help: 'Budget verdict of the last run: 1 for its verdict, 0 for the others.',
        samples: BUDGET_STATUSES.map((s) => ({
            labels: { budget_status: s },
            value: row.budget_status === s ? 1 : 0,
        })),
    });
    gauge('build_timings_cache_hits', 'Cache lookups that hit (exact or restore-key) in the last run.', num(row.cache_hits));
    gauge('build_timings_cache_lookups', 'Cache lookups in the last run.', num(row.cache_lookups));
    const cpu = num(row.cpu_avg_percent);
    gauge('build_timings_cpu_utilization_ratio', 'Average busy share of the machine CPUs over the last run (0..1).', cpu === undefined ? undefined : cpu / 100);
    const bytes = (cell) => {
        const v = num(cell);
        return v === undefined ? undefined : Math.round(v * prometheus_MIB);
    };
    gauge('build_timings_memory_peak_bytes', 'Peak memory in use on the machine during the last run.', bytes(row.mem_peak_mb));
    gauge('build_timings_disk_read_bytes', 'Bytes read from disk during the last run.', bytes(row.disk_read_mb));
    gauge('build_timings_disk_written_bytes', 'Bytes written to disk during the last run.', bytes(row.disk_write_mb));
    gauge('build_timings_network_receive_bytes', 'Bytes received over the network during the last run.', bytes(row.net_rx_mb));
    gauge('build_timings_network_transmit_bytes', 'Bytes sent over the network during the last run.', bytes(row.net_tx_mb));
    metrics.push({
        name: 'build_timings_run_info',
        help: 'Identity of the last run, as labels.',
        samples: [
            {
                labels: {
                    build_id: row.build_id,
                    run_id: row.run_id,
                    run_attempt: row.run_attempt,
                    ref: row.ref,
                    sha: row.sha,
                    row_id: row.row_id,
                },
                value: 1,
            },
        ],
    });
    return metrics
        .map((m) => [
        `# HELP ${m.name} ${m.help}`,
        `# TYPE ${m.name} gauge`,
        ...m.samples.map((s) => `${m.name}${labelText(s.labels)} ${s.value}`),
    ].join('\n'))
        .join('\n')
        .concat('\n');
}
function labelText(labels) {
    const entries = Object.entries(labels ?? {}).filter(([, v]) => v !== '');
    if (!entries.length)
        return '';
    return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`;
}

;// CONCATENATED MODULE: ./src/telemetry/deliver.ts
/**
 * Sends a recorded job to its export targets and the alert webhook, all at once and fail-open (docs/export.md):
 * whatever a target does (refuses, answers 5xx, never answers), this returns within `maxWaitMs` with one
 * warning per target that did not take the job, and never throws. The row is already in the registry
 * (or kept) before this runs: telemetry can only add, never lose.
 */




async function deliverTelemetry(job, opts) {
    const result = { warnings: [], delivered: [], alerted: false };
    const started = Date.now();
    const controller = new AbortController();
    const tasks = [];
    for (const target of opts.targets) {
        tasks.push({
            label: target.label,
            run: target.kind === 'pushgateway'
                ? (signal) => pushToGateway(target.url, job.row, signal)
                : async (_signal, timeoutMs) => {
                    const { sendOtlp } = await Promise.all(/* import() */[__webpack_require__.e(308), __webpack_require__.e(896)]).then(__webpack_require__.bind(__webpack_require__, 1896));
                    await sendOtlp(target.url, job, { version: opts.version }, timeoutMs);
                },
        });
    }
    const message = opts.webhook
        ? alertMessage({ ...job.alert, row: job.row, runUrl: job.context?.runUrl }, opts.secrets)
        : null;
    if (opts.webhook && message) {
        const url = opts.webhook.url;
        tasks.push({
            label: `alert webhook ${opts.webhook.label}`,
            run: (signal) => postJson(url, message, signal),
        });
    }
    if (!tasks.length)
        return result;
    let timer;
    const deadline = new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), opts.maxWaitMs);
    });
    const outcomes = tasks.map((task) => task
        .run(controller.signal, Math.max(1000, opts.maxWaitMs - (Date.now() - started)))
        .then(() => ({ task, error: null }))
        .catch((error) => ({ task, error })));
    const settled = await Promise.race([Promise.all(outcomes), deadline]);
    clearTimeout(timer);
    controller.abort();
    const seconds = Math.round(opts.maxWaitMs / 1000);
    if (settled === 'timeout') {
        // Whatever finished in time counts; the rest is named once.
        const done = await Promise.all(outcomes.map((o) => Promise.race([o, Promise.resolve(null)])));
        for (const [i, task] of tasks.entries()) {
            const o = done[i];
            if (o && !o.error)
                note(result, task.label);
            else if (o)
                result.warnings.push(failure(task.label, o.error, opts.secrets));
            else
                result.warnings.push(`telemetry: ${task.label} did not answer within max-wait (${seconds}s); the job is recorded, only this export was skipped: check that the endpoint is reachable from the runner.`);
        }
    }
    else {
        for (const o of settled) {
            if (o.error)
                result.warnings.push(failure(o.task.label, o.error, opts.secrets));
            else
                note(result, o.task.label);
        }
    }
    result.alerted = result.delivered.some((l) => l.startsWith('alert webhook'));
    return result;
}
function note(result, label) {
    result.delivered.push(label);
}
function failure(label, e, secrets = []) {
    // fetch says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND) is what the user can act on.
    const cause = e?.cause;
    const why = `${errors_errorMessage(e)}${cause ? `: ${cause.code ?? cause.message ?? ''}` : ''}`;
    return sanitize_redactSecrets(`telemetry: ${label} refused the job (${why.replace(/\s+/g, ' ').slice(0, 200)}); the job is recorded, only this export was skipped: check the endpoint and its logs.`, secrets);
}
/** PUT replaces the whole (job, phase, env) group, so a phase's gauges always describe its last run. */
async function pushToGateway(base, row, signal) {
    const res = await fetch(`${base}${pushgatewayPath(groupingOf(row))}`, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: prometheusText(row),
        signal,
    });
    if (!res.ok)
        throw new Error(`HTTP ${res.status} ${(await res.text().catch(() => '')).trim().slice(0, 120)}`);
    await res.body?.cancel().catch(() => undefined);
}
async function postJson(url, body, signal) {
    const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
    });
    // The webhook's URL is its secret: the status is all a message may say about it.
    if (!res.ok)
        throw new Error(`HTTP ${res.status}`);
    await res.body?.cancel().catch(() => undefined);
}

;// CONCATENATED MODULE: ./src/telemetry/job.ts


/**
 * Sends the recorded job to every target and, when it went wrong, one alert. Returns the warning lines
 * (empty when all went well); never throws and never takes longer than `maxWaitSeconds`.
 */
async function sendJobTelemetry(config, facts, opts) {
    if (!hasTelemetry(config))
        return { warnings: [], delivered: [] };
    try {
        const result = await deliverTelemetry({
            row: facts.row,
            steps: facts.steps,
            context: facts.context,
            alert: {
                regression: facts.regression,
                regressionThreshold: facts.regressionThreshold,
                cache: facts.cache,
                hitRateAlert: facts.hitRateAlert,
                flaky: facts.flaky,
            },
        }, {
            targets: config.targets,
            webhook: config.webhook,
            maxWaitMs: Math.max(1, opts.maxWaitSeconds) * 1000,
            version: opts.version,
            secrets: opts.secrets,
        });
        return { warnings: result.warnings, delivered: result.delivered };
    }
    catch (e) {
        // deliverTelemetry catches per target; this is the last net for the product's own bug.
        return {
            warnings: [`telemetry: not sent (${e instanceof Error ? e.message : String(e)}); the job is recorded.`],
            delivered: [],
        };
    }
}

;// CONCATENATED MODULE: ./src/drone/export.ts

const iso = (unixSeconds) => new Date(unixSeconds * 1000).toISOString();
/** The Drone API's steps (with `drone_token`) as the trace's step spans. */
function stepsOf(timings) {
    return timings.steps.flatMap((s, i) => s.started && s.stopped
        ? [
            {
                name: s.name,
                status: 'completed',
                conclusion: s.status === 'failure' ? 'failure' : (s.status ?? 'success'),
                number: i + 1,
                started_at: iso(s.started),
                completed_at: iso(s.stopped),
            },
        ]
        : []);
}
/** Last: the recorded stage to the `export` targets and, when it went wrong, the `alert_webhook` (docs/export.md). */
async function exportStage(ctx, stage, log) {
    const { settings, ci } = ctx;
    const { result } = stage;
    const sent = await sendJobTelemetry(settings.telemetry, {
        row: result.row,
        steps: stepsOf(stage.timings),
        // A Drone pipeline is what the runner calls a stage.
        context: { pipelineName: ci.stageName || undefined, runUrl: ci.buildLink || undefined },
        regression: result.regression,
        regressionThreshold: settings.budgets.regression.threshold,
        cache: result.cache,
        hitRateAlert: settings.budgets.cache.hitRateAlert,
        flaky: result.flaky,
    }, { maxWaitSeconds: settings.maxWaitSeconds, secrets: stage.secrets });
    for (const warning of sent.warnings)
        log.say(warning);
    if (sent.delivered.length)
        log.say(`telemetry sent to ${sent.delivered.join(', ')}`);
}

;// CONCATENATED MODULE: ./src/drone/plugin.ts












/** Exit 0 unless fail_on triggers. The plugin's own trouble never fails the pipeline. */
function exitCodeFor(outcome) {
    if (!outcome)
        return 0;
    return enforced(outcome.verdict, outcome.failOn) ? 1 : 0;
}
/** Settings whose name says they hold a credential are secrets even before they are parsed. */
function secretsIn(env) {
    const out = [];
    for (const [name, value] of pluginSettings(env)) {
        if (/token|secret|password|passwd|credential|api_?key/i.test(name))
            out.push(value.trim(), value);
    }
    return out.filter((v) => v.length >= 4);
}
async function execute(ctx, deps, log) {
    const { ci, settings } = ctx;
    const secrets = [settings.githubToken, settings.droneToken, ...secretsIn(deps.env)].filter((s) => s.length >= 4);
    for (const note of ctx.notes)
        log.say(note);
    for (const p of ctx.problems.filter((p) => !p.blocking))
        log.say(p.message);
    const blocking = ctx.problems.filter((p) => p.blocking);
    const end = deps.now();
    const timings = await stepTimings(ctx, deps, log);
    const { client, problem: unconnected } = blocking.length
        ? {
            client: null,
            problem: `settings not usable: ${blocking.map((p) => p.message).join('; ')}. Fix the step's settings; nothing was recorded`,
        }
        : await connect(ctx, deps, log);
    const prNumber = await pullRequestOf(ctx, client);
    const store = client && !settings.dryRun
        ? new GitHubContentsStore({
            client,
            owner: settings.registryOwner,
            repo: settings.registryRepo,
            branch: settings.registryBranch,
            pathTemplate: settings.registryPath,
        })
        : null;
    const result = await recordTiming({
        event: timingEvent(ctx, end, timings, prNumber, secrets),
        budgets: settings.budgets,
        cacheEntries: settings.cacheEntries,
        store,
        failOn: settings.failOn,
    });
    const problem = unconnected ?? result.problem;
    tellTiming(ctx, result, timings, log);
    tellWhere(result, problem, settings.dryRun, log);
    tellCard(ctx, result, timings.steps, deps, log);
    const commented = settings.comment === 'auto' && client && store && result.outcome && prNumber && ci.owner && ci.name
        ? await comment(ctx, deps, log, { client, store, prNumber, row: result.row, secrets })
        : null;
    await exportStage(ctx, { result, timings, secrets }, log);
    if (result.fails)
        log.say(failLine(ctx, result));
    return {
        row: result.row,
        verdict: result.verdict,
        failOn: settings.failOn,
        problem,
        recorded: result.outcome,
        prNumber,
        comment: commented,
    };
}
function failLine(ctx, result) {
    const { row } = result;
    return `fail_on ${ctx.settings.failOn}: ${row.phase} took ${time_humanDuration(Number(row.duration_seconds))}, ${tell_verdictText(result)}: failing the step`;
}
/** Validate (read the context once), then Execute; whatever goes wrong, the exit code comes from exitCodeFor. */
async function runPlugin(deps) {
    const early = secretsIn(deps.env);
    let log = new Log(deps.stdout, scrubber(early), knownScrubber(early));
    let outcome = null;
    try {
        const ctx = readContext(deps.env, deps.readFile, { runEnvPath: deps.runEnvPath, cwd: deps.cwd });
        const secrets = [ctx.settings.githubToken, ctx.settings.droneToken, ...early];
        log = new Log(deps.stdout, scrubber(secrets), knownScrubber(secrets));
        outcome = await execute(ctx, deps, log);
    }
    catch (e) {
        log.say(`unexpected error, nothing recorded: ${errors_errorMessage(e)}. Please report it with this line`);
    }
    return exitCodeFor(outcome);
}

;// CONCATENATED MODULE: ./src/drone/process.ts




const readFile = (path) => {
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch (e) {
        const code = e.code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
            return null;
        throw e;
    }
};
/** Wires the plugin to the real process: environment, files, clock, network, exit code. */
async function runPluginProcess() {
    const code = await runPlugin({
        env: process.env,
        readFile,
        writeFile: (path, text) => (0,external_node_fs_.writeFileSync)(path, text),
        stdout: (text) => process.stdout.write(text),
        now: () => new Date(),
        cwd: process.cwd(),
        fetch: (url, init) => fetch(url, init),
        createClient: createClient,
        upsertRunComment: upsertRunComment,
    });
    process.exitCode = code;
}


/***/ })

};
