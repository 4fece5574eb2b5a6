// /api/threads: the real route's shapes and status codes (threads_route.py and routes/utils/thread_*.py at
// aebb16f77), per-user rows, archive-not-delete, and the database faults (threads_db_403, system_user_403).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningDouble } from '../../src/double/index.ts';
import type { Json } from './support.ts';
import {
  accessToken,
  bearer,
  byType,
  CREDS,
  connectWs,
  getJson,
  postJson,
  sleep,
  startAgent,
  withDouble,
} from './support.ts';

async function tokenFor(d: RunningDouble, email: string): Promise<string> {
  const r = await postJson(`${d.authUrl}/auth/e2e/test-auth`, JSON.stringify({ email }), {
    'X-E2E-Bypass-Key': CREDS.bypassKey,
  });
  return String(r.json?.access_token);
}

async function del(url: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'DELETE', headers });
  return { status: res.status, json: (await res.json()) as Json };
}

test('threads: create, read, list per user, another user 403, archive keeps the row', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const url = `${d.apiUrl}/api/threads`;
    const before = Math.floor(Date.now() / 1000);
    const created = await postJson(
      url,
      JSON.stringify({ title: 'golden-path-probe run 1', metadata: { probe: 'golden-path-probe', user_id: 'spoof' } }),
      bearer(token),
    );
    assert.equal(created.status, 200);
    const t = created.json!;
    assert.deepEqual(Object.keys(t), [
      'id',
      'object',
      'title',
      'created_at',
      'updated_at',
      'metadata',
      'message_count',
    ]);
    assert.match(String(t.id), /^thread_\d+_[0-9a-f]{8}$/);
    assert.equal(t.object, 'thread');
    assert.equal(t.title, 'golden-path-probe run 1');
    assert.ok(Number(t.created_at) >= before);
    assert.equal(t.updated_at, null);
    assert.equal(t.message_count, 0);
    // The client's metadata, with the server's keys over it (the user id cannot be spoofed).
    assert.deepEqual(t.metadata, {
      probe: 'golden-path-probe',
      user_id: 'e2e-e2e-test',
      title: 'golden-path-probe run 1',
      status: 'active',
      created_at: t.created_at,
    });
    const untitled = await postJson(url, '{}', bearer(token));
    assert.equal(untitled.json?.title, null);
    assert.deepEqual(Object.keys(untitled.json?.metadata as Json), ['user_id', 'status', 'created_at']);

    const one = await getJson(`${url}/${String(t.id)}`, bearer(token));
    assert.equal(one.status, 200);
    assert.deepEqual(one.json, t);
    const list = await getJson(url, bearer(token));
    assert.deepEqual(
      (list.json as unknown as Json[]).map((x) => x.id),
      [untitled.json?.id, t.id],
      'newest first',
    );
    assert.deepEqual((await getJson(`${url}?limit=1&offset=1`, bearer(token))).json, [t]);
    assert.equal((await getJson(`${url}?limit=101`, bearer(token))).status, 422);

    const bob = await tokenFor(d, 'bob@example.test');
    assert.deepEqual((await getJson(url, bearer(bob))).json, []);
    const denied = await getJson(`${url}/${String(t.id)}`, bearer(bob));
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.json, { detail: 'Access denied' });
    assert.deepEqual(await del(`${url}/${String(t.id)}`, bearer(bob)), {
      status: 403,
      json: { detail: 'Access denied' },
    });
    const missing = await getJson(`${url}/thread_0_00000000`, bearer(token));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { detail: 'Thread not found' });

    // DELETE archives: the row stays, listed, with status archived.
    assert.deepEqual(await del(`${url}/${String(t.id)}`, bearer(token)), {
      status: 200,
      json: { message: 'Thread archived successfully' },
    });
    const archived = await getJson(`${url}/${String(t.id)}`, bearer(token));
    assert.equal(archived.status, 200);
    const meta = archived.json.metadata as Json;
    assert.equal(meta.status, 'archived');
    assert.equal(typeof meta.archived_at, 'number');
    assert.equal((await getJson(url, bearer(token))).json.length, 2);
  }));

test('threads auth and body: HTTPBearer 403, 401 "Invalid or expired token" with WWW-Authenticate, 422s', () =>
  withDouble('healthy', async (d) => {
    const url = `${d.apiUrl}/api/threads`;
    assert.deepEqual(await postJson(url, '{}').then((r) => [r.status, r.json]), [403, { detail: 'Not authenticated' }]);
    const res = await fetch(url, { headers: bearer('not-a-jwt-at-all') });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(await res.json(), { detail: 'Invalid or expired token' });
    const token = await accessToken(d);
    const notJson = await postJson(url, '{"title":', bearer(token));
    assert.equal(notJson.status, 422);
    const badTitle = await postJson(url, JSON.stringify({ title: 5 }), bearer(token));
    assert.equal(badTitle.status, 422);
    assert.deepEqual((badTitle.json!.detail as Json[])[0]?.loc, ['body', 'title']);
    const badMetadata = await postJson(url, JSON.stringify({ metadata: 'x' }), bearer(token));
    assert.deepEqual([badMetadata.status, (badMetadata.json!.detail as Json[])[0]?.type], [422, 'dict_type']);
  }));

