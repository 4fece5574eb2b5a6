// close(): idempotent, prompt with open WebSockets and running agent timers, and leaves nothing that
// keeps a process alive. Also the fault list and its guard.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FAULTS, isFaultName, startDouble } from '../../src/double/index.ts';
import { accessToken, bearer, byType, CREDS, connectWs, startAgent } from './support.ts';

test("FAULTS lists docs/double.md's table in order, extras last; isFaultName guards it", () => {
  const documented = [
    'healthy',
    'bad_bypass_key',
    'auth_down',
    'token_expired',
    'service_secret_mismatch',
    'ws_upgrade_403',
    'ws_auth_failed',
    'demo_bypass',
    'agent_stall',
    'agent_error',
    'ws_abort',
    'slow_agent',
    'fallback_envelope',
    'rest_403',
    'rest_500',
  ];
  assert.deepEqual(FAULTS.slice(0, documented.length), documented);
  for (const extra of [
    'jwt_secret_drift',
    'service_id_invalid',
    'service_not_configured',
    'auth_circuit_open',
    'events_out_of_order',
    'message_not_persisted',
    'flaky_first_login',
    'cross_user_leak',
    'nested_events',
    'events_dropped_by_routing',
    'thread_user_id',
    'other_client_run',
    'other_client_completes_first',
    'other_client_same_thread',
    'welcome_connect',
    'welcome_system_message',
    'ws_backend_crash',
    'threads_db_403',
    'no_affinity_cookie',
    'no_tool_events',
  ]) {
    assert.ok(FAULTS.includes(extra as never), extra);
  }
  assert.equal(new Set(FAULTS).size, FAULTS.length);
  assert.equal(isFaultName('rest_500'), true);
  assert.equal(isFaultName('nope'), false);
});

test('startDouble refuses an unknown fault and a taken port', async () => {
  await assert.rejects(
    startDouble({ fault: 'nope' as never, credentials: { ...CREDS } }),
    /Unknown fault "nope"; use one of: healthy, /,
  );
  const a = await startDouble({ credentials: { ...CREDS } });
  try {
    const port = Number(new URL(a.apiUrl).port);
    await assert.rejects(startDouble({ apiPort: port, credentials: { ...CREDS } }), { code: 'EADDRINUSE' });
  } finally {
    await a.close();
  }
});

test('close() is idempotent, terminates open sockets promptly, and the ports stop answering', async () => {
  const d = await startDouble({ fault: 'agent_stall', credentials: { ...CREDS } });
  const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
  await c.next(byType('connection_established'));
  startAgent(c);
  await c.next(byType('tool_executing'));
  const t0 = performance.now();
  const first = d.close();
  assert.equal(d.close(), first, 'the same promise');
  await first;
  const closed = await c.closed;
  assert.ok(performance.now() - t0 < 1000, 'prompt');
  assert.equal(closed.code, 1006, 'terminated, not a clean close');
  await assert.rejects(fetch(`${d.apiUrl}/health`));
  await assert.rejects(fetch(`${d.authUrl}/health`));
  await d.close();
});

test('a process that used the double exits on its own after close()', async () => {
  const entry = fileURLToPath(new URL('../../src/double/index.ts', import.meta.url));
  const script = `
    import { startDouble } from ${JSON.stringify(entry)};
    import { WebSocket } from 'ws';
    const creds = ${JSON.stringify(CREDS)};
    const d = await startDouble({ fault: 'agent_stall', credentials: creds });
    const login = await fetch(d.authUrl + '/auth/e2e/test-auth', { method: 'POST', headers: { 'X-E2E-Bypass-Key': creds.bypassKey }, body: '{}' });
    const { access_token } = await login.json();
    const ws = new WebSocket(d.wsUrl, { headers: { authorization: 'Bearer ' + access_token } });
    ws.on('error', () => {});
    await new Promise((resolve) => ws.on('message', (m) => {
      const f = JSON.parse(String(m));
      if (f.type === 'connection_established') ws.send(JSON.stringify({ type: 'start_agent', payload: { user_request: 'x' } }));
      if (f.type === 'tool_executing') resolve();
    }));
    await d.close();
    process.stdout.write('closed\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 8000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(killer);
  assert.equal(signal, null, `the child had to be killed: it did not exit by itself. stderr: ${err}`);
  assert.equal(code, 0, err);
  assert.equal(out, 'closed\n');
});
