// With nothing exported, a run still gets real trace ids and sends traceparent, and the bootstrap loads no
// SDK package: only the AsyncLocalStorage context manager and @opentelemetry/core (its W3C propagator).
// Start-up is paid on every cron run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runFixture } from './fixtures/run-fixture.ts';

interface LoadedOut {
  warnings: string[];
  tracing: boolean;
  metrics: boolean;
  packages: string[];
  rootTraceId: string;
  childTraceId: string;
  childSpanId: string;
  recording: boolean;
  traceparent: string | null;
}

describe('export off (no endpoint, no exporter variable)', () => {
  test('real, parented trace ids and a sampled traceparent; only api, core, context-async-hooks load', async () => {
    const run = await runFixture<LoadedOut>('loaded-packages.ts', {});
    assert.equal(run.code, 0, run.stderr);
    const out = run.out;
    assert.deepEqual(out.warnings, []);
    assert.equal(out.tracing, false);
    assert.equal(out.metrics, false);
    // (core's own import: the semantic-conventions constants.)
    const loaded = ['api', 'context-async-hooks', 'core', 'semantic-conventions'].map((p) => `@opentelemetry/${p}`);
    assert.deepEqual(out.packages, loaded);
    assert.match(out.rootTraceId, /^[0-9a-f]{32}$/);
    assert.notEqual(out.rootTraceId, '0'.repeat(32));
    assert.equal(out.childTraceId, out.rootTraceId, 'the child joined the active root across an await');
    assert.equal(out.recording, false, 'nothing is recorded');
    assert.equal(out.traceparent, `00-${out.rootTraceId}-${out.childSpanId}-01`);
  });

  test('OTEL_SDK_DISABLED=true registers nothing at all: no ids, no traceparent', async () => {
    const run = await runFixture<LoadedOut>('loaded-packages.ts', { OTEL_SDK_DISABLED: 'true' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.out.packages, ['@opentelemetry/api']);
    assert.equal(run.out.rootTraceId, '0'.repeat(32));
    assert.equal(run.out.traceparent, null);
  });
});

describe('export on', () => {
  test('loads NodeSDK (the SDK the design names), and no instrumentation or cloud resource detector package', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const run = await runFixture<LoadedOut>('loaded-packages.ts', {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.out.tracing, true);
      assert.equal(run.out.metrics, false);
      assert.equal(run.out.recording, true);
      const loaded = new Set(run.out.packages);
      for (const pkg of ['sdk-node', 'sdk-trace', 'exporter-trace-otlp-proto', 'resources']) {
        assert.ok(loaded.has(`@opentelemetry/${pkg}`), pkg);
      }
      // NodeSDK registers no instrumentation unless given one, and the probe names its detectors: none asks a
      // metadata server (those live in @opentelemetry/resource-detector-*, which is not even installed).
      for (const pkg of run.out.packages) assert.doesNotMatch(pkg, /instrumentation-|resource-detector/, pkg);
      await receiver.waitForSpans((s) => s.length >= 2, 5_000);
    } finally {
      await receiver.close();
    }
  });
});
