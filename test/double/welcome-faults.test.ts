// The welcomes recorded on staging and the main loop's crash (netra-protocol.md §3 and the §4a checklist), as the
// first frame of an authenticated socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Json } from './support.ts';
import { accessToken, bearer, byType, connectWs, startAgent, withDouble } from './support.ts';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

test('welcome_connect: {"type":"connect","data":{…}} as recorded on 2025-09-13, then a normal run', () =>
  withDouble('welcome_connect', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
    const first = await c.next(() => true);
    assert.deepEqual(Object.keys(first), ['type', 'data']);
    assert.equal(first.type, 'connect');
    const data = first.data as Json;
    assert.deepEqual(Object.keys(data), ['mode', 'user_id', 'connection_id', 'golden_path_events', 'features']);
    assert.equal(data.mode, 'main');
    assert.equal(data.user_id, 'e2e-e2e-...');
    assert.match(String(data.connection_id), /^main_[0-9a-f]{8}$/);
    assert.deepEqual(data.golden_path_events, FIVE);
    startAgent(c);
    await c.next(byType('agent_completed'));
    c.ws.close();
  }));

test('welcome_system_message: system_message / connection_established with the whole user id, then a normal run', () =>
  withDouble('welcome_system_message', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
    const first = await c.next(() => true);
    assert.deepEqual(Object.keys(first).sort(), ['correlation_id', 'data', 'server_id', 'timestamp', 'type']);
    assert.equal(first.type, 'system_message');
    const data = first.data as Json;
    assert.equal(data.event, 'connection_established');
    assert.equal(data.user_id, 'e2e-e2e-test');
    assert.equal(data.connection_ready, true);
    assert.equal(data.factory_pattern_enabled, true);
    assert.match(String(data.connection_id), /^ws_e2e-e2e-_\d{10}_[0-9a-f]{8}$/);
    startAgent(c);
    await c.next(byType('agent_completed'));
    c.ws.close();
  }));

test('ws_backend_crash: after a valid token, the CONNECTION_ERROR/TypeError frame under data, then close 1011', () =>
  withDouble('ws_backend_crash', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
    assert.equal(await c.upgrade, 101);
    const closed = await c.closed;
    assert.deepEqual(closed, { code: 1011, reason: 'main mode error' });
    assert.equal(c.frames.length, 1);
    const frame = c.frames[0]?.frame ?? {};
    assert.deepEqual(Object.keys(frame), ['type', 'data']);
    assert.equal(frame.type, 'error_message');
    const data = frame.data as Json;
    assert.match(String(data.timestamp), /^\d{4}-\d\d-\d\dT[\d:.]+\+00:00$/);
    assert.deepEqual(
      { ...data, timestamp: 'T' },
      {
        error_code: 'CONNECTION_ERROR',
        error_message: 'Connection error in main mode',
        details: { error_type: 'TypeError', mode: 'main' },
        timestamp: 'T',
      },
    );
    // The token was fine: the auth service said valid.
    assert.equal(
      d.requests.filter((r) => r.service === 'auth' && r.path === '/auth/validate' && r.status === 200).length,
      1,
    );
  }));

test('ws_backend_crash: a rejected token is still AUTH_FAILED + 1008 (the crash comes after authentication)', () =>
  withDouble('ws_backend_crash', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer('not-a-jwt-at-all') });
    assert.equal((await c.closed).code, 1008);
    assert.equal(c.frames[0]?.frame.error_code, 'AUTH_FAILED');
  }));
