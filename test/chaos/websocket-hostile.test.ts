import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertCleanFailure, assertNoCrash, chaosStage, evidenceOf } from './chaos-run.ts';
import { event, GOLDEN, hostileHttp, hostileTcp, hostileWs, refusedUrl } from './hostile-servers.ts';

const healthyAgent = (ws: import('ws').WebSocket) => {
  for (const name of GOLDEN) ws.send(event(name));
};

// The backend's WebSocket replaced by a server that misbehaves in one way; auth and REST are the healthy double.
describe('chaos: a hostile WebSocket endpoint', () => {
  const stage = chaosStage();

  it('the script itself passes: a well-behaved hostile server is a pass (so the failures below are real)', async () => {
    const ws = await stage.serve(hostileWs({ onStartAgent: healthyAgent }));
    const out = await stage.run({ PROBE_WS_URL: ws.url });
    assert.equal(out.code, 0, out.stderr.slice(-2000));
    assert.equal(out.report?.verdict.code, 'PASS');
  });

  it('connection refused → BACKEND_ERROR at ws.connect naming ECONNREFUSED', async () => {
    const out = await stage.run({ PROBE_WS_URL: await refusedUrl('ws') });
    assertCleanFailure(out, 'ws.connect', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /ECONNREFUSED/);
  });

  it('an upgrade that is never answered → BACKEND_ERROR at ws.connect at the deadline', async () => {
    const silent = await stage.serve(hostileTcp('ws', () => undefined));
    const out = await stage.run({ PROBE_WS_URL: silent.url });
    assertCleanFailure(out, 'ws.connect', 'BACKEND_ERROR');
    assert.match(evidenceOf(out), /no upgrade before the deadline/);
  });

  it('an upgrade answered with a redirect loop → WS_UPGRADE_REJECTED, not followed', async () => {
    const loop = await stage.serve(hostileHttp((req, res) => res.writeHead(302, { location: req.url ?? '/' }).end()));
    const out = await stage.run({ PROBE_WS_URL: `${loop.url.replace('http', 'ws')}/ws` });
    assertCleanFailure(out, 'ws.connect', 'WS_UPGRADE_REJECTED');
    assert.equal(loop.hits, 1, 'one upgrade request: the redirect was not followed');
    assert.match(evidenceOf(out), /HTTP 302 instead of 101: redirect to ws:\/\/127\.0\.0\.1:\d+\/ws, not followed/);
  });

  it('no connection_established ever → WS_AUTH_FAILED at the deadline, not blamed on the token', async () => {
    const mute = await stage.serve(hostileWs({ onOpen: () => undefined }));
    const out = await stage.run({ PROBE_WS_URL: mute.url });
    assertCleanFailure(out, 'ws.connect', 'WS_AUTH_FAILED');
    assert.match(evidenceOf(out), /no connection_established/);
  });

  it('binary frames and non-JSON text are ignored and counted; the run still passes', async () => {
    const noisy = await stage.serve(
      hostileWs({
        onOpen: (ws) => {
          ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
          ws.send('this is not json {');
          ws.send(JSON.stringify({ type: 'connection_established', data: {} }));
        },
        onStartAgent: (ws) => {
          ws.send(Buffer.alloc(1024, 7), { binary: true });
          ws.send('<html>');
          healthyAgent(ws);
        },
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: noisy.url });
    assert.equal(out.code, 0, out.stderr.slice(-2000));
    const hops = out.report!.hops;
    assert.match(
      hops.find((h) => h.name === 'ws.connect')!.evidence!.join('\n'),
      /ignored 1 binary and 1 non-JSON frame/,
    );
    assert.match(
      hops.find((h) => h.name === 'agent.run')!.evidence!.join('\n'),
      /ignored 1 binary and 1 non-JSON frame/,
    );
  });

  it('only binary and non-JSON frames → WS_AUTH_FAILED, with what arrived as evidence', async () => {
    const junk = await stage.serve(
      hostileWs({
        onOpen: (ws) => {
          ws.send(Buffer.from('garbage'), { binary: true });
          ws.send('not json');
        },
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: junk.url });
    assertCleanFailure(out, 'ws.connect', 'WS_AUTH_FAILED');
    assert.match(evidenceOf(out), /ignored 1 binary and 1 non-JSON frame/);
  });

  it('a multi-megabyte frame is refused by the payload limit, not buffered → AGENT_RUN_ABORTED naming the limit', async () => {
    const huge = await stage.serve(
      hostileWs({
        onStartAgent: (ws) =>
          ws.send(JSON.stringify({ type: 'agent_started', data: { blob: 'x'.repeat(8 * 1024 * 1024) } })),
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: huge.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_RUN_ABORTED');
    assert.match(evidenceOf(out), /larger than the probe's limit/);
  });

  it('a flood of 50,000 irrelevant frames before the events → still a pass, the flood counted', async () => {
    const flood = await stage.serve(
      hostileWs({
        onStartAgent: (ws) => {
          const heartbeat = JSON.stringify({ type: 'heartbeat', data: { ts: 1 } });
          for (let i = 0; i < 50_000; i++) ws.send(heartbeat);
          healthyAgent(ws);
        },
      }),
    );
    // Correctness, not speed: generous deadlines, so a slow shared machine cannot turn this into a miss.
    const out = await stage.run({ PROBE_WS_URL: flood.url }, [
      '--timeout-ms',
      '60000',
      '--agent-timeout-ms',
      '45000',
      '--agent-degraded-ms',
      '44000',
    ]);
    assert.equal(out.code, 0, out.stderr.slice(-2000));
    assert.match(out.report!.hops.find((h) => h.name === 'agent.run')!.evidence!.join('\n'), /50000 other frames/);
  });

  it('an endless flood with no events → AGENT_EVENTS_MISSING at the agent deadline, not a hang', async () => {
    const flood = await stage.serve(
      hostileWs({
        onStartAgent: (ws) => {
          const heartbeat = JSON.stringify({ type: 'heartbeat' });
          const pump = setInterval(() => {
            for (let i = 0; i < 2_000 && ws.readyState === ws.OPEN; i++) ws.send(heartbeat);
          }, 5);
          ws.on('close', () => clearInterval(pump));
        },
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: flood.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_EVENTS_MISSING');
  });

  it('a server that closes mid-frame → AGENT_RUN_ABORTED with the abnormal close', async () => {
    const cut = await stage.serve(
      hostileWs({
        onStartAgent: (ws) => {
          ws.send(event('agent_started'));
          // A frame header announcing 100 bytes, 10 of them sent, then the TCP connection is cut.
          const raw = (ws as unknown as { _socket: import('node:net').Socket })._socket;
          raw.write(Buffer.concat([Buffer.from([0x81, 100]), Buffer.from('{"type":"a')]), () => raw.destroy());
        },
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: cut.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_RUN_ABORTED');
    assert.match(evidenceOf(out), /1006/);
  });

  it('events out of order → AGENT_EVENTS_OUT_OF_ORDER naming the pair', async () => {
    const order = ['agent_started', 'tool_completed', 'agent_thinking', 'tool_executing', 'agent_completed'];
    const disorder = await stage.serve(
      hostileWs({
        onStartAgent: (ws) => {
          for (const name of order) ws.send(event(name));
        },
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: disorder.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_EVENTS_OUT_OF_ORDER');
    assert.match(evidenceOf(out), /tool_completed before (agent_thinking|tool_executing)/);
  });

  it('every event twice → a pass (the real runtime repeats thinking and tool events), the repeats noted', async () => {
    const twice = await stage.serve(
      hostileWs({
        onStartAgent: (ws) => {
          for (const name of GOLDEN) {
            ws.send(event(name));
            if (name !== 'agent_completed') ws.send(event(name));
          }
        },
      }),
    );
    const out = await stage.run({ PROBE_WS_URL: twice.url });
    assert.equal(out.code, 0, out.stderr.slice(-2000));
    assertNoCrash(out);
    assert.match(
      out.report!.hops.find((h) => h.name === 'agent.run')!.evidence!.join('\n'),
      /repeated: agent_started ×2/,
    );
  });
});
