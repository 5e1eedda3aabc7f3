import {
  cleanCell,
  neutraliseFormula,
  redactSecrets,
  REDACTED,
  secretsFromEnv,
} from '../../src/core/sanitize.js'

const GHP = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'
const GHS = 'ghs_' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8'
const PAT = 'github_pat_' + '11ABCDEFG0123456789abc_' + 'x'.repeat(59)
const AKIA = 'AKIA' + 'IOSFODNN7EXAMPLE'

describe('neutraliseFormula', () => {
  test.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tlint', "'\tlint"],
    ['\rlint', "'\rlint"],
    ['lint', 'lint'],
    ['e2e-api', 'e2e-api'],
    ['a=b', 'a=b'],
    ['', ''],
    // Importers that trim spaces (a sheet's "trim whitespace" option) would run it.
    [' =x', "' =x"],
    ['a =x', 'a =x'],
  ])('%j → %j', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected)
  })
})

describe('redactSecrets', () => {
  test.each([
    [`token ${GHP}`, 'token ***'],
    [GHP, REDACTED],
    [`x ${GHS} y`, 'x *** y'],
    [`pat=${PAT}`, 'pat=***'],
    [`key ${AKIA} end`, 'key *** end'],
    ['password=hunter2', 'password=***'],
    ['DB_PASSWORD=hunter2 next', 'DB_PASSWORD=*** next'],
    ['password="two words" next', 'password=*** next'],
    ['token: abc123', 'token: ***'],
    ['api_key=xyz,other=1', 'api_key=***,other=1'],
    ['https://user:pa55@example.com/repo.git', 'https://***@example.com/repo.git'],
    ['git clone https://x-access-token:abc@github.com/o/r', 'git clone https://***@github.com/o/r'],
    ['Authorization: Bearer abcdefghijklmnop1234', 'Authorization: Bearer ***'],
    ['Bearer eyJhbGciOi.eyJzdWIiOiIx.c2lnbmF0dXJl', 'Bearer ***'],
  ])('%j → %j', (value, expected) => {
    expect(redactSecrets(value)).toBe(expected)
  })

  test.each([
    ['s3cr3t-value-42', ['s3cr3t-value-42'], '***'],
    ['flags: --auth=topsecretvalue --fast', ['topsecretvalue'], 'flags: --auth=*** --fast'],
    ['abc appears', ['abc'], 'abc appears'], // too short to be a secret: left alone
    ['nothing here', [''], 'nothing here'],
  ])('known secrets: %j with %j → %j', (value, secrets, expected) => {
    expect(redactSecrets(value, secrets)).toBe(expected)
  })

  test.each([
    ['unit-tests'],
    ['make build TARGET=linux'],
    ['make -j4 --no-cache --parallel=4'],
    ['logs/build-timings/lint-123-20260124T101503Z.log'],
    ['https://github.com/acme/widgets/actions/runs/1'],
    ['test (ubuntu-latest, 20)'],
    ['refs/heads/main'],
    ['deploy to production'],
    ['ghp_short'],
    ['AKIA123'],
  ])('ordinary text %j is untouched', (value) => {
    expect(redactSecrets(value)).toBe(value)
    expect(cleanCell(value)).toBe(value)
  })
})

describe('cleanCell', () => {
  test.each([
    [`=HYPERLINK("http://x?${GHP}")`, [], `'=HYPERLINK("http://x?***")`],
    ['-password=abc', [], "'-password=***"],
    ['--no-cache', [], "'--no-cache"],
    ['line1\nline2', [], 'line1 line2'],
    ['line1\r\nline2', [], 'line1 line2'],
    ['\r=cmd', [], "' =cmd"],
    ['=x\n=y', [], "'=x =y"],
    ['known-secret-1 ok', ['known-secret-1'], '*** ok'],
  ])('%j → %j', (value, secrets, expected) => {
    expect(cleanCell(value, secrets)).toBe(expected)
  })

  test('bounds the length', () => {
    const out = cleanCell('x'.repeat(600))
    expect(out).toHaveLength(500)
    expect(out.endsWith('…')).toBe(true)
  })
})

