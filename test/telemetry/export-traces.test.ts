// Spans made in a child process by the real bootstrap, exported over loopback to a real OTLP/HTTP receiver
// and decoded there (protobuf with the official opentelemetry-proto definitions, or OTLP/JSON).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { startOtlpGrpcReceiver } from '../support/otlp-grpc-receiver.ts';
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runFixture } from './fixtures/run-fixture.ts';

interface EmitOut {
  problems?: string[];
  tracing: boolean;
  metrics: boolean;
  providerForDefined: boolean;
  traceId: string;
  rootSpanId: string;
  hopSpanId: string;
  clientSpanId: string;
  traceparent: string | null;
  headers: Record<string, string>;
  warnings: string[];
  shutdownMs: number;
}

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await receiver.close();
});

function byName(spans: readonly ReceivedSpan[], name: string): ReceivedSpan {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `exactly one span named ${name}; got ${spans.map((s) => s.name).join(', ')}`);
  return found[0] as ReceivedSpan;
}

/** The run's three spans, exactly as the fixture made them. */
function assertRunSpans(spans: readonly ReceivedSpan[], out: EmitOut, encoding: 'protobuf' | 'json' | 'grpc'): void {
  const root = byName(spans, 'golden_path');
  const hop = byName(spans, 'login');
  const client = byName(spans, 'POST');

  assert.match(out.traceId, /^[0-9a-f]{32}$/);
  for (const span of [root, hop, client]) {
    assert.equal(span.traceId, out.traceId);
    assert.equal(span.serviceName, 'golden-path-probe');
    assert.equal(span.scopeName, 'fixture');
    assert.equal(span.encoding, encoding);
    assert.ok(
      span.startTimeUnixNano > 0n && span.endTimeUnixNano >= span.startTimeUnixNano,
      `${span.name} has sane times`,
    );
  }

  assert.equal(root.spanId, out.rootSpanId);
  assert.equal(root.parentSpanId, '');
  assert.equal(root.kind, 'INTERNAL');
  assert.equal(root.statusCode, 'UNSET');
  assert.deepEqual(root.attributes, { 'probe.name': 'golden-path', 'probe.run_id': 'run-1' });

  assert.equal(hop.spanId, out.hopSpanId);
  assert.equal(hop.parentSpanId, root.spanId);
  assert.equal(hop.kind, 'INTERNAL');
  assert.equal(hop.statusCode, 'ERROR');

  // Parented to the hop although created after an await: the AsyncLocalStorage context manager works.
  assert.equal(client.spanId, out.clientSpanId);
  assert.equal(client.parentSpanId, hop.spanId);
  assert.equal(client.kind, 'CLIENT');
  assert.equal(client.statusCode, 'ERROR');
  assert.equal(client.statusMessage, 'HTTP 401');
  assert.deepEqual(client.attributes, {
    'http.request.method': 'POST',
    'url.full': 'http://127.0.0.1:9/auth/e2e/test-auth',
    'server.address': '127.0.0.1',
    'server.port': 9,
    'http.response.status_code': 401,
    'error.type': 'LOGIN_REJECTED',
    'probe.retry': false,
    'probe.ratio': 0.25,
  });
  assert.equal(client.events.length, 1);
  assert.equal(client.events[0]?.name, 'agent_started');
  assert.deepEqual(client.events[0]?.attributes, { 'probe.event.at_ms': 12 });

  // The W3C traceparent the request carried names the CLIENT span, sampled.
  assert.equal(out.traceparent, `00-${out.traceId}-${out.clientSpanId}-01`);
}

