// The CLIENT spans of the probe's own requests, by the HTTP semantic conventions, against real loopback servers:
// the name from the caller's route, error.type and status for every way a request fails (one set of kinds for
// HTTP and the WebSocket upgrade), the answered status kept when the body fails, resend_count on Google retries,
// the peer, and the User-Agent that tells a backend this is synthetic traffic, on the wire.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { Secret } from '../../src/config/secret.ts';
import { callGoogle } from '../../src/gcp/google-call.ts';
import { HttpClient, HttpFailure } from '../../src/net/http-client.ts';
import { openWebSocket } from '../../src/net/ws-open.ts';

const memory = new InMemorySpanExporter();
const seen: IncomingHttpHeaders[] = [];
let googleCalls = 0;

const server: Server = createServer((req, res) => {
  seen.push(req.headers);
  if (req.url?.startsWith('/v2/')) {
    // A Google API that is busy twice, then answers.
    googleCalls++;
    res.writeHead(googleCalls < 3 ? 503 : 200, { 'content-type': 'application/json', 'retry-after': '0' });
    res.end(googleCalls < 3 ? '{}' : '{"name":"netra-backend-staging-00042-296"}');
  } else if (req.url === '/cut') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"messages":');
    setTimeout(() => res.socket?.destroy(), 20);
  } else if (req.url === '/slow') {
    setTimeout(() => res.end('{}'), 2_000).unref();
  } else {
    res.writeHead(req.url === '/forbidden' ? 403 : 200, { 'content-type': 'application/json' });
    res.end('{"detail":"Not authenticated"}');
  }
});
// The upgrade: refused with 403, as a proxy in front of the backend would.
server.on('upgrade', (req, socket) => {
  seen.push(req.headers);
  socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
});
let base = '';
let closedPort = 0;
const client = new HttpClient();

before(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise((resolve) => spare.close(resolve));
});
after(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  trace.disable();
  context.disable();
});
beforeEach(() => {
  memory.reset();
  seen.length = 0;
});

const only = (): ReadableSpan => {
  const spans = memory.getFinishedSpans();
  assert.equal(spans.length, 1, spans.map((s) => s.name).join(', '));
  return spans[0]!;
};

