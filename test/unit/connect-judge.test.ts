// The ws.connect rules without a socket, code by code: the recorded welcome shapes, error frames flat or
// under `data`, and what a close code adds (netra-protocol.md §3 and its checklist; websocket_ssot.py and
// unified_websocket_auth.py at aebb16f77).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JudgeInput } from '../../src/agent/agent-run-judge.ts';
import { readConnectFrame } from '../../src/agent/connect-frames.ts';
import { judgeConnect } from '../../src/agent/connect-judge.ts';

const ME = { subject: 'e2e-staging-2d677771' };
const frame = (json: unknown): JudgeInput => ({ kind: 'frame', json, form: 'json' });
const close = (code: number, reason = ''): JudgeInput => ({ kind: 'closed', code, reason });
/** The backend's own crash as recorded (WS:1815): error_message under data, then close 1011. */
const RECORDED_CRASH = {
  type: 'error_message',
  data: {
    error_code: 'CONNECTION_ERROR',
    error_message: 'Connection error in main mode',
    details: { error_type: 'TypeError', mode: 'main' },
  },
};

describe('readConnectFrame: the three recorded welcome shapes', () => {
  it('connection_established with data (WS:974-990)', () => {
    const welcome = {
      type: 'connection_established',
      data: { mode: 'main', user_id: 'e2e-stag...', connection_id: 'main_1a2b3c4d', golden_path_events: [] },
      timestamp: 1726650000.12,
      server_id: null,
      correlation_id: null,
    };
    assert.deepEqual(readConnectFrame(welcome), {
      kind: 'welcome',
      shape: 'connection_established',
      userId: 'e2e-stag...',
      connectionId: 'main_1a2b3c4d',
      mode: 'main',
    });
  });

  it('system_message with data.event = connection_established (2025-09-08/10)', () => {
    const welcome = { type: 'system_message', data: { event: 'connection_established', connection_ready: true } };
    assert.deepEqual(readConnectFrame(welcome), { kind: 'welcome', shape: 'system_message' });
    assert.equal(readConnectFrame({ type: 'system_message', data: { event: 'heartbeat' } }).kind, 'other');
  });

  it('connect with data.mode, a cut user_id and connection_id (staging 2025-09-13/14)', () => {
    const welcome = { type: 'connect', data: { mode: 'main', user_id: 'e2e-stag...', connection_id: 'main_9f8e7d6c' } };
    assert.deepEqual(readConnectFrame(welcome), {
      kind: 'welcome',
      shape: 'connect',
      userId: 'e2e-stag...',
      connectionId: 'main_9f8e7d6c',
      mode: 'main',
    });
  });
});

describe('readConnectFrame: error frames, flat or under data', () => {
  it('flat create_error_message AUTH_FAILED (WS:842): auth', () => {
    const flat = { type: 'error_message', error_code: 'AUTH_FAILED', error_message: 'Token invalid', details: {} };
    assert.deepEqual(readConnectFrame(flat), {
      kind: 'error',
      errorClass: 'auth',
      code: 'AUTH_FAILED',
      message: 'Token invalid',
      nested: false,
    });
  });

  it('under data: the recorded crash CONNECTION_ERROR with details.error_type (WS:1815): backend', () => {
    assert.deepEqual(readConnectFrame(RECORDED_CRASH), {
      kind: 'error',
      errorClass: 'backend',
      code: 'CONNECTION_ERROR',
      message: 'Connection error in main mode',
      errorType: 'TypeError',
      nested: true,
    });
  });

  it('each code to its class', () => {
    const classOf = (code: string) =>
      (readConnectFrame({ type: 'error_message', data: { error_code: code } }) as { errorClass: string }).errorClass;
    for (const code of ['AUTH_FAILED', 'AUTH_REQUIRED', 'VALIDATION_FAILED', 'NO_TOKEN', 'TOKEN_EXPIRED']) {
      assert.equal(classOf(code), 'auth', code);
    }
    for (const code of ['CONNECTION_ERROR', 'SERVICE_INIT_FAILED']) assert.equal(classOf(code), 'backend', code);
    for (const code of ['AUTH_SERVICE_ERROR', 'AUTH_CIRCUIT_BREAKER_OPEN']) assert.equal(classOf(code), 'unavailable');
    assert.equal(classOf('JSON_PARSE_ERROR'), 'other');
  });

  it("the SSOT authenticator's authentication_error frame (unified_websocket_auth.py:727-735)", () => {
    const authError = {
      type: 'authentication_error',
      event: 'auth_failed',
      error: 'expired',
      error_code: 'TOKEN_EXPIRED',
    };
    assert.deepEqual(readConnectFrame(authError), {
      kind: 'error',
      errorClass: 'auth',
      code: 'TOKEN_EXPIRED',
      message: 'expired',
      nested: false,
    });
  });
});

