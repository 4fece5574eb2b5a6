// The run's cookie jar: what the API host sets comes back to it only, as a browser does for one site.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { WebSocketServer } from 'ws';
import { holdsSecret, inSecretScope, scrubSecrets } from '../../src/config/secret.ts';
import { CookieJar } from '../../src/net/cookie-jar.ts';
import { openWebSocket } from '../../src/net/ws-open.ts';

const API = 'https://api.staging.example';
const url = (u: string) => new URL(u);

describe('CookieJar', () => {
  it("keeps the API host's cookies and sends them back to it, on HTTP and on the WebSocket upgrade", () => {
    const jar = new CookieJar(API);
    jar.take(url(`${API}/api/threads`), {
      'set-cookie': 'GCLB=opaque-1; path=/; HttpOnly; expires=Wed, 21 Oct 2099 07:28:00 GMT',
    });
    assert.equal(jar.header(url(`${API}/api/chat/messages`)), 'GCLB=opaque-1');
    assert.equal(jar.header(url('wss://api.staging.example/ws')), 'GCLB=opaque-1');
    assert.deepEqual(jar.names(), ['GCLB']);
  });

  it('ignores cookies of other hosts and never sends its own to them', () => {
    const jar = new CookieJar(API);
    jar.take(url('https://auth.staging.example/auth/login'), { 'set-cookie': ['session=s1; path=/'] });
    assert.deepEqual(jar.names(), []);
    jar.take(url(`${API}/x`), { 'set-cookie': 'GCLB=v; path=/' });
    assert.equal(jar.header(url('https://auth.staging.example/auth/login')), undefined);
    assert.equal(jar.header(url('https://api.staging.example:8443/x')), undefined, 'another port is another host');
  });

  it('honours Path, Secure, Max-Age and Expires; a newer value replaces the older', () => {
    let now = 1_000_000;
    const jar = new CookieJar('http://127.0.0.1:9000', () => now);
    const at = url('http://127.0.0.1:9000/api/chat/messages');
    jar.take(at, {
      'set-cookie': ['a=1; Path=/api', 'b=2; Path=/auth', 's=3; Secure', 'm=4; Max-Age=10', 'gone=5; Max-Age=0'],
    });
    assert.equal(jar.header(at), 'a=1; m=4', 'path /api matches, /auth does not; Secure never over http');
    now += 11_000;
    assert.equal(jar.header(at), 'a=1', 'm expired');
    jar.take(at, { 'set-cookie': 'a=9; Path=/' });
    assert.equal(jar.header(at), 'a=9');
    jar.take(at, { 'set-cookie': 'a=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT' });
    assert.equal(jar.header(at), undefined, 'an expiry in the past deletes it');
  });

  it("keeps a value set on the WebSocket's 101 as a secret of that run only: scrubbed in it, forgotten after", async () => {
    // ws emits 'upgrade' from its socket's callbacks: the run's scope must still be the one that remembers.
    const value = 'affinity-0123456789abcdef';
    const wss = new WebSocketServer({ noServer: true });
    wss.on('headers', (headers) => headers.push(`Set-Cookie: GCLB=${value}; Path=/`));
    const server = http.createServer();
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ws.close()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const wsUrl = `ws://127.0.0.1:${(server.address() as { port: number }).port}/ws`;
      const jar = new CookieJar(wsUrl);
      const seenInRun = await inSecretScope(async () => {
        const opened = await openWebSocket({
          url: wsUrl,
          headers: {},
          protocols: [],
          signal: AbortSignal.timeout(5000),
          cookies: jar,
        });
        if (opened.kind === 'open') opened.socket.terminate();
        return { kind: opened.kind, scrubbed: scrubSecrets(`echo: Cookie: GCLB=${value}`) };
      });
      assert.equal(seenInRun.kind, 'open');
      assert.deepEqual(jar.names(), ['GCLB']);
      assert.equal(jar.header(new URL(wsUrl)), `GCLB=${value}`);
      assert.equal(seenInRun.scrubbed, 'echo: Cookie: GCLB=[REDACTED]');
      assert.equal(holdsSecret(value), false, 'the process (a serve running for months) does not keep it');
    } finally {
      wss.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
