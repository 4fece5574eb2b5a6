// The healthy backend: WebSocket connection and agent run, chat REST, and the recorder.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessToken, bearer, byType, CREDS, connectWs, getJson, postJson, startAgent, withDouble } from './support.ts';

const FIVE = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

test('WebSocket with a Bearer header: connection_established, then the five events in order', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    assert.equal(await c.upgrade, 101);
    const est = await c.next(byType('connection_established'));
    assert.equal(c.frames[0]?.frame.type, 'connection_established');
    const data = est.data as Record<string, unknown>;
    assert.equal(data.mode, 'main');
    assert.equal(data.user_id, 'e2e-e2e-...');
    assert.match(String(data.connection_id), /^main_/);
    assert.deepEqual(data.golden_path_events, FIVE);
    assert.equal(typeof est.timestamp, 'number');
    assert.equal(est.server_id, null);

    startAgent(c);
    await c.next(byType('agent_completed'));
    const events = c.frames.map((f) => f.frame).filter((f) => f.type !== 'connection_established');
    const types = events.map((f) => f.type);
    assert.deepEqual(types, [
      'thread_created',
      'agent_started',
      'agent_started',
      'agent_started',
      'agent_thinking',
      'heartbeat',
      'agent_thinking',
      'progress_update',
      'tool_executing',
      'tool_completed',
      'agent_completed',
    ]);
    // "thread-1" has no row: the backend makes a thread of its own and announces it.
    const announced = events[0]?.payload as Record<string, unknown>;
    const thread = String(announced.thread_id);
    assert.match(thread, /^thread_session_\d{1,5}_[0-9a-f]{8}$/);
    assert.equal(typeof announced.timestamp, 'number');
    // ThreadService's acknowledgement carries the server's run id, first of all.
    const ack = events[1]?.payload as Record<string, unknown>;
    assert.deepEqual(Object.keys(ack), ['run_id', 'agent_name', 'thread_id', 'timestamp']);
    assert.equal(ack.agent_name, 'netra-assistant');
    assert.equal(ack.thread_id, thread);
    const runId = String(ack.run_id);
    assert.ok(runId.startsWith(`run_${thread}_`), runId);
    const agentEvents = events.filter((f) => FIVE.includes(String(f.type)) && f.payload === undefined);
    const runIds = new Set(agentEvents.map((f) => f.run_id));
    assert.deepEqual([...runIds], [runId]);
    // The bridge's dicts: a data object, no thread_id; agent_started labelled with the thread (Mock context),
    // the tool frames with the real user.
    const bridge = agentEvents.filter((f) => !['agent_thinking', 'agent_completed'].includes(String(f.type)));
    assert.deepEqual(
      bridge.map(
        (f) => `${String(f.type)}:${String(f.agent_name)}:${f.user_id === thread ? 'thread' : String(f.user_id)}`,
      ),
      [
        'agent_started:MessageHandler:thread',
        'agent_started:supervisor:thread',
        'tool_executing:supervisor:e2e-e2e-test',
        'tool_completed:supervisor:e2e-e2e-test',
      ],
    );
    for (const f of bridge) {
      assert.equal(typeof f.timestamp, 'string');
      assert.equal(typeof f.data, 'object');
      assert.equal('thread_id' in f, false);
    }
    // The critical path's flat frames: critical, no data, labelled with the thread id as user_id.
    const critical = agentEvents.filter((f) => ['agent_thinking', 'agent_completed'].includes(String(f.type)));
    assert.equal(critical.length, 3);
    for (const f of critical) {
      assert.equal(f.critical, true);
      assert.equal('data' in f, false);
      assert.equal(f.thread_id, thread);
      assert.equal(f.user_id, thread);
      assert.equal(typeof f.timestamp, 'string');
    }
    assert.equal(typeof critical[0]?.reasoning, 'string');
    const done = critical.at(-1)!;
    assert.equal(done.status, 'completed');
    assert.deepEqual([typeof done.final_response, typeof done.result], ['object', 'object']);
    assert.equal(agentEvents.find((f) => f.type === 'tool_executing')?.tool_name, 'data_helper');
    const times = c.frames.map((f) => f.atMs);
    assert.ok(times.every((t, i) => i === 0 || t >= (times[i - 1] ?? 0)));
    assert.ok((times.at(-1) ?? 0) - (times[1] ?? 0) > 30, 'events are spread over time');

    // A second run on the announced thread (now a row of this user): kept, not announced again; a fresh run id
    // in the next recorded format.
    const before = c.frames.length;
    startAgent(c, thread);
    await c.next((f) => f.type === 'agent_completed' && !runIds.has(f.run_id));
    const second = c.frames.slice(before).map((f) => f.frame);
    assert.equal(second.filter((f) => f.type === 'thread_created').length, 0);
    const ack2 = second[0]?.payload as Record<string, unknown>;
    assert.equal(ack2.thread_id, thread);
    assert.match(String(ack2.run_id), /^thread_[0-9a-f]{16}_run_\d{13}_[0-9a-f]{8}$/);
    c.ws.close();
  }));

