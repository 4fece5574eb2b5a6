// recordRunMetrics (library side, API only) exported by the real bootstrap over OTLP/HTTP and decoded by
// the receiver: names, types, attributes and values as docs/telemetry.md names them.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { recordRunMetrics } from '../../src/telemetry/metrics.ts';
import {
  type OtlpReceiver,
  type ReceivedDataPoint,
  type ReceivedMetric,
  startOtlpReceiver,
} from '../support/otlp-receiver.ts';
import { runFixture } from './fixtures/run-fixture.ts';
import { sampleReport } from './fixtures/sample-report.ts';

interface RecordOut {
  tracing: boolean;
  metrics: boolean;
  warnings: string[];
}

const NAMES = ['probe_agent_event_seconds', 'probe_hop_duration_seconds', 'probe_runs_total', 'probe_success'];

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function metric(metrics: readonly ReceivedMetric[], name: string): ReceivedMetric {
  const found = metrics.filter((m) => m.name === name);
  assert.equal(found.length, 1, `exactly one ${name}; got ${metrics.map((m) => m.name).join(', ')}`);
  return found[0] as ReceivedMetric;
}

function point(m: ReceivedMetric, key: string, value: string): ReceivedDataPoint {
  const found = m.points.filter((p) => p.attributes[key] === value);
  assert.equal(found.length, 1, `${m.name} has one point with ${key}=${value}`);
  return found[0] as ReceivedDataPoint;
}

function close(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} ≈ ${expected}`);
}

describe('run metrics over OTLP/HTTP', () => {
  test('http/protobuf: three runs (degraded, fail, pass) give the gauge, the counter and both histograms', async () => {
    const run = await runFixture<RecordOut>('record-metrics.ts', {
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/v1/metrics`,
      FIXTURE_RESULTS: 'degraded,fail,pass',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.out, { tracing: false, metrics: true, warnings: [] });
    const metrics = await receiver.waitForMetrics((m) => m.length >= 4, 5_000);
    assert.deepEqual(metrics.map((m) => m.name).sort(), NAMES);
    for (const m of metrics) {
      assert.equal(m.serviceName, 'golden-path-probe');
      assert.equal(m.scopeName, 'golden-path-probe');
      assert.equal(m.encoding, 'protobuf');
    }
    assert.equal(receiver.requestLog[0]?.path, '/v1/metrics');

    // probe_success: a gauge without labels, last value wins (the pass).
    const success = metric(metrics, 'probe_success');
    assert.equal(success.type, 'gauge');
    assert.equal(success.points.length, 1);
    assert.deepEqual(success.points[0]?.attributes, {});
    assert.equal(success.points[0]?.value, 1);

    // probe_runs_total{result}: a monotonic cumulative sum per result.
    const runs = metric(metrics, 'probe_runs_total');
    assert.equal(runs.type, 'sum');
    assert.equal(runs.isMonotonic, true);
    assert.equal(runs.temporality, 'CUMULATIVE');
    assert.deepEqual(runs.points.map((p) => [p.attributes.result, p.value]).sort(), [
      ['degraded', 1],
      ['fail', 1],
      ['pass', 1],
    ]);

    // probe_hop_duration_seconds{hop}: every hop that ran, in seconds; the skipped service.auth is absent.
    const hops = metric(metrics, 'probe_hop_duration_seconds');
    assert.equal(hops.type, 'histogram');
    assert.equal(hops.unit, 's');
    assert.deepEqual(hops.points.map((p) => p.attributes.hop).sort(), [
      'agent.run',
      'chat.messages.create',
      'chat.messages.list',
      'login',
      'token',
      'ws.connect',
    ]);
    const login = point(hops, 'hop', 'login');
    assert.equal(login.count, 3);
    close(login.sum, 3 * 0.041);
    close(login.min, 0.041);
    close(login.max, 0.041);
    assert.deepEqual(login.explicitBounds, [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60]);
    assert.equal(login.bucketCounts?.[2], 3, '0.041 s falls in (0.025, 0.05]');
    close(point(hops, 'hop', 'agent.run').max, 16.2);

    // probe_agent_event_seconds{event}: each agent event's offset from start_agent.
    const events = metric(metrics, 'probe_agent_event_seconds');
    assert.equal(events.type, 'histogram');
    assert.equal(events.unit, 's');
    const expected: Record<string, number> = {
      agent_started: 0.012,
      agent_thinking: 0.48,
      tool_executing: 2.5,
      tool_completed: 9,
      agent_completed: 16.15,
    };
    assert.deepEqual(events.points.map((p) => p.attributes.event).sort(), Object.keys(expected).sort());
    for (const [event, seconds] of Object.entries(expected)) {
      const p = point(events, 'event', event);
      assert.equal(p.count, 3);
      close(p.max, seconds);
    }
  });

  test('http/json, and probe_success is 0 for a failed run', async () => {
    const run = await runFixture<RecordOut>('record-metrics.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      FIXTURE_RESULTS: 'fail',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.out.warnings, []);
    const metrics = await receiver.waitForMetrics((m) => m.length >= 4, 5_000);
    assert.deepEqual(metrics.map((m) => m.name).sort(), NAMES);
    assert.ok(metrics.every((m) => m.encoding === 'json'));
    assert.equal(metric(metrics, 'probe_success').points[0]?.value, 0);
    assert.deepEqual(
      metric(metrics, 'probe_runs_total').points.map((p) => [p.attributes.result, p.value]),
      [['fail', 1]],
    );
    close(point(metric(metrics, 'probe_hop_duration_seconds'), 'hop', 'ws.connect').sum, 0.25);
  });

  test('an endpoint for traces only exports no metrics', async () => {
    const run = await runFixture<RecordOut>('record-metrics.ts', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.out, { tracing: true, metrics: false, warnings: [] });
    assert.equal(receiver.requestLog.filter((r) => r.path === '/v1/metrics').length, 0);
  });
});

describe('recordRunMetrics without a meter provider', () => {
  test('is a no-op through the API (metrics not exported)', () => {
    assert.doesNotThrow(() => recordRunMetrics(sampleReport()));
    assert.doesNotThrow(() => recordRunMetrics(sampleReport({ result: 'fail', hops: [] })));
  });
});