describe('judgeConnect', () => {
  it('every welcome shape opens the socket', () => {
    for (const welcome of [
      { type: 'connection_established', data: { user_id: 'e2e-stag...' } },
      { type: 'system_message', data: { event: 'connection_established' } },
      { type: 'connect', data: { mode: 'main', user_id: 'e2e-stag...', connection_id: 'main_9f8e7d6c' } },
    ]) {
      assert.equal(judgeConnect([frame({ type: 'heartbeat' }), frame(welcome)], ME)?.status, 'pass', welcome.type);
    }
  });

  it('a welcome naming an invented user is AUTH_BYPASSED, in any shape', () => {
    const demo = judgeConnect([frame({ type: 'connection_established', data: { user_id: 'demo-use...' } })], ME);
    assert.equal(demo?.code, 'AUTH_BYPASSED');
    const relaxed = judgeConnect(
      [frame({ type: 'connect', data: { user_id: 'relaxed_...', connection_id: 'c' } })],
      ME,
    );
    assert.equal(relaxed?.code, 'AUTH_BYPASSED');
  });

  it('auth codes then a close: WS_AUTH_FAILED (triage may say more), whether the close is 1008 or 1011', () => {
    const auth = (code: string, closeCode: number, nested: boolean) => {
      const fields = { error_code: code, error_message: 'Authentication failed' };
      const error = nested ? { type: 'error_message', data: fields } : { type: 'error_message', ...fields };
      return judgeConnect([frame(error), close(closeCode, 'Authentication failed')], ME);
    };
    for (const [code, closeCode] of [
      ['AUTH_FAILED', 1008],
      ['AUTH_REQUIRED', 1008],
      ['VALIDATION_FAILED', 1011],
    ] as const) {
      for (const nested of [false, true]) {
        const out = auth(code, closeCode, nested);
        assert.equal(out?.code, 'WS_AUTH_FAILED', `${code} ${closeCode} nested=${nested}`);
        assert.equal(out?.settled, undefined, 'triage may refine an auth refusal');
        assert.equal(out?.evidence[0], `error_message: ${code}: Authentication failed`);
      }
    }
  });

  it('the recorded crash (CONNECTION_ERROR, TypeError, then 1011): BACKEND_ERROR naming what the backend said', () => {
    const out = judgeConnect([frame(RECORDED_CRASH), close(1011, 'main mode error')], ME);
    assert.equal(out?.code, 'BACKEND_ERROR');
    assert.equal(out?.settled, true, 'triage must not turn a crash into a rejected token');
    assert.equal(out?.evidence[0], 'error_message: CONNECTION_ERROR (TypeError): Connection error in main mode');
    assert.match(out!.evidence.join('\n'), /socket closed 1011 "main mode error" before connection_established/);
  });

  it('SERVICE_INIT_FAILED then 1011: BACKEND_ERROR; the auth service unavailable: BACKEND_AUTH_UNAVAILABLE', () => {
    const init = {
      type: 'error_message',
      error_code: 'SERVICE_INIT_FAILED',
      error_message: 'Service initialization failed',
    };
    assert.equal(judgeConnect([frame(init), close(1011)], ME)?.code, 'BACKEND_ERROR');
    const breaker = { type: 'authentication_error', error_code: 'AUTH_CIRCUIT_BREAKER_OPEN', error: 'open' };
    assert.equal(judgeConnect([frame(breaker), close(1011, 'Auth error')], ME)?.code, 'BACKEND_AUTH_UNAVAILABLE');
  });

  it('a close with no error frame: 1008 is a policy refusal (auth), anything else the backend', () => {
    assert.equal(judgeConnect([close(1008, 'Authentication failed')], ME)?.code, 'WS_AUTH_FAILED');
    assert.equal(judgeConnect([close(1011, 'Failed to establish connection')], ME)?.code, 'BACKEND_ERROR');
    assert.equal(judgeConnect([close(1000, 'main cleanup')], ME)?.code, 'BACKEND_ERROR');
    const broken = judgeConnect([{ kind: 'closed', code: 1006, reason: '', error: 'WS_ERR_INVALID_OPCODE' }], ME);
    assert.equal(broken?.code, 'BACKEND_ERROR');
  });

  it('no welcome before the deadline: WS_AUTH_FAILED settled when silent; a crash frame makes it BACKEND_ERROR', () => {
    const silent = judgeConnect([frame({ type: 'heartbeat' }), { kind: 'deadline' }], ME);
    assert.equal(silent?.code, 'WS_AUTH_FAILED');
    assert.equal(silent?.settled, true);
    assert.match(silent!.evidence[0]!, /no connection_established before the deadline/);
    const crash = { type: 'error_message', error_code: 'CONNECTION_ERROR', details: { error_type: 'TypeError' } };
    assert.equal(judgeConnect([frame(crash), { kind: 'deadline' }], ME)?.code, 'BACKEND_ERROR');
  });

  it('a stream that ends undecided gives no outcome (a capture cut before the welcome)', () => {
    assert.equal(judgeConnect([frame({ type: 'heartbeat' })], ME), undefined);
  });
});
