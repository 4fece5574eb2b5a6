// Faults on /api/chat/messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessToken, bearer, byType, connectWs, getJson, postJson, withDouble } from './support.ts';

test('rest_403: 403 "Not authenticated" even with a valid bearer; WS fine', () =>
  withDouble('rest_403', async (d) => {
    const token = await accessToken(d);
    const list = await getJson(`${d.apiUrl}/api/chat/messages`, bearer(token));
    assert.equal(list.status, 403);
    assert.deepEqual(list.json, { detail: 'Not authenticated' });
    const create = await postJson(
      `${d.apiUrl}/api/chat/messages`,
      JSON.stringify({ content: 'x', thread_id: 't' }),
      bearer(token),
    );
    assert.equal(create.status, 403);
    const c = connectWs(d.wsUrl, { headers: bearer(token) });
    await c.next(byType('connection_established'));
    c.ws.close();
  }));

test('rest_500: Starlette plain-text 500', () =>
  withDouble('rest_500', async (d) => {
    const token = await accessToken(d);
    const res = await fetch(`${d.apiUrl}/api/chat/messages`, { headers: bearer(token) });
    assert.equal(res.status, 500);
    assert.match(String(res.headers.get('content-type')), /^text\/plain/);
    assert.equal(await res.text(), 'Internal Server Error');
    assert.equal((await getJson(`${d.apiUrl}/health`)).status, 200);
  }));

test('message_not_persisted: POST says created, GET never lists it', () =>
  withDouble('message_not_persisted', async (d) => {
    const token = await accessToken(d);
    const url = `${d.apiUrl}/api/chat/messages`;
    const created = await postJson(url, JSON.stringify({ content: 'lost', thread_id: 't-9' }), bearer(token));
    assert.equal(created.status, 200);
    assert.equal(created.json?.status, 'created');
    const id = String((created.json!.message as Record<string, unknown>).id);
    const list = await getJson(url, bearer(token));
    assert.equal(list.status, 200);
    assert.equal(list.json.total_count, 0);
    assert.deepEqual(list.json.messages, []);
    assert.equal((await getJson(`${url}?thread_id=t-9`, bearer(token))).json.total_count, 0);
    assert.equal((await getJson(`${url}/${id}`, bearer(token))).status, 404);
  }));
