import { cleanCell, neutraliseFormula, redactSecrets, REDACTED } from '../../src/core/sanitize.js'

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
    [' =x', ' =x'],
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