// Built at run time so that no scanner mistakes the fixtures for live credentials.
const j = (...parts: string[]): string => parts.join('')
const GLPAT = j('glpat-', 'xY9zW8vU7tS6rQ5pO4nM')
const NPM = j('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')
const SLACK = j('xoxb-', '1234567890-0987654321-AbCdEfGhIjKlMnOp')
const STRIPE = j('sk_live_', '51HxYzAbCdEfGhIjKlMn')
const GOOGLE = j('AIza', 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q')
const JWT = j(
  'eyJhbGciOiJIUzI1NiJ9',
  '.',
  'eyJzdWIiOiIxMjM0NTY3ODkwIn0',
  '.',
  'dBjftJeZ4CVPmB92K27uhbUJU1p1r',
)

describe('redactSecrets: every credential shape of SPEC §2', () => {
  test.each([
    // token shapes of each provider
    [`deploy ${GLPAT} now`, 'deploy *** now'],
    [`//registry/:_authToken=${NPM}`, '//registry/:_authToken=***'],
    [`notify ${SLACK}`, 'notify ***'],
    [`pay ${STRIPE}`, 'pay ***'],
    [`maps ${GOOGLE}`, 'maps ***'],
    [`jwt ${JWT}`, 'jwt ***'],
    [`GITHUB_TOKEN_${GHP.slice(0, 4)}x`, `GITHUB_TOKEN_${GHP.slice(0, 4)}x`],
    [`x_${GHP}`, 'x_***'],
    ['post https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX', 'post https://hooks.slack.com/***'],
    // options, both forms
    ['mysql --password hunter2 db', 'mysql --password *** db'],
    ['mysql --password=hunter2 db', 'mysql --password=*** db'],
    ['mysql -p hunter2 db', 'mysql -p *** db'],
    ['mysql -p=hunter2 db', 'mysql -p=*** db'],
    ['login --token abc123 --fast', 'login --token *** --fast'],
    ['vault --secret "two words" x', 'vault --secret *** x'],
    ['oauth --client-secret x', 'oauth --client-secret ***'],
    ['oauth --client_secret=x', 'oauth --client_secret=***'],
    ['tool -password hunter2', 'tool -password ***'],
    ['gpg --api-key K1 --verbose', 'gpg --api-key *** --verbose'],
    // KEY=value by the end of the key
    ['DB_PASS=hunter2 make', 'DB_PASS=*** make'],
    ['MYSQL_ROOT_PASSWORD=hunter2', 'MYSQL_ROOT_PASSWORD=***'],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG', 'AWS_SECRET_ACCESS_KEY=***'],
    ['NPM_TOKEN=abc; next', 'NPM_TOKEN=***; next'],
    ['key=abc def', 'key=*** def'],
    ['client_secret: abc', 'client_secret: ***'],
    // quoted JSON / YAML keys
    ['{"client_secret": "s3cr3t value", "id": 1}', '{"client_secret": "***", "id": 1}'],
    ['{"password":"p\\"w"}', '{"password":"***"}'],
    ["{'api_key': 'abc'}", "{'api_key': '***'}"],
    ['"token": abc123,', '"token": ***,'],
    // Authorization headers
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic ***'],
    ['-H "authorization: bearer abc.def"', '-H "authorization: bearer ***"'],
    ['AUTHORIZATION: token abc', 'AUTHORIZATION: token ***'],
    // URL user-info, including a token alone and a password holding '@'
    ['git clone https://TOKEN123@github.com/o/r', 'git clone https://***@github.com/o/r'],
    ['https://user:pa@ss@example.com/x', 'https://***@example.com/x'],
    [
      'see https://u:p@h.example/a and https://h.example/b?x=a@b',
      'see https://***@h.example/a and https://h.example/b?x=a@b',
    ],
  ])('%j → %j', (value, expected) => {
    expect(redactSecrets(value)).toBe(expected)
  })

  test.each([
    ['Cache key: linux-node-abc123'],
    ['Resources: 3 added, 0 changed, 0 destroyed'],
    ['the token expired'],
    ['MONKEY=banana BYPASS=1 TOKEN_FILE=/run/t'],
    ['Basic authentication is off'],
    ['--token-file /run/secret'],
    ['mkdir --parents a'],
    ['git@github.com:acme/widgets.git'],
  ])('ordinary text %j is untouched', (value) => {
    expect(redactSecrets(value)).toBe(value)
  })

  test('a known secret is caught in its JSON, URL and base64 forms', () => {
    const secret = 'p@ss word/"x"'
    const basic = Buffer.from(`user:${secret}`).toString('base64')
    const text = `${JSON.stringify({ s: secret })} ${encodeURIComponent(secret)} ${basic}`
    const out = redactSecrets(text, [secret])
    expect(out).not.toContain(JSON.stringify(secret).slice(1, -1))
    expect(out).not.toContain(encodeURIComponent(secret))
    expect(out).not.toContain(basic.slice(8, 20))
  })

  test('a long hostile line is redacted in linear time', () => {
    // Each of these made a backtracking pattern quadratic or worse before; 200 kB must stay well under a second.
    const inputs = [
      'a.'.repeat(100_000),
      'x_'.repeat(100_000),
      `https://${'a'.repeat(200_000)}`,
      `${'--a-'.repeat(50_000)}`,
      `"${'\\"'.repeat(100_000)}`,
      `eyJ${'a'.repeat(5000)}.`.repeat(40),
      'password'.repeat(25_000),
    ]
    for (const input of inputs) {
      const t0 = process.hrtime.bigint()
      redactSecrets(input, ['known-secret'])
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      expect({ input: input.slice(0, 12), ms: ms < 1000 }).toEqual({ input: input.slice(0, 12), ms: true })
    }
  })
})

describe('cleanCell: controls out and newlines flattened before anything else', () => {
  test.each([
    ['\x1b[31mred\x1b[0m', 'red'],
    ['\x1b]8;;https://evil.example\x07click\x1b]8;;\x07', 'click'],
    ['\x1b]0;title\x1b\\lint', 'lint'],
    ['a\x00b\x07c\x7fd', 'abcd'],
    ['c1\x9b31mx\x85y', 'c1xy'],
    ['\x1bc reset', ' reset'],
    ['\n=cmd', "' =cmd"],
    ['\x1b[0m=HYPERLINK("x")', `'=HYPERLINK("x")`],
    ['\x00-2+3', "'-2+3"],
    ['\t=1+1', "' =1+1"],
    ['ghp_\x00' + GHP.slice(4), REDACTED],
    ['a\u2028b\tc', 'a b c'],
  ])('%j → %j', (value, expected) => {
    expect(cleanCell(value)).toBe(expected)
  })

  test('never cuts a character in half when it bounds the length', () => {
    const out = cleanCell('😀'.repeat(600))
    expect(out.endsWith('😀…')).toBe(true)
    expect(Array.from(out)).toHaveLength(500)
  })
})

describe('secretsFromEnv', () => {
  test('takes credential-named values, leaves paths, flags and short values', () => {
    expect(
      secretsFromEnv({
        GITHUB_TOKEN: 'ghs_abcdef',
        DB_PASSWORD: 'hunter22',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
        DEPLOY_KEY: 'ssh-ed25519-x',
        NPM_TOKEN_FILE: '/run/secrets/npm',
        SSH_AUTH_SOCK: '/tmp/ssh-agent.sock',
        PWD: '/home/runner/work',
        USE_TOKEN: 'true',
        API_KEY: 'abc',
        PATH: '/usr/bin:/bin',
      }).sort(),
    ).toEqual(['ghs_abcdef', 'hunter22', 'ssh-ed25519-x', 'wJalrXUtnFEMI'].sort())
  })
})