test('ping, invalid JSON and unknown types keep the connection open', () =>
  withDouble('healthy', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer(await accessToken(d)) });
    await c.next(byType('connection_established'));
    c.send({ type: 'ping' });
    const p = await c.next(byType('pong'));
    assert.equal((p.data as Record<string, unknown>).user_id, 'e2e-e2e-test');
    c.ws.send('{not json');
    const parseErr = await c.next((f) => f.error_code === 'JSON_PARSE_ERROR');
    assert.equal(parseErr.type, 'error_message');
    c.send({ type: 'no_such_type' });
    const unknown = await c.next((f) => f.error_code === 'UNKNOWN_MESSAGE_TYPE');
    assert.match(String(unknown.error_message), /no_such_type/);
    c.send({ type: 'ping' });
    await c.next((f) => f.type === 'pong' && c.frames.filter((x) => x.frame.type === 'pong').length === 2);
    assert.equal(c.ws.readyState, c.ws.OPEN);
    c.ws.close();
  }));

test('token via subprotocol jwt.<base64url> is echoed exactly; raw token and ?token= also work', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const proto = `jwt.${Buffer.from(token).toString('base64url')}`;
    const a = connectWs(d.wsUrl, { protocols: [proto] });
    assert.equal(await a.upgrade, 101);
    assert.equal(a.ws.protocol, proto);
    await a.next(byType('connection_established'));

    const b = connectWs(d.wsUrl, { protocols: ['jwt-auth', `jwt-auth.${token}`] });
    assert.equal(await b.upgrade, 101);
    assert.equal(b.ws.protocol, `jwt-auth.${token}`);
    await b.next(byType('connection_established'));

    const q = connectWs(`${d.wsUrl}?token=${encodeURIComponent(token)}`);
    assert.equal(await q.upgrade, 101);
    assert.equal(q.ws.protocol, '');
    await q.next(byType('connection_established'));

    const alt = connectWs(d.wsUrl.replace(/\/ws$/, '/api/v1/websocket'), { headers: bearer(token) });
    await alt.next(byType('connection_established'));
    for (const c of [a, b, q, alt]) c.ws.close();
    // The query string is not recorded (it carried the token).
    assert.ok(d.requests.every((r) => !r.path.includes('?')));
  }));

test('an unsupported subprotocol gets HTTP 403 at the upgrade; a plain supported name is echoed', () =>
  withDouble('healthy', async (d) => {
    const bad = connectWs(d.wsUrl, { protocols: ['graphql-ws'], headers: bearer(await accessToken(d)) });
    assert.equal(await bad.upgrade, 403);
    const named = connectWs(d.wsUrl, {
      protocols: ['graphql-ws', 'e2e-testing'],
      headers: bearer(await accessToken(d)),
    });
    assert.equal(await named.upgrade, 101);
    assert.equal(named.ws.protocol, 'e2e-testing');
    await named.next(byType('connection_established'));
    named.ws.close();
    const up = d.requests.filter((r) => r.upgrade).map((r) => r.status);
    assert.deepEqual(up, [403, 101]);
  }));