describe('traces over OTLP/HTTP', () => {
  test('http/protobuf (the default): names, ids, kinds, status, attributes, events and resource arrive', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,team=sre%2Cplatform',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.out.warnings, []);
    assert.equal(run.out.tracing, true);
    const spans = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    assert.equal(spans.length, 3);
    assertRunSpans(spans, run.out, 'protobuf');

    const resource = byName(spans, 'golden_path').resourceAttributes;
    assert.equal(resource['service.name'], 'golden-path-probe');
    assert.equal(resource['service.version'], '9.9.9-test');
    assert.equal(resource['deployment.environment'], 'staging');
    assert.equal(resource.team, 'sre,platform');
    assert.equal(resource['telemetry.sdk.language'], 'nodejs');

    // One batch, one request, to the signal path.
    assert.equal(receiver.requests, 1);
    assert.equal(receiver.requestLog[0]?.path, '/v1/traces');
    assert.equal(receiver.requestLog[0]?.headers['content-type'], 'application/x-protobuf');
    assert.deepEqual(receiver.errors, []);
  });

  test('http/json', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.out.warnings, []);
    const spans = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    assertRunSpans(spans, run.out, 'json');
    assert.equal(receiver.requestLog[0]?.headers['content-type'], 'application/json');
  });

  test('OTEL_EXPORTER_OTLP_HEADERS (and the per-signal form) reach the collector; the values appear nowhere else', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20collector-s3cret,x-scope-orgid=general',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-scope-orgid=probe',
    });
    assert.equal(run.code, 0, run.stderr);
    await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    const headers = receiver.requestLog[0]?.headers ?? {};
    assert.equal(headers.authorization, 'Bearer collector-s3cret');
    assert.equal(headers['x-scope-orgid'], 'probe');
    assert.ok(!run.stdout.includes('collector-s3cret') && !run.stderr.includes('collector-s3cret'));
  });

  test('OTEL_SERVICE_NAME names the probe service', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'probe-europe-west1',
    });
    assert.equal(run.code, 0, run.stderr);
    const spans = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    assert.deepEqual(new Set(spans.map((s) => s.serviceName)), new Set(['probe-europe-west1']));
  });

  test('gzip from OTEL_EXPORTER_OTLP_COMPRESSION is decoded too', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    });
    assert.equal(run.code, 0, run.stderr);
    const spans = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    assert.equal(receiver.requestLog[0]?.contentEncoding, 'gzip');
    assertRunSpans(spans, run.out, 'protobuf');
  });
});

describe('providerFor: another service in the same process', () => {
  test("the double's SERVER span arrives as netra-backend, in the probe's trace, under the CLIENT span", async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=demo',
      FIXTURE_DOUBLE: '1',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.out.providerForDefined, true);
    const spans = await receiver.waitForSpans((s) => s.length >= 4, 5_000);
    const server = byName(spans, 'POST /auth/e2e/test-auth');
    assert.equal(server.serviceName, 'netra-backend');
    assert.equal(server.kind, 'SERVER');
    assert.equal(server.scopeName, 'netra-double');
    assert.equal(server.traceId, run.out.traceId);
    assert.equal(server.parentSpanId, run.out.clientSpanId);
    // Same exporter settings and OTEL_RESOURCE_ATTRIBUTES; the probe's version is not the double's.
    assert.equal(server.resourceAttributes['deployment.environment'], 'demo');
    assert.equal(server.resourceAttributes['service.version'], undefined);
    assertRunSpans(
      spans.filter((s) => s.serviceName === 'golden-path-probe'),
      run.out,
      'protobuf',
    );
    assert.equal(receiver.requests, 1, 'both services share one batch');
  });
});

describe('console exporter', () => {
  test('writes one JSON line per span to stderr, nothing to stdout', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', { OTEL_TRACES_EXPORTER: 'console' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.out.tracing, true);
    assert.equal(run.out.metrics, false);
    assert.equal(run.stdout.trim().split('\n').length, 1, 'stdout holds only the fixture line');
    const lines = run.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.name).sort(), ['POST', 'golden_path', 'login']);
    const client = lines.find((l) => l.name === 'POST');
    assert.equal(client?.otel, 'span');
    assert.equal(client?.kind, 'CLIENT');
    assert.equal(client?.traceId, run.out.traceId);
    assert.equal(client?.parentSpanId, run.out.hopSpanId);
    assert.equal(client?.status, 'ERROR');
    assert.equal((client!.attributes as Record<string, unknown>)['http.response.status_code'], 401);
    assert.equal(receiver.requests, 0);
  });
});

