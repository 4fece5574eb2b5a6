// Issue 14, item 2: text a server chose carries terminal escapes, NUL, C1 controls and lone surrogates.
// Each case asserts the verdict as usual; chaosRun itself checks that the JUnit file parses as XML 1.0 and
// that stdout and stderr hold no raw control character. Here: the evidence shows what came, escaped.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import { assertCleanFailure, type ChaosResult, chaosStage, evidenceOf } from './chaos-run.ts';
import { hostileHttp, hostileWs } from './hostile-servers.ts';

/**
 * Clear screen, NUL, a C1 CSI, an OSC title change ended by BEL, CR, DEL, a lone surrogate, U+FFFF, and the
 * invisible characters that reorder text (a right-to-left override, an isolate, a zero-width space, a BOM).
 */
const HOSTILE =
  '\u001b[2Jcleared\u0000nul \u009b31mred \u001b]0;owned\u0007 \rback \u007f \ud800lone \uffff end' +
  ' \u202edesrever\u2066iso\u2069 zero\u200bwidth\ufeff';

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

const PLAIN = { 'content-type': 'text/plain' };
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]/;

/** No raw control character or lone surrogate in any string of the report; the ESC is shown escaped. */
function assertEscaped(out: ChaosResult): void {
  JSON.stringify(out.report, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    assert.doesNotMatch(value, RAW, `a raw control character in ${JSON.stringify(value)}`);
    assert.ok(value.isWellFormed(), `a lone surrogate in ${JSON.stringify(value)}`);
    return value;
  });
  assert.match(evidenceOf(out), /\\u001b\[2Jcleared/, `the escape is visible: ${evidenceOf(out)}`);
  assert.match(out.junit, /\\u001b\[2Jcleared/);
}

describe('chaos: control characters in server text', () => {
  const stage = chaosStage();

  it('an error_message frame full of escapes → AGENT_FAILED, every one escaped', async () => {
    const frame = JSON.stringify({ type: 'error_message', error_code: 'AGENT_ERROR', error_message: HOSTILE });
    const ws = await stage.serve(hostileWs({ onStartAgent: (s) => s.send(frame) }));
    const out = await stage.run({ PROBE_WS_URL: ws.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_FAILED');
    assertEscaped(out);
  });

  it('a close reason with escapes → AGENT_RUN_ABORTED, the reason escaped', async () => {
    // A close reason is UTF-8 on the wire: a lone surrogate cannot travel in it, the rest can.
    const reason = '\u001b[2Jcleared\u0000\u009b31m bye';
    const ws = await stage.serve(hostileWs({ onStartAgent: (s) => s.close(1011, reason) }));
    const out = await stage.run({ PROBE_WS_URL: ws.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_RUN_ABORTED');
    assertEscaped(out);
  });

  it('a REST 500 whose detail holds escapes → BACKEND_ERROR, the detail escaped', async () => {
    const api = await stage.serve(
      hostileHttp((req, res) => {
        if (req.url === '/health') return void json(res, 200, { status: 'ok' });
        json(res, 500, { detail: HOSTILE });
      }),
    );
    const out = await stage.run({ PROBE_API_URL: api.url });
    assertCleanFailure(out, 'thread.create', 'BACKEND_ERROR');
    assertEscaped(out);
  });

  it('a login 401 whose detail holds escapes → LOGIN_REJECTED, the detail escaped', async () => {
    const auth = await stage.serve(hostileHttp((_req, res) => json(res, 401, { detail: HOSTILE })));
    const out = await stage.run({ PROBE_AUTH_URL: auth.url });
    assertCleanFailure(out, 'login', 'LOGIN_REJECTED');
    assertEscaped(out);
  });

  it('an upgrade refused with a plain-text body of escapes → WS_UPGRADE_REJECTED, the body escaped', async () => {
    const up = await stage.serve(hostileHttp((_req, res) => res.writeHead(403, PLAIN).end(HOSTILE)));
    const out = await stage.run({ PROBE_WS_URL: `${up.url.replace('http', 'ws')}/ws` });
    assertCleanFailure(out, 'ws.connect', 'WS_UPGRADE_REJECTED');
    assertEscaped(out);
  });
});
