// Issue 21, item 2: one table of the forms a server may echo a secret in (src/config/wire-forms.ts), a test
// per form, and proof that each row matters: the scrubber without that one row lets its echo through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretScope } from '../../src/config/secret.ts';
import { base64Core, WIRE_FORMS } from '../../src/config/wire-forms.ts';

/** Every kind of character a form treats differently: space, HTML and JSON specials, `/`, non-ASCII, astral. */
const PASSWORD = `Pa55 w0rd&'"<>/\\é😀-key`;
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1zZWNyZXQ';

function scopeWith(rows: typeof WIRE_FORMS, ...values: string[]): SecretScope {
  const scope = new SecretScope(undefined, rows);
  for (const v of values) scope.remember(v);
  return scope;
}

/** What a hostile server sends: the echo with text around it. */
const inContext = (echo: string) => `error: you sent ${echo} and that is wrong`;

describe('the table of wire forms', () => {
  for (const row of WIRE_FORMS) {
    // A value of letters and digits has no per-character pattern, which also matches a raw value.
    const value = row.name.includes('JWT') ? TOKEN : row.name === 'raw' ? 'PlainLettersAndDigits123' : PASSWORD;
    it(`${row.name}: its echo is scrubbed, and shows when this row is taken out of the scrubber`, () => {
      const echo = row.echo(value);
      const all = scopeWith(WIRE_FORMS, value);
      assert.ok(all.holds(inContext(echo)), 'the full scrubber sees it');
      const scrubbed = all.scrub(inContext(echo));
      assert.ok(scrubbed.includes('[REDACTED]'), 'it is replaced');
      assert.ok(!all.holds(scrubbed), 'nothing of it is left that the scrubber knows');
      assert.ok(scrubbed.startsWith('error: you sent ') || row.kind !== 'char', scrubbed);

      const without = scopeWith(
        WIRE_FORMS.filter((r) => r !== row),
        value,
      );
      assert.equal(without.holds(inContext(echo)), false, `without "${row.name}" its echo is not seen`);
    });
  }

  it('percent encoding in either case, form encoding and a mix of encodings in one value', () => {
    const scope = scopeWith(WIRE_FORMS, PASSWORD);
    const forms = [
      encodeURIComponent(PASSWORD),
      new URLSearchParams({ p: PASSWORD }).toString().slice(2),
      encodeURIComponent(PASSWORD).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      // Python's html.escape, then JSON with ensure_ascii: &amp; &#x27; &quot; and \u00e9.
      JSON.stringify(PASSWORD.replace('&', '&amp;').replace("'", '&#x27;').replace('"', '&quot;'))
        .slice(1, -1)
        .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      PASSWORD.replace('&', '&#038;').replace('/', '&#X2F;').replace("'", '&#39;'),
      JSON.stringify(PASSWORD).slice(1, -1).replace('/', '\\/').replace('é', '\\u00E9'),
    ];
    for (const form of forms) assert.equal(scope.scrub(`<${form}>`), '<[REDACTED]>', form.slice(0, 8));
  });

  it('JSON inside a JSON string (a frame quoting a request body): escapes with doubled backslashes', () => {
    const scope = scopeWith(WIRE_FORMS, PASSWORD);
    const once = JSON.stringify({ password: PASSWORD });
    const ascii = (s: string) =>
      s.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    for (const nested of [
      JSON.stringify({ error: once }),
      JSON.stringify({ error: JSON.stringify({ e: once }) }),
      JSON.stringify({ error: ascii(once) }),
    ])
      assert.ok(!scope.holds(scope.scrub(nested)) && scope.scrub(nested).includes('[REDACTED]'), nested.slice(0, 30));
  });

  it('base64 and base64url cores at offsets 0, 1 and 2, of the raw value and of its JSON and form forms', () => {
    const scope = scopeWith(WIRE_FORMS, PASSWORD);
    for (const text of [PASSWORD, JSON.stringify({ password: PASSWORD }), `password=${encodeURIComponent(PASSWORD)}`])
      for (const prefix of ['', 'a', 'ab', 'abc'])
        for (const alphabet of ['base64', 'base64url'] as const) {
          const b = Buffer.from(`${prefix}${text}!`).toString(alphabet);
          assert.ok(scope.holds(b), `${alphabet} after ${prefix.length} bytes`);
          // What is left shows at most the characters that also depend on the text around the value.
          assert.ok(!scope.holds(scope.scrub(b)));
        }
    assert.equal(base64Core(Buffer.from('abc'), 0, false), 'YWJj');
    // 'abc' one byte in: base64 of "?abc" is "?GFiYw==" whatever "?" is; its core "FiY" depends on "abc" alone.
    assert.equal(base64Core(Buffer.from('abc'), 1, false), 'FiY');
    assert.ok(Buffer.from('\xffabc', 'latin1').toString('base64').includes('FiY'));
  });

  it('wrapped base64 (MIME CRLF, PEM LF, JSON \\n) is joined, and only a block holding a secret is replaced', () => {
    const scope = scopeWith(WIRE_FORMS, PASSWORD);
    const b = Buffer.from(`${'x'.repeat(40)}${PASSWORD}${'y'.repeat(40)}`).toString('base64');
    for (const [name, sep] of [
      ['CRLF', '\r\n'],
      ['LF', '\n'],
      ['JSON', '\\n'],
    ] as const) {
      for (const width of [64, 76, 10]) {
        const wrapped = (b.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(sep);
        assert.ok(scope.holds(`body: ${wrapped} end`), `${name} at ${width}`);
        assert.ok(!scope.holds(scope.scrub(`body: ${wrapped} end`)), `${name} at ${width}`);
      }
    }
    const harmless = 'line one is here\nline two is here';
    assert.equal(scope.scrub(harmless), harmless);
  });

  it('past 512 forms (a run of hundreds of users) the windowed scan finds the same forms', () => {
    const tokens = Array.from({ length: 200 }, (_, i) => `${TOKEN.slice(0, -8)}${String(i).padStart(8, '0')}`);
    const scope = scopeWith(WIRE_FORMS, ...tokens);
    const t = tokens[150]!;
    for (const form of [
      t,
      t.split('.')[2]!,
      Buffer.from(t).toString('base64url'),
      Buffer.from(`ab${t}`).toString('hex'),
    ])
      assert.equal(scope.scrub(`<${form}>`).includes(form), false, form.slice(0, 10));
    assert.equal(scope.scrub(`a ${encodeURIComponent(t).replaceAll('.', '%2E')} b`), 'a [REDACTED] b');
  });

  it('the longest form bounds what a cut must drop (a value written with the longest escapes)', () => {
    const scope = scopeWith(WIRE_FORMS, PASSWORD);
    const longestEcho = Math.max(...WIRE_FORMS.map((r) => r.echo(PASSWORD).length));
    assert.ok(
      scope.longestForm >= longestEcho - 60,
      `${scope.longestForm} ≥ the echoes' ${longestEcho} minus their context`,
    );
  });
});
