// The front of the API host: two backend instances with their own /api/chat/messages, a GCLB cookie that pins a
// client to one (GENERATED_COOKIE, terraform-gcp-staging/load-balancer.tf:86-88), and no_affinity_cookie. Raw
// undici/ws clients with explicit Cookie headers: no jar here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { request } from 'undici';
import { WebSocket } from 'ws';
import type { RunningDouble } from '../../src/double/index.ts';
import { accessToken, bearer, withDouble } from './support.ts';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  setCookie: string[];
}

async function call(
  d: RunningDouble,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: object,
): Promise<Answer> {
  const res = await request(`${d.apiUrl}${path}`, {
    method,
    headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const sc = res.headers['set-cookie'];
  return {
    status: res.statusCode,
    body: (await res.body.json()) as Record<string, unknown>,
    setCookie: Array.isArray(sc) ? sc : sc === undefined ? [] : [sc],
  };
}

const lastInstance = (d: RunningDouble) => d.requests.filter((r) => r.service === 'backend').at(-1)?.instance;

test('GCLB: the first answer pins the client; with the cookie every request and the WebSocket stay on that instance', () =>
  withDouble('healthy', async (d) => {
    const auth = bearer(await accessToken(d));
    const first = await call(d, 'GET', '/api/chat/messages', auth);
    assert.equal(first.setCookie.length, 1);
    assert.match(
      first.setCookie[0] ?? '',
      /^GCLB=[\w-]{16}; path=\/; HttpOnly; expires=\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT$/,
    );
    const expires = Date.parse(/expires=(.*)$/.exec(first.setCookie[0] ?? '')?.[1] ?? '');
    assert.ok(Math.abs(expires - (Date.now() + 86_400_000)) < 5000, 'the 24 h affinity TTL');
    const pinned = lastInstance(d);
    const cookie = (first.setCookie[0] ?? '').split(';')[0] ?? '';
    const jar = { ...auth, cookie: `other=1; ${cookie}` };

    // Twenty create + read-back pairs in a row, all on the pinned instance, no new cookie.
    for (let i = 0; i < 20; i++) {
      const created = await call(d, 'POST', '/api/chat/messages', jar, { content: `m${i}`, thread_id: 't' });
      assert.deepEqual([created.status, created.setCookie], [200, []]);
      const id = String((created.body.message as Record<string, unknown>).id);
      const back = await call(d, 'GET', `/api/chat/messages/${id}`, jar);
      assert.equal(back.status, 200, `read-back ${i}`);
    }
    const backend = d.requests.filter((r) => r.service === 'backend');
    assert.ok(backend.slice(1).every((r) => r.instance === pinned));

    // The upgrade goes through the front too: with the cookie, the same instance and no Set-Cookie on the 101.
    const ws = new WebSocket(d.wsUrl, { headers: jar });
    const upgraded = await new Promise<string[] | undefined>((resolve) =>
      ws.once('upgrade', (res) => resolve(res.headers['set-cookie'])),
    );
    assert.equal(upgraded, undefined);
    ws.terminate();
    assert.equal(lastInstance(d), pinned);
  }));

test('without the cookie a client alternates instances: a message is on one instance only; an unknown GCLB is re-placed', () =>
  withDouble('healthy', async (d) => {
    const auth = bearer(await accessToken(d));
    const created = await call(d, 'POST', '/api/chat/messages', auth, { content: 'here', thread_id: 't' });
    const storedOn = lastInstance(d);
    const id = String((created.body.message as Record<string, unknown>).id);
    const back = await call(d, 'GET', `/api/chat/messages/${id}`, auth);
    assert.notEqual(lastInstance(d), storedOn);
    assert.deepEqual([back.status, back.body], [404, { detail: 'Message not found' }]);
    assert.equal(back.setCookie.length, 1, 'each cookieless answer pins anew');
    const again = await call(d, 'GET', `/api/chat/messages/${id}`, auth);
    assert.equal(lastInstance(d), storedOn);
    assert.equal(again.status, 200);
    const forged = await call(d, 'GET', '/api/chat/messages', { ...auth, cookie: 'GCLB=made-up-value' });
    assert.equal(forged.setCookie.length, 1);
    // The upgrade's 101 carries the cookie when it pins.
    const ws = new WebSocket(d.wsUrl, { headers: auth });
    const sc = await new Promise<string[] | undefined>((resolve) =>
      ws.once('upgrade', (res) => resolve(res.headers['set-cookie'])),
    );
    assert.match(sc?.[0] ?? '', /^GCLB=/);
    ws.terminate();
  }));

test('no_affinity_cookie: no Set-Cookie, a cookie is ignored, consecutive requests alternate instances', () =>
  withDouble('no_affinity_cookie', async (d) => {
    const auth = bearer(await accessToken(d));
    const seen: (number | undefined)[] = [];
    let id = '';
    for (let i = 0; i < 6; i++) {
      const a =
        i === 0
          ? await call(d, 'POST', '/api/chat/messages', auth, { content: 'x', thread_id: 't' })
          : await call(d, 'GET', `/api/chat/messages/${id}`, { ...auth, cookie: 'GCLB=anything' });
      if (i === 0) id = String((a.body.message as Record<string, unknown>).id);
      assert.deepEqual(a.setCookie, []);
      seen.push(lastInstance(d));
      if (i === 1) assert.equal(a.status, 404, 'the read-back right after the create is on the other instance');
    }
    assert.deepEqual(seen, [seen[0], seen[1], seen[0], seen[1], seen[0], seen[1]]);
    assert.notEqual(seen[0], seen[1]);
  }));
