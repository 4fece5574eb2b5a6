import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { HttpClient, HttpFailure } from '../../src/net/http-client.ts';

async function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('HttpClient against real loopback servers', () => {
  const client = new HttpClient();
  const sockets: Socket[] = [];
  const blackhole = createTcpServer((s) => sockets.push(s)); // accepts, never answers
  const slowBody = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"messages":'); // …and never finishes the body
  });
  const json = createServer((req, res) => {
    res.writeHead(req.url === '/teapot' ? 418 : 200, { 'content-type': 'application/json', connection: 'keep-alive' });
    res.end(JSON.stringify({ detail: 'short and stout', port: req.socket.remotePort }));
  });
  after(async () => {
    await client.close();
    for (const s of sockets) s.destroy();
    blackhole.close();
    slowBody.closeAllConnections();
    slowBody.close();
    json.closeAllConnections();
    json.close();
  });

  it('parses JSON, keeps the connection alive between requests, and reports 4xx as a response', async () => {
    const port = await listen(json);
    const a = await client.send({
      method: 'GET',
      url: `http://127.0.0.1:${port}/ok`,
      signal: AbortSignal.timeout(5000),
    });
    const b = await client.send({
      method: 'POST',
      url: `http://127.0.0.1:${port}/ok`,
      json: { x: 1 },
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(a.status, 200);
    assert.equal((a.json as { port: number }).port, (b.json as { port: number }).port, 'one keep-alive connection');
    const teapot = await client.send({
      method: 'GET',
      url: `http://127.0.0.1:${port}/teapot`,
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(teapot.status, 418);
  });

  it('a server that never answers is a timeout at the deadline, not a hang', async () => {
    const port = await listen(blackhole);
    const started = performance.now();
    await assert.rejects(
      client.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, signal: AbortSignal.timeout(300) }),
      (err: unknown) =>
        err instanceof HttpFailure && err.kind === 'timeout' && /no response before the deadline/.test(err.message),
    );
    assert.ok(performance.now() - started < 3000);
  });

  it('a body that never ends is a timeout too', async () => {
    const port = await listen(slowBody);
    await assert.rejects(
      client.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, signal: AbortSignal.timeout(300) }),
      (err: unknown) => err instanceof HttpFailure && err.kind === 'timeout',
    );
  });

  it('a closed port is a network failure naming the error code', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      client.send({ method: 'GET', url: `http://127.0.0.1:${port}/x`, signal: AbortSignal.timeout(5000) }),
      (err: unknown) =>
        err instanceof HttpFailure &&
        err.kind === 'network' &&
        /\/x: connection refused \(ECONNREFUSED\): nothing listens at 127\.0\.0\.1:\d+$/.test(err.message),
    );
  });

  it('refuses to send a header that would switch on the backend bypass', async () => {
    await assert.rejects(
      client.send({
        method: 'GET',
        url: 'http://127.0.0.1:9/',
        headers: { 'X-Test-Mode': 'true' },
        signal: AbortSignal.timeout(100),
        refuseBypassHeaders: true,
      }),
      /refusing to send header 'X-Test-Mode'/,
    );
  });
});
