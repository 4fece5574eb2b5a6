// An id the backend chose is named in a later URL (chat read-back, clean-up's DELETE): one that
// encodeURIComponent cannot encode must not reach it (it threw URIError: a crash, exit 3, not a verdict).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { inSecretScope, Secret } from '../../src/config/secret.ts';
import type { HopContext } from '../../src/hops/hop-contract.ts';
import { usableId } from '../../src/hops/server-id.ts';
import { threadCreate } from '../../src/hops/thread-create.ts';
import { CookieJar } from '../../src/net/cookie-jar.ts';
import { HttpClient } from '../../src/net/http-client.ts';

describe('usableId', () => {
  it('takes a bounded, non-empty, well-formed string only', () => {
    assert.equal(usableId('thread_1_a2840fae'), true);
    for (const bad of [undefined, 7, '', 'x'.repeat(201), 'thread_\ud800', '\udc00a']) {
      assert.equal(usableId(bad), false, JSON.stringify(bad));
    }
  });
});

describe('thread.create with a thread id that cannot go in a URL', () => {
  // JSON may carry a lone surrogate ("\ud800"); JSON.parse keeps it.
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":"thread_\\ud800_1"}');
  });
  let apiUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is a BACKEND_ERROR, and nothing is kept for a later URL', async () => {
    await inSecretScope(async () => {
      const state: HopContext['state'] = {
        threadId: 'thread_probe_0123456789abcdef',
        threadSource: 'client',
        cookies: new CookieJar(apiUrl),
        created: {},
        accessToken: new Secret('a-test-token-that-is-long-enough'),
      };
      const ctx = {
        config: { apiUrl },
        definition: { name: 'golden-path' },
        runId: 'r1',
        http: new HttpClient(),
        log: pino({ level: 'silent' }),
        signal: AbortSignal.timeout(5_000),
        state,
      } as unknown as HopContext;
      const outcome = await threadCreate(ctx);
      assert.equal(outcome.status, 'fail');
      assert.equal(outcome.code, 'BACKEND_ERROR');
      assert.equal(state.created.thread, undefined);
      assert.equal(state.threadSource, 'client');
      assert.equal(state.threadId, 'thread_probe_0123456789abcdef');
    });
  });
});
