import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cutText, secretForms, ServerText, stripControlSequences } from '../source/mcp-client/server-text.js';
import { redactTarget, secretsOf, serverTextOf } from '../source/mcp-client/target.js';

const secret = 'tok"en\\with/odd+chars&=42';

test('a secret is redacted raw, JSON-escaped (once and twice) and URL-encoded (either hex case)', () => {
  const text = new ServerText([secret]);
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    JSON.stringify(JSON.stringify(secret).slice(1, -1)).slice(1, -1),
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (code) => code.toLowerCase()),
  ];
  for (const form of forms) assert.equal(text.redact(`<${form}>`), '<[redacted]>', form);
  assert.ok(secretForms('ab').length === 0, 'too short to search for');
});

test('redaction comes before the cut: a secret straddling the limit leaves nothing behind', () => {
  const token = 'A'.repeat(20) + 'sEcReT-tail-0123456789-abcdefghijklmnopqrstuv';
  const text = `${'p'.repeat(280)}${token} and more`;
  const clean = new ServerText([token]).clean(text, 300);
  assert.ok(clean.length <= 300);
  assert.match(clean, /^p{280}\[redacted\]/);
  assert.doesNotMatch(clean, /AAAA|sEcReT/);
});

test('a secret split by escape codes is redacted once they are stripped', () => {
  const clean = new ServerText(['hunter2-token']).clean('x hunter2\x1b[0m-token y');
  assert.equal(clean, 'x [redacted] y');
});

test('control sequences: CSI, OSC (title, hyperlink), DCS, single ESC, C1, bare C0 and bidi overrides go', () => {
  const cases: [string, string][] = [
    ['a\x1b]0;title\x07b', 'ab'],
    ['a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b', 'alinkb'],
    ['a\x1b[2J\x1b[Hb', 'ab'],
    ['a\x1bPqdata\x1b\\b', 'ab'],
    ['a\x1bcb', 'ab'],
    ['a\x9b31mb', 'ab'],
    ['a\x9d0;t\x07b', 'a0;tb'],
    ['a\rb\x08c\x00d\x7f', 'abcd'],
    ['one\ntwo\tthree', 'one two three'],
    ['a\u202eb\u2066c', 'abc'],
    ['plain ü 漢字 ✓', 'plain ü 漢字 ✓'],
  ];
  for (const [input, expected] of cases)
    assert.equal(stripControlSequences(input), expected, JSON.stringify(input));
});

test('cutting marks the cut and never splits a surrogate pair', () => {
  assert.equal(cutText('abcdef', 4), 'abc…');
  assert.equal(cutText('ab😀cd', 4), 'ab…');
  assert.equal(cutText('abc', 4), 'abc');
});

test("a target's secrets: header values, the token after the scheme, the URL's password in both forms", () => {
  const target = {
    transport: 'streamable-http' as const,
    url: 'http://me:p%40ss-word@127.0.0.1:1/mcp',
    headers: { Authorization: 'Bearer abc.def.ghi', 'X-Key': 'k3y-value' },
  };
  const secrets = secretsOf(target);
  for (const expected of ['Bearer abc.def.ghi', 'abc.def.ghi', 'k3y-value', 'p%40ss-word', 'p@ss-word'])
    assert.ok(secrets.includes(expected), expected);
  const shown = redactTarget(target);
  assert.equal('url' in shown ? shown.url : '', 'http://me:%5Bredacted%5D@127.0.0.1:1/mcp');
  assert.equal(serverTextOf(target).clean('got p@ss-word and abc.def.ghi'), 'got [redacted] and [redacted]');
});