describe('traces and metrics over OTLP/gRPC (a Collector sidecar on 4317)', () => {
  test('OTEL_EXPORTER_OTLP_PROTOCOL=grpc: the same spans arrive, and the metrics', async () => {
    const grpc = await startOtlpGrpcReceiver();
    try {
      const run = await runFixture<EmitOut>('emit-spans.ts', {
        OTEL_EXPORTER_OTLP_ENDPOINT: grpc.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=probe-tenant',
        FIXTURE_METRICS: '1',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.out.warnings, []);
      assertRunSpans(await grpc.waitForSpans((s) => s.length >= 3, 5_000), run.out, 'grpc');
      assert.equal(grpc.requestLog.find((r) => r.path === '/v1/traces')?.headers['x-tenant'], 'probe-tenant');
      const metrics = await grpc.waitForMetrics((m) => m.some((x) => x.name === 'probe.runs'), 5_000);
      assert.equal(metrics.find((m) => m.name === 'probe.runs')?.points[0]?.value, 1);
    } finally {
      await grpc.close();
    }
  });
});

describe('sampler and propagators, as the SDK reads them', () => {
  test('OTEL_TRACES_SAMPLER=always_off: nothing is exported, and traceparent still goes out, unsampled', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.out.tracing, true);
    // Shutdown flushed before the fixture printed: whatever was to arrive is here.
    assert.deepEqual(receiver.spans, []);
    assert.match(run.out.traceId, /^[0-9a-f]{32}$/);
    assert.equal(run.out.traceparent, `00-${run.out.traceId}-${run.out.clientSpanId}-00`);
  });

  test('OTEL_TRACES_SAMPLER=traceidratio with OTEL_TRACES_SAMPLER_ARG=1 samples every trace', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
    });
    assert.equal(run.code, 0, run.stderr);
    assertRunSpans(await receiver.waitForSpans((s) => s.length >= 3, 5_000), run.out, 'protobuf');
  });

  for (const exported of [true, false]) {
    const mode = exported ? 'exporting' : 'nothing exported';
    const endpoint = (): Record<string, string> => (exported ? { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } : {});
    test(`OTEL_PROPAGATORS=tracecontext,baggage sends both headers (${mode})`, async () => {
      const run = await runFixture<EmitOut>('emit-spans.ts', {
        ...endpoint(),
        OTEL_PROPAGATORS: 'tracecontext,baggage',
        FIXTURE_BAGGAGE: '1',
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.out.headers.traceparent, `00-${run.out.traceId}-${run.out.clientSpanId}-01`);
      assert.equal(run.out.headers.baggage, 'probe.run_id=run-1');
    });

    test(`OTEL_PROPAGATORS=b3 sends b3 and no traceparent (${mode})`, async () => {
      const run = await runFixture<EmitOut>('emit-spans.ts', { ...endpoint(), OTEL_PROPAGATORS: 'b3' });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.out.headers.traceparent, undefined);
      assert.equal(run.out.headers.b3, `${run.out.traceId}-${run.out.clientSpanId}-1`);
    });
  }
});

describe('Cloud Run resource attributes', () => {
  test('a job task names its job, execution and task, no made-up faas.instance; OTEL_RESOURCE_ATTRIBUTES wins', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      CLOUD_RUN_JOB: 'golden-probe',
      CLOUD_RUN_EXECUTION: 'golden-probe-x7k2p',
      CLOUD_RUN_TASK_INDEX: '2',
      CLOUD_RUN_TASK_ATTEMPT: '1',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,faas.name=overridden',
    });
    assert.equal(run.code, 0, run.stderr);
    const [span] = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    const r = span!.resourceAttributes;
    const names = ['cloud.provider', 'cloud.platform', 'gcp.cloud_run.job.execution', 'gcp.cloud_run.job.task_index'];
    assert.deepEqual(
      names.map((n) => r[n]),
      ['gcp', 'gcp_cloud_run', 'golden-probe-x7k2p', 2],
    );
    // The instance id is the GCP detector's (the Collector's), from the metadata server.
    assert.equal(r['faas.instance'], undefined);
    assert.match(
      String(r['service.instance.id']),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(r['faas.name'], 'overridden');
    assert.equal(r['deployment.environment'], 'staging');
    assert.equal(r['service.name'], 'golden-path-probe');
    assert.equal(r['host.name'], undefined, 'no host detector');
  });

  test('a service names its revision', async () => {
    const run = await runFixture<EmitOut>('emit-spans.ts', {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      K_SERVICE: 'golden-probe-serve',
      K_REVISION: 'golden-probe-serve-00042-abc',
    });
    assert.equal(run.code, 0, run.stderr);
    const [span] = await receiver.waitForSpans((s) => s.length >= 3, 5_000);
    assert.deepEqual(
      ['cloud.platform', 'faas.name', 'faas.version'].map((n) => span!.resourceAttributes[n]),
      ['gcp_cloud_run', 'golden-probe-serve', 'golden-probe-serve-00042-abc'],
    );
  });
});
