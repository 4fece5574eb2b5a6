import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../support/run-cli.ts';

describe('log lines correlate with the trace', () => {
  it("carry trace_id/span_id and Cloud Logging's trace fields in the projects/P/traces/ID form", async () => {
    const out = await runCli(['demo', '--no-gcp', '--log-level', 'info', '--fault', 'rest_403'], {
      env: { GOOGLE_CLOUD_PROJECT: 'netra-staging', OTEL_SERVICE_NAME: 'probe-europe-west1' },
    });
    const traceId = out.report!.traceId!;
    assert.match(traceId, /^[0-9a-f]{32}$/);
    const lines = out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const hopLines = lines.filter((l) => typeof l.hop === 'string');
    assert.equal(hopLines.length, 8);
    for (const line of hopLines) {
      assert.equal(line.trace_id, traceId);
      assert.match(String(line.span_id), /^[0-9a-f]{16}$/);
      assert.equal(line['logging.googleapis.com/trace'], `projects/netra-staging/traces/${traceId}`);
      assert.equal(line['logging.googleapis.com/spanId'], line.span_id);
      assert.equal(line.trace_flags, '01', 'sampled (parentbased_always_on)');
      // The resource's service name, as on the spans.
      assert.equal(line.service, 'probe-europe-west1');
    }
    const failed = hopLines.find((l) => l.hop === 'chat.messages.list')!;
    assert.equal(failed.severity, 'ERROR');
    assert.equal(hopLines.find((l) => l.hop === 'login')!.severity, 'INFO');
    const summary = lines.find((l) => l.verdict === 'BACKEND_REJECTS_VALID_TOKEN' && l.result === 'fail');
    assert.ok(summary, 'one summary line with the verdict');
    assert.equal(summary.trace_id, traceId);
  });
});

describe('without a project, and with a sampler', () => {
  it('no logging.googleapis.com/trace without a project; the ids-only tracer follows OTEL_TRACES_SAMPLER', async () => {
    const out = await runCli(['demo', '--no-gcp', '--log-level', 'info'], {
      env: { OTEL_TRACES_SAMPLER: 'always_off' },
    });
    assert.equal(out.code, 0, out.stderr);
    const hopLines = out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => typeof l.hop === 'string');
    assert.equal(hopLines.length, 8);
    for (const line of hopLines) {
      assert.equal(line.trace_id, out.report!.traceId);
      assert.equal(line['logging.googleapis.com/trace'], undefined);
      assert.equal(line['logging.googleapis.com/trace_sampled'], undefined);
      assert.equal(line.trace_flags, '00', 'always_off: not sampled, also with nothing exported');
      assert.equal(line.service, 'golden-path-probe');
    }
  });
});
