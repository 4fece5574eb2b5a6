// Issue 14, item 2, in process: the one rule for control characters, at the entry (serverText) and at the
// sinks that must stay well-formed whatever a report holds (JUnit, HTML, the terminal summary, log lines).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serverText } from '../../src/net/server-text.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderHumanSummary } from '../../src/report/human-summary.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { cutAt, escapeControlChars } from '../../src/text/control-chars.ts';
import { logSink } from '../support/log-sink.ts';
import { assertWellFormedXml } from '../support/well-formed-xml.ts';
import { sampleReport } from '../telemetry/fixtures/sample-report.ts';

const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffe\uffff]/;
/** Every C0 and C1 control, DEL, both non-characters, and lone surrogates of both halves. */
const CONTROL_RANGE = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
const EVERYTHING = `${CONTROL_RANGE}\ufffe\uffff\ud800x\udc00 😀 end`;

describe('escapeControlChars', () => {
  it('escapes C0 but tab and newline, DEL, C1, U+FFFE/U+FFFF and lone surrogates; keeps text and pairs', () => {
    const escaped = '\\u001b[2J\tok\nline\\u000d\\u0000\\u009b\\u007f';
    assert.equal(escapeControlChars('\u001b[2J\tok\nline\r\u0000\u009b\u007f'), escaped);
    assert.equal(escapeControlChars('a\ud800b\udc00c 😀 ü'), 'a\\ud800b\\udc00c 😀 ü');
    const out = escapeControlChars(EVERYTHING);
    assert.doesNotMatch(out.replace(/[\t\n]/g, ''), RAW);
    assert.ok(out.isWellFormed());
  });

  it('cutAt never leaves half a surrogate pair', () => {
    assert.equal(cutAt('ab😀', 3), 'ab');
    assert.equal(cutAt('ab😀', 4), 'ab😀');
    assert.ok(serverText(`${'x'.repeat(199)}😀tail`, 200).isWellFormed());
  });

  // Issue 21, item 6: "Trojan Source" characters reorder or hide evidence in a terminal, HTML or a CI viewer.
  it('escapes bidi embeddings, overrides, isolates and marks, zero-width characters, U+2028/2029 and U+FEFF', () => {
    const invisible = [
      ...'\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u200e\u200f',
      ...'\u2028\u2029\ufeff\u061c\u2060\u180e',
    ];
    const out = escapeControlChars(`valid${invisible.join('x')}end é ü 😀 — … ·`);
    assert.equal(out.match(/\\u[0-9a-f]{4}/g)?.length, invisible.length, out);
    assert.doesNotMatch(out, /[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/);
    assert.ok(out.endsWith('end é ü 😀 — … ·'), 'ordinary non-ASCII text stays');
    assert.equal(serverText('admin\u202e lla\u2066ow', 200), 'admin\\u202e lla\\u2066ow');
    const report = sampleReport({
      verdict: { code: 'LOGIN_REJECTED', hop: 'login', summary: 's', evidence: ['a\u202eb'] },
    });
    for (const text of [renderHtml(report), renderJunit(report), renderHumanSummary(report)])
      assert.doesNotMatch(text, /\u202e/);
  });

  it('serverText: one line squeezes CR/LF/tab to spaces, then escapes the rest', () => {
    assert.equal(serverText('a\r\n\tb\u001b[31mc\u0000', 200, { oneLine: true }), 'a b\\u001b[31mc\\u0000');
  });
});

describe('sinks stay well-formed whatever a report holds', () => {
  const report = sampleReport({
    result: 'fail',
    failedHop: 'login',
    verdict: { code: 'LOGIN_REJECTED', hop: 'login', summary: `summary ${EVERYTHING}`, evidence: [EVERYTHING] },
    hops: [
      { name: 'login', status: 'fail', durationMs: 3, startMs: 0, code: 'LOGIN_REJECTED', evidence: [EVERYTHING] },
    ],
  });

  it('JUnit parses as XML 1.0 (saxes) and HTML holds no raw control character', () => {
    assertWellFormedXml(renderJunit(report));
    assert.doesNotMatch(renderHtml(report).replace(/[\t\n]/g, ''), RAW);
  });

  it('the terminal summary holds no raw control character', () => {
    const summary = renderHumanSummary(report);
    assert.doesNotMatch(summary.replace(/[\t\n]/g, ''), RAW);
    assert.ok(summary.isWellFormed());
  });

  it('a log line keeps its value but carries no raw C1, DEL or U+FFFF (JSON.stringify leaves those raw)', () => {
    const out = logSink();
    const log = createLogger({ level: 'info', destination: out.stream as never });
    log.info({ quoted: 'a\u009b31m\u007f\uffffb' }, 'line');
    assert.doesNotMatch(out.raw().replace(/\n$/, ''), RAW);
    assert.equal(out.lines[0]!.quoted, 'a\u009b31m\u007f\uffffb');
  });
});