test('no token: AUTH_FAILED frame then close 1008', () =>
  withDouble('healthy', async (d) => {
    const c = connectWs(d.wsUrl);
    assert.equal(await c.upgrade, 101);
    const closed = await c.closed;
    assert.equal(closed.code, 1008);
    assert.equal(closed.reason, 'Authentication failed');
    const f = c.frames[0]?.frame ?? {};
    assert.equal(f.type, 'error_message');
    assert.equal(f.error_code, 'AUTH_FAILED');
    assert.match(String(f.error_message), /^Authentication failed: /);
    assert.deepEqual(f.details, {});
    assert.equal(f.recovery_suggestions, null);
    assert.equal(typeof f.timestamp, 'number');
  }));

test('a bad token: the backend asks auth, which says invalid_token; close 1008', () =>
  withDouble('healthy', async (d) => {
    const c = connectWs(d.wsUrl, { headers: bearer('eyJhbGciOiJIUzI1NiJ9.e30.bad-signature') });
    const closed = await c.closed;
    assert.equal(closed.code, 1008);
    assert.match(String(c.frames[0]?.frame.error_message), /invalid_token/);
    const validateCalls = d.requests.filter((r) => r.service === 'auth' && r.path === '/auth/validate');
    assert.equal(validateCalls.length, 1);
    assert.ok(validateCalls[0]?.headerNames.includes('x-service-id'));
    assert.ok(validateCalls[0]?.headerNames.includes('x-service-secret'));
  }));

test('the header bypass quirk: an X-Test-* header skips the token check', () =>
  withDouble('healthy', async (d) => {
    const c = connectWs(d.wsUrl, { headers: { 'X-Test-Mode': 'true' } });
    const est = await c.next(byType('connection_established'));
    assert.equal((est.data as Record<string, unknown>).user_id, 'staging-...');
    startAgent(c);
    const tool = await c.next(byType('tool_executing'));
    assert.equal(tool.user_id, 'staging-e2e-user-001');
    c.ws.close();
    assert.equal(d.requests.filter((r) => r.service === 'auth').length, 0, 'no call to auth');
    // A header NAME without test/e2e does not trigger it, whatever its value.
    const plain = connectWs(d.wsUrl, { headers: { 'X-Mode': 'e2e-true' } });
    assert.equal((await plain.closed).code, 1008);
  }));

test('chat REST: create, list, read back, pagination and the FastAPI error shapes', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const url = `${d.apiUrl}/api/chat/messages`;
    const created = await postJson(url, JSON.stringify({ content: 'hello', thread_id: 't-1' }), bearer(token));
    assert.equal(created.status, 200);
    assert.equal(created.json?.status, 'created');
    const msg = created.json?.message as Record<string, unknown>;
    assert.equal(msg.content, 'hello');
    assert.equal(msg.user_id, 'e2e-e2e-test');
    assert.equal(msg.thread_id, 't-1');
    assert.equal(msg.message_type, 'user');
    assert.equal(msg.metadata, null);
    assert.match(String(msg.timestamp), /Z$/);
    await postJson(url, JSON.stringify({ content: 'second', thread_id: 't-2', metadata: { a: 1 } }), bearer(token));

    const list = await getJson(url, bearer(token));
    assert.equal(list.status, 200);
    assert.deepEqual(Object.keys(list.json).sort(), ['has_more', 'messages', 'page', 'page_size', 'total_count']);
    assert.equal(list.json.total_count, 2);
    assert.equal(list.json.page_size, 50);
    const contents = (list.json.messages as Array<Record<string, unknown>>).map((m) => m.content);
    assert.deepEqual(contents, ['second', 'hello'], 'newest first');
    const page = await getJson(`${url}?limit=1&offset=1`, bearer(token));
    assert.equal(page.json.page, 2);
    assert.equal(page.json.has_more, false);
    const thread = await getJson(`${url}?thread_id=t-1`, bearer(token));
    assert.equal(thread.json.total_count, 1);

    const one = await getJson(`${url}/${String(msg.id)}`, bearer(token));
    assert.equal(one.status, 200);
    assert.equal(one.json.id, msg.id);
    const none = await getJson(`${url}/does-not-exist`, bearer(token));
    assert.equal(none.status, 404);
    assert.deepEqual(none.json, { detail: 'Message not found' });

    const badLimit = await getJson(`${url}?limit=0`, bearer(token));
    assert.equal(badLimit.status, 422);
    const issue = (badLimit.json.detail as Array<Record<string, unknown>>)[0] ?? {};
    assert.deepEqual(issue.loc, ['query', 'limit']);
    assert.equal(issue.type, 'greater_than_equal');
    const badBody = await postJson(url, JSON.stringify({ content: '' }), bearer(token));
    assert.equal(badBody.status, 422);
    const types = (badBody.json!.detail as Array<Record<string, unknown>>).map(
      (i) => `${String(i.type)}@${(i.loc as string[]).join('.')}`,
    );
    assert.deepEqual(types, ['string_too_short@body.content', 'missing@body.thread_id']);
  }));

