// A collector that is down, blackholes or refuses must cost a bounded time at shutdown, one warning, and
// never the run's exit code.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, test } from 'node:test';
import { runFixture } from './fixtures/run-fixture.ts';

interface EmitOut {
  tracing: boolean;
  traceId: string;
  warnings: string[];
  shutdownMs: number;
}

/** A loopback port with nothing listening: connections are refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

/** Accepts connections and reads the requests, never answers. */
async function startBlackhole(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    async close() {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const SLACK_MS = 750; // a loaded CI machine's scheduling, on top of the bound under test

describe('an unreachable collector', () => {
  test('refused connections: shutdown ends within its bound, one warning naming the cause, exit 0', async () => {
    const url = await closedPortUrl();
    const run = await runFixture<EmitOut>('emit-spans.ts', { OTEL_EXPORTER_OTLP_ENDPOINT: url, FIXTURE_METRICS: '1' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.out.traceId, /^[0-9a-f]{32}$/);
    // Traces and metrics both failed: one warning says so, for both.
    assert.deepEqual(run.out.warnings, [
      `traces could not be exported to ${url}/v1/traces: ECONNREFUSED; metrics to ${url}/v1/metrics: ECONNREFUSED`,
    ]);
    // The exporter retries within its 3 s budget, then gives up, well inside shutdown's default 5 s.
    assert.ok(run.out.shutdownMs <= 5_000 + SLACK_MS, `shutdown took ${run.out.shutdownMs} ms`);
    assert.equal(run.stderr, '', 'nothing else printed');
  });
});

describe('a blackholing collector', () => {
  test('no answer: the exporter gives up after its 3 s timeout, shutdown resolves, one warning, exit 0', async () => {
    const blackhole = await startBlackhole();
    try {
      const run = await runFixture<EmitOut>('emit-spans.ts', { OTEL_EXPORTER_OTLP_ENDPOINT: blackhole.url });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(blackhole.connections() >= 1, 'the exporter did connect');
      assert.deepEqual(run.out.warnings, [
        `traces could not be exported to ${blackhole.url}/v1/traces: no answer within 3000 ms`,
      ]);
      assert.ok(
        run.out.shutdownMs >= 2_900 && run.out.shutdownMs <= 5_000 + SLACK_MS,
        `shutdown took ${run.out.shutdownMs} ms`,
      );
    } finally {
      await blackhole.close();
    }
  });

  test("shutdown's own bound wins over a longer export: it resolves on time and the process still exits by itself", async () => {
    const blackhole = await startBlackhole();
    try {
      const run = await runFixture<EmitOut>('emit-spans.ts', {
        OTEL_EXPORTER_OTLP_ENDPOINT: blackhole.url,
        FIXTURE_SHUTDOWN_MS: '1000',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(
        run.out.shutdownMs >= 990 && run.out.shutdownMs <= 1_000 + SLACK_MS,
        `shutdown took ${run.out.shutdownMs} ms`,
      );
      assert.deepEqual(run.out.warnings, [
        `traces could not be exported to ${blackhole.url}/v1/traces: the export had not finished when shutdown's ` +
          `1000 ms ran out`,
      ]);
      // The abandoned request ends at the exporter's own 3 s timeout; nothing holds the process longer.
      assert.ok(run.elapsedMs < 8_000, `the child exited after ${Math.round(run.elapsedMs)} ms`);
    } finally {
      await blackhole.close();
    }
  });

  test('OTEL_EXPORTER_OTLP_TIMEOUT shortens the export bound', async () => {
    const blackhole = await startBlackhole();
    try {
      const run = await runFixture<EmitOut>('emit-spans.ts', {
        OTEL_EXPORTER_OTLP_ENDPOINT: blackhole.url,
        OTEL_EXPORTER_OTLP_TIMEOUT: '400',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.out.warnings, [
        `traces could not be exported to ${blackhole.url}/v1/traces: no answer within 400 ms`,
      ]);
      assert.ok(run.out.shutdownMs <= 400 + SLACK_MS, `shutdown took ${run.out.shutdownMs} ms`);
    } finally {
      await blackhole.close();
    }
  });
});

describe('a collector that refuses the export', () => {
  test('HTTP 401: one warning with the status; credentials and the URL query are not shown', async () => {
    const server = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain' }).end('missing token for tenant');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const run = await runFixture<EmitOut>('emit-spans.ts', {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://probe:pa55word@127.0.0.1:${port}/v1/traces?token=query-s3cret`,
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20header-s3cret',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.out.warnings, [
        `traces could not be exported to http://127.0.0.1:${port}/v1/traces: the collector answered HTTP 401 ` +
          `Unauthorized`,
      ]);
      for (const secret of ['pa55word', 'query-s3cret', 'header-s3cret']) {
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} leaked`);
      }
    } finally {
      server.close();
    }
  });
});