test('a run on a REST thread: kept, no thread_created, and its messages counted in the thread', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const thread = String((await postJson(`${d.apiUrl}/api/threads`, '{"title":"t"}', bearer(token))).json?.id);
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    await c.next(byType('connection_established'));
    startAgent(c, thread);
    await c.next(byType('agent_completed'));
    const frames = c.frames.map((f) => f.frame);
    assert.equal(frames.filter((f) => f.type === 'thread_created').length, 0);
    assert.equal((frames[1]?.payload as Json | undefined)?.thread_id, thread);
    c.ws.close();
    const got = await getJson(`${d.apiUrl}/api/threads/${thread}`, bearer(token));
    assert.equal(got.json.message_count, 2);
    const messages = await getJson(`${d.apiUrl}/api/threads/${thread}/messages`, bearer(token));
    assert.deepEqual(
      (messages.json.messages as Json[]).map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.deepEqual((messages.json.messages as Json[])[0]?.content, [
      { type: 'text', text: { value: 'How are my costs?' } },
    ]);
    assert.equal(messages.json.total, 2);
  }));

async function systemUserLines(d: RunningDouble): Promise<Json[]> {
  const res = await fetch(`${d.google.loggingUrl}/v2/entries:list`, {
    method: 'POST',
    headers: { authorization: `Bearer ${d.google.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ resourceNames: [`projects/${d.google.project}`], filter: 'severity>=ERROR' }),
  });
  const body = (await res.json()) as { entries?: Json[] };
  return (body.entries ?? []).filter((e) => String(e.textPayload ?? '').startsWith('SYSTEM_USER_AUTH_FAILURE'));
}

for (const fault of ['threads_db_403', 'system_user_403'] as const) {
  test(`${fault}: every /api/threads route 403 "Not authenticated" before auth; chat works; start_agent silent`, () =>
    withDouble(fault, async (d) => {
      const token = await accessToken(d);
      const url = `${d.apiUrl}/api/threads`;
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      const answers = [
        await postJson(url, '{"title":"x"}', { ...bearer(token), traceparent }),
        await postJson(url, '{}'), // no bearer at all: the database dependency runs first
        await getJson(url, bearer(token)),
        await getJson(`${url}/thread_1_00000000`, bearer(token)),
      ];
      for (const a of answers) assert.deepEqual([a.status, a.json], [403, { detail: 'Not authenticated' }]);
      assert.equal((await del(`${url}/thread_1_00000000`, bearer(token))).status, 403);
      // In memory, no session: the chat routes answer.
      const chat = `${d.apiUrl}/api/chat/messages`;
      assert.equal((await postJson(chat, '{"content":"hi","thread_id":"t"}', bearer(token))).status, 200);
      assert.equal((await getJson(chat, bearer(token))).json.total_count, 1);
      // The agent handler opens the same session and only logs its failure.
      const c = connectWs(d.wsUrl, { headers: bearer(token) });
      await c.next(byType('connection_established'));
      startAgent(c);
      await sleep(250);
      assert.deepEqual(
        c.frames.map((f) => f.frame.type),
        ['connection_established'],
      );
      c.ws.close();
      const lines = await systemUserLines(d);
      if (fault === 'threads_db_403') assert.deepEqual(lines, []);
      else {
        assert.equal(lines.length, 5, 'one line per 403 on a database route');
        assert.ok(
          lines.some((l) => l.trace === `projects/${d.google.project}/traces/0af7651916cd43dd8448eb211c80319c`),
        );
      }
    }));
}

test('healthy: no SYSTEM_USER_AUTH_FAILURE line, and rest_403 on chat writes none either', async () => {
  await withDouble('healthy', async (d) => {
    await postJson(`${d.apiUrl}/api/threads`, '{}', bearer(await accessToken(d)));
    assert.deepEqual(await systemUserLines(d), []);
  });
  await withDouble('rest_403', async (d) => {
    await getJson(`${d.apiUrl}/api/chat/messages`, bearer(await accessToken(d)));
    assert.deepEqual(await systemUserLines(d), []);
  });
});

async function put(url: string, body: string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, json: (await res.json()) as Json };
}

test('PUT /api/threads/{id} updates title and metadata, keeps the user; POST /{id}/messages wraps its 404 in a 500', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const url = `${d.apiUrl}/api/threads`;
    const id = String((await postJson(url, '{"title":"before"}', bearer(token))).json?.id);
    const updated = await put(
      `${url}/${id}`,
      JSON.stringify({ title: 'after', metadata: { user_id: 'spoof', tag: 'x' } }),
      bearer(token),
    );
    assert.equal(updated.status, 200);
    assert.equal(updated.json.title, 'after');
    const meta = updated.json.metadata as Json;
    assert.deepEqual([meta.user_id, meta.tag, meta.title], ['e2e-e2e-test', 'x', 'after']);
    assert.equal(typeof updated.json.updated_at, 'number');
    const bob = await tokenFor(d, 'bob@example.test');
    assert.deepEqual(await put(`${url}/${id}`, '{}', bearer(bob)), { status: 403, json: { detail: 'Access denied' } });

    const sent = await postJson(`${url}/${id}/messages`, JSON.stringify({ message: 'hi' }), bearer(token));
    assert.equal(sent.status, 200);
    assert.deepEqual(Object.keys(sent.json ?? {}), ['id', 'thread_id', 'content', 'role', 'created_at']);
    assert.deepEqual([sent.json?.thread_id, sent.json?.content, sent.json?.role], [id, 'hi', 'user']);
    assert.equal((await getJson(`${url}/${id}`, bearer(token))).json.message_count, 1);
    const missing = await postJson(`${url}/thread_9_00000000/messages`, '{"message":"x"}', bearer(token));
    assert.deepEqual(
      [missing.status, missing.json],
      [500, { detail: 'Failed to send message: 404: Thread not found' }],
    );
    const noMessage = await postJson(`${url}/${id}/messages`, '{}', bearer(token));
    assert.equal(noMessage.status, 422);
    const badMetadata = await postJson(`${url}/${id}/messages`, '{"message":"x","metadata":[1]}', bearer(token));
    assert.deepEqual(
      [badMetadata.status, (badMetadata.json!.detail as Json[]).map((d) => d.loc)],
      [422, [['body', 'metadata']]],
    );
  }));