test('chat REST auth failures: HTTPBearer 403s and the swallowed 401', () =>
  withDouble('healthy', async (d) => {
    const url = `${d.apiUrl}/api/chat/messages`;
    assert.deepEqual((await getJson(url)).json, { detail: 'Not authenticated' });
    const basic = await getJson(url, { authorization: 'Basic abc' });
    assert.equal(basic.status, 403);
    assert.deepEqual(basic.json, { detail: 'Invalid authentication credentials' });
    assert.equal((await getJson(url, { authorization: 'Bearer' })).status, 403);
    const bad = await getJson(url, bearer('not-a-jwt-at-all'));
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.json, { detail: 'Authentication failed' });
  }));

test('another user cannot read a message: 403 with the route detail', () =>
  withDouble('healthy', async (d) => {
    const url = `${d.apiUrl}/api/chat/messages`;
    const a = await accessToken(d);
    const created = await postJson(url, JSON.stringify({ content: 'mine', thread_id: 't' }), bearer(a));
    const id = String((created.json!.message as Record<string, unknown>).id);
    const other = await postJson(`${d.authUrl}/auth/e2e/test-auth`, JSON.stringify({ email: 'bob@example.test' }), {
      'X-E2E-Bypass-Key': CREDS.bypassKey,
    });
    const b = String(other.json?.access_token);
    const r = await getJson(`${url}/${id}`, bearer(b));
    assert.equal(r.status, 403);
    assert.deepEqual(r.json, { detail: 'Access denied: You can only access your own messages' });
  }));

test('the recorder: every request on both services, header names only, no secret anywhere', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await getJson(`${d.apiUrl}/api/chat/messages`, { ...bearer(token), traceparent });
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    await c.next(byType('connection_established'));
    c.ws.close();
    const summary = d.requests.map(
      (r) => `${r.service} ${r.method} ${r.path} ${r.status}${r.upgrade ? ' upgrade' : ''}`,
    );
    assert.deepEqual(summary, [
      'auth POST /auth/e2e/test-auth 200',
      'auth POST /auth/validate 200',
      'backend GET /api/chat/messages 200',
      'backend GET /ws 101 upgrade',
      'auth POST /auth/validate 200',
    ]);
    const list = d.requests[2];
    assert.equal(list?.traceparent, traceparent);
    assert.ok(list?.headerNames.includes('authorization'));
    assert.ok(list && list.durationMs >= 0 && list.startedAt > 0);
    // The backend's call to auth carried its own traceparent in the same trace.
    assert.match(String(d.requests[1]?.traceparent), /^00-0af7651916cd43dd8448eb211c80319c-/);
    const dump = JSON.stringify(d.requests);
    for (const secret of [token, CREDS.bypassKey, CREDS.serviceSecret, CREDS.jwtSecret])
      assert.equal(dump.includes(secret), false);
  }));
