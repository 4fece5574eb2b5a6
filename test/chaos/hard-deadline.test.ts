import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { assertCleanFailure, assertNoCrash, chaosStage, GRACE_MS, TIMEOUT_MS } from './chaos-run.ts';
import { hostileHttp, hostileTcp, hostileWs } from './hostile-servers.ts';

// The hard deadline with telemetry on: whatever the target does, the run ends, reports and flushes.
describe('chaos: the hard deadline holds, and telemetry is flushed', () => {
  const stage = chaosStage();
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('a backend that never answers: exit 1 after the deadline, and the failing hop span reaches the collector', async () => {
    const silent = await stage.serve(hostileHttp(() => undefined));
    const out = await stage.run({ PROBE_API_URL: silent.url, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    assertCleanFailure(out, 'thread.create', 'BACKEND_ERROR');
    const spans = receiver.spans.filter((s) => s.traceId === out.report!.traceId);
    const hop = spans.find((s) => s.name === 'thread.create');
    assert.equal(hop?.statusCode, 'ERROR', 'the failing hop was exported as an error');
    assert.equal(hop?.attributes['error.type'], 'BACKEND_ERROR');
    assert.ok(
      spans.some((s) => s.name === 'golden_path'),
      'the root span was flushed before exit',
    );
    console.log(
      `deadline figures: --timeout-ms ${TIMEOUT_MS}, ended after ${out.elapsedMs} ms (process start, triage and ` +
        `flush included)`,
    );
  });

  it('an agent that stalls and a collector that never answers: still exit 1 with a report, within the bound', async () => {
    const stall = await stage.serve(hostileWs({ onStartAgent: () => undefined }));
    const blackHole = await stage.serve(hostileTcp('http', () => undefined));
    const out = await stage.run({ PROBE_WS_URL: stall.url, OTEL_EXPORTER_OTLP_ENDPOINT: blackHole.url });
    assertCleanFailure(out, 'agent.run', 'AGENT_EVENTS_MISSING');
    assert.ok(blackHole.hits >= 1, 'the probe did try to export');
    console.log(`deadline figures: collector black hole, ended after ${out.elapsedMs} ms`);
  });

  it('with --retries 1 each attempt has its own deadline, and the invocation is bounded by both', async () => {
    const silent = await stage.serve(hostileHttp(() => undefined));
    const out = await stage.run({ PROBE_AUTH_URL: silent.url }, ['--retries', '1']);
    assertNoCrash(out);
    assert.equal(out.code, 1);
    assert.equal(out.report?.verdict.code, 'LOGIN_UNAVAILABLE');
    assert.equal(out.report?.attempts?.length, 2);
    assert.ok(out.elapsedMs < 2 * TIMEOUT_MS + GRACE_MS + 1_000, `ended after ${out.elapsedMs} ms`);
  });
});
