// A WebSocket upgrade cut short says why: the deadline, or a stop (Ctrl-C, SIGTERM), which is no deadline.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { openWebSocket } from '../../src/net/ws-open.ts';

describe('openWebSocket against a server that accepts and never answers', () => {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  let url = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    url = `ws://127.0.0.1:${address.port}/ws`;
  });
  after(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });

  const open = (signal: AbortSignal) => openWebSocket({ url, headers: {}, protocols: [], signal });

  it('a deadline is said as one', async () => {
    const result = await open(AbortSignal.timeout(200));
    assert.equal(result.kind, 'failed');
    assert.equal(result.kind === 'failed' && result.reason, 'no upgrade before the deadline');
  });

  it('a stop is not a deadline', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await open(stop.signal);
    assert.equal(result.kind, 'failed');
    assert.equal(result.kind === 'failed' && result.reason, 'upgrade aborted');
    assert.equal(result.kind === 'failed' && result.network, undefined, 'a stop is no network error');
  });
});
