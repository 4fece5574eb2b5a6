// Faults at the WebSocket connection: upgrade refused, auth refused after accept, demo bypass, and
// the backend's open auth circuit breaker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessToken, bearer, byType, connectWs, getJson, startAgent, validate, withDouble } from './support.ts';

test('ws_upgrade_403: HTTP 403 at the upgrade, REST still works', () =>
  withDouble('ws_upgrade_403', async (d) => {
    const token = await accessToken(d);
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    assert.equal(await c.upgrade, 403);
    const raw = await rawUpgrade(d.wsUrl.replace('ws://', 'http://'));
    assert.match(raw, /^HTTP\/1\.1 403 Forbidden\r\n/);
    assert.match(raw, /content-length: 0/i);
    assert.equal((await getJson(`${d.apiUrl}/api/chat/messages`, bearer(token))).status, 200);
    const ups = d.requests.filter((r) => r.upgrade);
    assert.deepEqual(
      ups.map((r) => r.status),
      [403, 403],
    );
  }));

async function rawUpgrade(httpUrl: string): Promise<string> {
  const { connect } = await import('node:net');
  const url = new URL(httpUrl);
  return new Promise((resolve, reject) => {
    const s = connect(Number(url.port), url.hostname, () => {
      s.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    let data = '';
    s.on('data', (c: Buffer) => (data += c.toString('latin1')));
    s.on('close', () => resolve(data));
    s.on('error', reject);
  });
}

test('ws_auth_failed: auth validates the token, the WS still sends AUTH_FAILED and closes 1008; REST accepts it', () =>
  withDouble('ws_auth_failed', async (d) => {
    const token = await accessToken(d);
    assert.equal((await validate(d, token)).json?.valid, true);
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    assert.equal(await c.upgrade, 101);
    const closed = await c.closed;
    assert.equal(closed.code, 1008);
    assert.equal(closed.reason, 'Authentication failed');
    assert.equal(c.frames.length, 1);
    assert.equal(c.frames[0]?.frame.type, 'error_message');
    assert.equal(c.frames[0]?.frame.error_code, 'AUTH_FAILED');
    assert.equal((await getJson(`${d.apiUrl}/api/chat/messages`, bearer(token))).status, 200);
  }));

test('demo_bypass: no token check, connection_established names demo-use..., and a run works', () =>
  withDouble('demo_bypass', async (d) => {
    const c = connectWs(d.wsUrl);
    const est = await c.next(byType('connection_established'));
    assert.equal((est.data as Record<string, unknown>).user_id, 'demo-use...');
    startAgent(c);
    const tool = await c.next(byType('tool_executing'));
    await c.next(byType('agent_completed'));
    // The bridge's tool dicts name the user the backend made up (the critical path names the thread).
    assert.equal(tool.user_id, 'demo-user-001');
    c.ws.close();
    assert.equal(d.requests.filter((r) => r.service === 'auth').length, 0);
  }));

test('auth_circuit_open: WS AUTH_FAILED "circuit breaker open" + 1011, REST 503, auth itself healthy', () =>
  withDouble('auth_circuit_open', async (d) => {
    const token = await accessToken(d);
    assert.equal((await validate(d, token)).json?.valid, true);
    const authCallsBefore = d.requests.filter((r) => r.service === 'auth').length;
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    const closed = await c.closed;
    assert.equal(closed.code, 1011);
    assert.equal(c.frames[0]?.frame.error_code, 'AUTH_FAILED');
    assert.equal(c.frames[0]?.frame.error_message, 'Authentication service unavailable (circuit breaker open)');
    const rest = await getJson(`${d.apiUrl}/api/chat/messages`, bearer(token));
    assert.equal(rest.status, 503);
    assert.deepEqual(rest.json, { detail: 'Authentication service temporarily unavailable' });
    assert.equal(
      d.requests.filter((r) => r.service === 'auth').length,
      authCallsBefore,
      'an open breaker makes no call',
    );
    assert.equal((await getJson(`${d.authUrl}/health`)).json.status, 'healthy');
  }));