describe('HTTP CLIENT spans', () => {
  it('named by the route, with the peer and the synthetic user agent; User-Agent goes on the wire', async () => {
    await client.send({
      method: 'GET',
      url: `${base}/api/threads/thread_42?x=1`,
      route: '/api/threads/{id}',
      signal: AbortSignal.timeout(5_000),
    });
    const span = only();
    assert.equal(span.name, 'GET /api/threads/{id}');
    assert.equal(span.attributes['url.template'], '/api/threads/{id}');
    assert.equal(span.attributes['url.full'], `${base}/api/threads/thread_42`);
    assert.equal(span.attributes['network.peer.address'], '127.0.0.1');
    assert.equal(span.attributes['network.peer.port'], Number(new URL(base).port));
    assert.equal(span.attributes['user_agent.synthetic.type'], 'test');
    assert.match(String(seen[0]?.['user-agent']), /^golden-path-probe\/\d+\.\d+\.\d+/);
    assert.equal(span.attributes['user_agent.original'], seen[0]?.['user-agent']);
  });

  it('without a route the span is the method alone, never the raw path', async () => {
    await client.send({
      method: 'GET',
      url: `${base}/revisions/netra-backend-staging-00042-296`,
      signal: AbortSignal.timeout(5_000),
    });
    const span = only();
    assert.equal(span.name, 'GET');
    assert.equal(span.attributes['url.template'], undefined);
  });

  it('a 403: ERROR, error.type 403, no description repeating it', async () => {
    await client.send({
      method: 'GET',
      url: `${base}/forbidden`,
      route: '/forbidden',
      signal: AbortSignal.timeout(5_000),
    });
    const span = only();
    assert.deepEqual([span.status.code, span.status.message], [2, undefined]);
    assert.equal(span.attributes['error.type'], '403');
    assert.equal(span.attributes['http.response.status_code'], 403);
  });

  it('a body cut off after the status line keeps http.response.status_code', async () => {
    await assert.rejects(
      client.send({ method: 'GET', url: `${base}/cut`, route: '/cut', signal: AbortSignal.timeout(5_000) }),
      HttpFailure,
    );
    const span = only();
    assert.equal(span.attributes['http.response.status_code'], 200);
    assert.equal(span.attributes['error.type'], 'reset');
    assert.equal(span.status.code, 2);
  });

  it('cancelled: error.type aborted and status ERROR; a deadline: timeout; nothing listening: refused', async () => {
    const stop = new AbortController();
    const cancelled = client.send({ method: 'GET', url: `${base}/slow`, route: '/slow', signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    await assert.rejects(cancelled, HttpFailure);
    await assert.rejects(
      client.send({ method: 'GET', url: `${base}/slow`, route: '/slow', signal: AbortSignal.timeout(50) }),
    );
    await assert.rejects(
      client.send({
        method: 'GET',
        url: `http://127.0.0.1:${closedPort}/x`,
        route: '/x',
        signal: AbortSignal.timeout(5_000),
      }),
    );
    const spans = memory.getFinishedSpans();
    assert.deepEqual(
      spans.map((s) => [s.attributes['error.type'], s.status.code]),
      [
        ['aborted', 2],
        ['timeout', 2],
        ['refused', 2],
      ],
    );
  });

  it("a Google API's retries: one span per attempt, http.request.resend_count on the resends, the route as name", async () => {
    googleCalls = 0;
    const body = await callGoogle(client, {
      method: 'GET',
      url: `${base}/v2/projects/netra-staging/locations/us-central1/services/netra-backend-staging/revisions/netra-backend-staging-00042-296`,
      route: '/v2/projects/{project}/locations/{location}/services/{service}/revisions/{revision}',
      token: new Secret('ya29.test-token'),
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(body.name, 'netra-backend-staging-00042-296');
    const spans = memory.getFinishedSpans();
    assert.deepEqual(
      spans.map((s) => [s.name, s.attributes['http.request.resend_count'], s.attributes['http.response.status_code']]),
      [
        ['GET /v2/projects/{project}/locations/{location}/services/{service}/revisions/{revision}', undefined, 503],
        ['GET /v2/projects/{project}/locations/{location}/services/{service}/revisions/{revision}', 1, 503],
        ['GET /v2/projects/{project}/locations/{location}/services/{service}/revisions/{revision}', 2, 200],
      ],
    );
  });
});

describe('the WebSocket upgrade CLIENT span', () => {
  it('an HTTP/1.1 request named by its route, with the User-Agent; a 403 is error.type 403 with no description', async () => {
    const result = await openWebSocket({
      url: `${base.replace('http', 'ws')}/ws`,
      route: '/ws',
      headers: {},
      protocols: [],
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(result.kind, 'rejected');
    const span = only();
    assert.equal(span.name, 'GET /ws');
    assert.equal(span.attributes['network.protocol.name'], 'http');
    assert.equal(span.attributes['network.protocol.version'], '1.1');
    assert.equal(span.attributes['http.response.status_code'], 403);
    assert.equal(span.attributes['error.type'], '403');
    assert.equal(span.status.message, undefined);
    assert.equal(span.attributes['network.peer.address'], '127.0.0.1');
    assert.match(String(seen[0]?.['user-agent']), /^golden-path-probe\//);
  });

  it('refused and deadline are told apart (the same kinds as HTTP)', async () => {
    const refused = await openWebSocket({
      url: `ws://127.0.0.1:${closedPort}/ws`,
      route: '/ws',
      headers: {},
      protocols: [],
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(refused.kind, 'failed');
    assert.equal(only().attributes['error.type'], 'refused');
    memory.reset();
    // A server that accepts the connection and never answers the upgrade.
    const silent = createServer();
    silent.on('upgrade', () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const late = await openWebSocket({
        url: `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/ws`,
        route: '/ws',
        headers: {},
        protocols: [],
        signal: AbortSignal.timeout(100),
      });
      assert.equal(late.kind, 'failed');
      const span = only();
      assert.deepEqual([span.attributes['error.type'], span.status.code], ['timeout', 2]);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });
});
