import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCli } from '../support/run-cli.ts';

describe('spans are flushed on every way out', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  it('SIGTERM mid-run: the run stops, reports aborted (RUN_ABORTED), exits 143, and its spans arrive before exit', async () => {
    const started = Date.now();
    let sent = false;
    const out = await runCli(
      [
        'demo',
        '--fault',
        'agent_stall',
        '--agent-timeout-ms',
        '20000',
        '--agent-degraded-ms',
        '10000',
        '--log-level',
        'info',
      ],
      {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
        onSpawn: (child) => {
          // Signal once the run is inside agent.run (its ws.connect log line is out).
          child.stdout!.on('data', (chunk: Buffer) => {
            if (!sent && chunk.toString().includes('"hop":"ws.connect"')) {
              sent = true;
              child.kill('SIGTERM');
            }
          });
        },
        timeoutMs: 30_000,
      },
    );
    assert.ok(sent, 'the run reached agent.run');
    assert.ok(Date.now() - started < 15_000, 'it did not wait for the 20 s agent deadline');
    assert.equal(out.code, 143);
    assert.equal(out.report?.result, 'aborted');
    assert.equal(out.report?.verdict.code, 'RUN_ABORTED');
    assert.equal(out.report?.verdict.hop, 'agent.run');
    assert.equal(out.report?.failedHop, null);
    const spans = receiver.spans.filter((s) => s.traceId === out.report!.traceId);
    const root = spans.find((s) => s.name === 'golden_path');
    assert.ok(root, 'the root span was flushed');
    assert.equal(root.attributes['probe.verdict'], 'RUN_ABORTED');
    // Interrupted is not failed: neither the root nor the hop it was in is an error.
    assert.equal(root.attributes['probe.result'], 'aborted');
    assert.ok(spans.some((s) => s.name === 'agent.run' && s.statusCode !== 'ERROR'));
  });

  it('the run deadline: the run ends at --timeout-ms and its spans arrive', async () => {
    const out = await runCli(
      [
        'demo',
        '--fault',
        'agent_stall',
        '--timeout-ms',
        '1200',
        '--agent-timeout-ms',
        '1100',
        '--agent-degraded-ms',
        '500',
      ],
      {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
      },
    );
    assert.equal(out.code, 1);
    assert.equal(out.report?.verdict.code, 'AGENT_EVENTS_MISSING');
    const names = receiver.spans.filter((s) => s.traceId === out.report!.traceId).map((s) => s.name);
    assert.ok(
      names.includes('golden_path') && names.includes('agent.run') && names.includes('triage'),
      names.join(','),
    );
  });

  it('an unreachable collector never fails or hangs the run: one warning', async () => {
    const port = await closedPort();
    const started = Date.now();
    const out = await runCli(['demo'], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` } });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.report?.result, 'pass');
    assert.ok(Date.now() - started < 20_000);
    assert.equal(out.stderr.match(/warning/g)?.length, 1, out.stderr);
  });

  it('the run metrics are exported through OTLP when configured', async () => {
    const out = await runCli(['demo'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRICS_EXPORTER: 'otlp' },
    });
    assert.equal(out.code, 0, out.stderr);
    const names = new Set(receiver.metrics.map((m) => m.name));
    for (const name of ['probe.success', 'probe.runs', 'probe.hop.duration', 'probe.agent.time_to_event']) {
      assert.ok(names.has(name), `${name} arrived (got ${[...names].join(', ')})`);
    }
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
