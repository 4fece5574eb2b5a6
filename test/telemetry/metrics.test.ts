// recordRunMetrics (library side, API only) exported by the real bootstrap over OTLP/HTTP and decoded by
// the receiver: names, types, attributes and values as docs/telemetry.md names them.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ServeMetrics } from '../../src/serve/serve-metrics.ts';
import { PROBE_METRICS, prometheusName, SERVE_METRICS } from '../../src/telemetry/metric-definitions.ts';
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

const NAMES = ['probe.agent.time_to_event', 'probe.hop.duration', 'probe.runs', 'probe.success'];

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

    // probe.success: a gauge without labels, last value wins (the pass).
    const success = metric(metrics, 'probe.success');
    assert.equal(success.type, 'gauge');
    assert.equal(success.points.length, 1);
    assert.deepEqual(success.points[0]?.attributes, {});
    assert.equal(success.points[0]?.value, 1);

    // probe.runs{result}: a monotonic cumulative sum per result.
    const runs = metric(metrics, 'probe.runs');
    assert.equal(runs.type, 'sum');
    assert.equal(runs.isMonotonic, true);
    assert.equal(runs.unit, '{run}');
    assert.equal(runs.temporality, 'CUMULATIVE');
    assert.deepEqual(runs.points.map((p) => [p.attributes.result, p.value]).sort(), [
      ['degraded', 1],
      ['fail', 1],
      ['pass', 1],
    ]);

    // probe.hop.duration{hop}: every hop that ran, in seconds; the skipped service.auth is absent.
    const hops = metric(metrics, 'probe.hop.duration');
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
    assert.deepEqual(
      login.explicitBounds,
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 90, 120, 150, 180],
      "up to the run's 180 s deadline: a healthy real agent run (85 s recorded) is not +Inf",
    );
    assert.equal(login.bucketCounts?.[2], 3, '0.041 s falls in (0.025, 0.05]');
    close(point(hops, 'hop', 'agent.run').max, 16.2);

    // probe.agent.time_to_event{event}: each agent event's offset from start_agent.
    const events = metric(metrics, 'probe.agent.time_to_event');
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

  test('http/json, and probe.success is 0 for a failed run', async () => {
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
    assert.equal(metric(metrics, 'probe.success').points[0]?.value, 0);
    assert.deepEqual(
      metric(metrics, 'probe.runs').points.map((p) => [p.attributes.result, p.value]),
      [['fail', 1]],
    );
    close(point(metric(metrics, 'probe.hop.duration'), 'hop', 'ws.connect').sum, 0.25);
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

describe("metric names: the OpenTelemetry conventions, and one set of names with serve's /metrics", () => {
  test('OTel names have no _total and no unit in them; the Prometheus names follow the translation', () => {
    const all = [...Object.values(PROBE_METRICS), ...Object.values(SERVE_METRICS)];
    for (const def of all) {
      assert.doesNotMatch(def.name, /_total$|_seconds$|_ms$|_bytes$/, def.name);
      assert.match(def.name, /^probe\.[a-z_.]+$/, def.name);
    }
    assert.deepEqual(
      Object.values(PROBE_METRICS).map((d) => [d.name, prometheusName(d)]),
      [
        ['probe.success', 'probe_success'],
        ['probe.runs', 'probe_runs_total'],
        ['probe.hop.duration', 'probe_hop_duration_seconds'],
        ['probe.agent.time_to_event', 'probe_agent_time_to_event_seconds'],
      ],
    );
    assert.equal(prometheusName({ name: 'x.ratio', kind: 'gauge', unit: '1' }), 'x_ratio');
    assert.equal(prometheusName({ name: 'x.size', kind: 'histogram', unit: 'By' }), 'x_size_bytes');
  });

  test("serve's GET /metrics shows exactly the derived names (and prom-client's process metrics)", async () => {
    const text = await new ServeMetrics(3, [undefined]).render();
    const names = new Set(
      [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!).filter((n) => n.startsWith('probe_')),
    );
    const expected = [...Object.values(PROBE_METRICS), ...Object.values(SERVE_METRICS)].map(prometheusName);
    assert.deepEqual([...names].sort(), expected.sort());
  });
});
