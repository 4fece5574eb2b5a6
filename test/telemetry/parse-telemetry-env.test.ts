import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { parseTelemetryEnv, type OtlpExport, type SignalExport } from '../../src/telemetry/sdk/index.ts';

function otlp(signal: SignalExport): OtlpExport {
  assert.equal(signal.kind, 'otlp');
  return signal as OtlpExport;
}

describe('parseTelemetryEnv: defaults (design §5)', () => {
  test('an empty environment exports nothing and has no problems', () => {
    const { config, problems } = parseTelemetryEnv({});
    assert.deepEqual(problems, []);
    assert.equal(config.disabled, false);
    assert.equal(config.serviceName, 'golden-path-probe');
    assert.deepEqual(config.resourceAttributes, {});
    assert.deepEqual(config.traces, { kind: 'none' });
    assert.deepEqual(config.metrics, { kind: 'none' });
    assert.equal(config.metricExportIntervalMs, 60_000);
  });

  test('empty strings count as unset', () => {
    const { config, problems } = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: '', OTEL_EXPORTER_OTLP_ENDPOINT: ' ', OTEL_SERVICE_NAME: '' });
    assert.deepEqual(problems, []);
    assert.deepEqual(config.traces, { kind: 'none' });
    assert.equal(config.serviceName, 'golden-path-probe');
  });

  test('an endpoint alone means otlp over http/protobuf for traces and metrics, signal paths appended', () => {
    const { config, problems } = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    assert.deepEqual(problems, []);
    const traces = otlp(config.traces);
    assert.equal(traces.url, 'http://collector:4318/v1/traces');
    assert.equal(traces.protocol, 'http/protobuf');
    assert.equal(traces.timeoutMs, 3_000);
    assert.equal(traces.headers.size, 0);
    assert.equal(otlp(config.metrics).url, 'http://collector:4318/v1/metrics');
  });

  test('the base endpoint keeps its own path, with or without a trailing slash', () => {
    for (const base of ['https://otlp.example.com/otlp', 'https://otlp.example.com/otlp/']) {
      const { config } = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: base });
      assert.equal(otlp(config.traces).url, 'https://otlp.example.com/otlp/v1/traces');
    }
  });

  test('OTEL_TRACES_EXPORTER=otlp without an endpoint goes to the specification default; metrics stay off', () => {
    const { config, problems } = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: 'otlp' });
    assert.deepEqual(problems, []);
    assert.equal(otlp(config.traces).url, 'http://localhost:4318/v1/traces');
    assert.deepEqual(config.metrics, { kind: 'none' });
  });

  test('a signal endpoint is used as-is and enables only its own signal', () => {
    const { config, problems } = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom/traces' });
    assert.deepEqual(problems, []);
    assert.equal(otlp(config.traces).url, 'http://tempo:4318/custom/traces');
    assert.deepEqual(config.metrics, { kind: 'none' });
  });

  test('OTEL_METRICS_EXPORTER=otlp exports metrics; the signal endpoint wins over the base one', () => {
    const { config } = parseTelemetryEnv({
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://mimir:4318/otlp/v1/metrics',
    });
    assert.equal(otlp(config.metrics).url, 'http://mimir:4318/otlp/v1/metrics');
    assert.equal(otlp(config.traces).url, 'http://collector:4318/v1/traces');
  });

  test('an explicit exporter variable wins over an endpoint', () => {
    const { config } = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'console' });
    assert.deepEqual(config.traces, { kind: 'none' });
    assert.deepEqual(config.metrics, { kind: 'console' });
  });

  test('exporter names are case-insensitive', () => {
    const { config, problems } = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: 'Console' });
    assert.deepEqual(problems, []);
    assert.deepEqual(config.traces, { kind: 'console' });
  });

  test('service name, resource attributes (percent-decoded) and the spec precedence between them', () => {
    const a = parseTelemetryEnv({ OTEL_SERVICE_NAME: 'probe-eu', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,team=sre%2Cplatform,note=a%20b%3Dc,service.name=ignored' });
    assert.deepEqual(a.problems, []);
    assert.equal(a.config.serviceName, 'probe-eu');
    assert.deepEqual(a.config.resourceAttributes, { 'deployment.environment': 'staging', team: 'sre,platform', note: 'a b=c', 'service.name': 'ignored' });
    const b = parseTelemetryEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes' });
    assert.equal(b.config.serviceName, 'from-attributes');
  });

  test('per-signal protocol, headers and timeout win over the general ones', () => {
    const { config, problems } = parseTelemetryEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20general,x-tenant=probe',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'authorization=Bearer%20traces',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '1000',
    });
    assert.deepEqual(problems, []);
    const traces = otlp(config.traces);
    const metrics = otlp(config.metrics);
    assert.equal(traces.protocol, 'http/json');
    assert.equal(metrics.protocol, 'http/protobuf');
    assert.deepEqual(traces.headers.entries(), { authorization: 'Bearer traces', 'x-tenant': 'probe' });
    assert.deepEqual(metrics.headers.entries(), { authorization: 'Bearer general', 'x-tenant': 'probe' });
    assert.equal(traces.timeoutMs, 2_500);
    assert.equal(metrics.timeoutMs, 1_000);
  });

  test('OTEL_SDK_DISABLED=true turns everything off, whatever else is set', () => {
    const { config, problems } = parseTelemetryEnv({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'zipkin' });
    assert.deepEqual(problems, []);
    assert.equal(config.disabled, true);
    assert.deepEqual(config.traces, { kind: 'none' });
    assert.deepEqual(config.metrics, { kind: 'none' });
  });
});

describe('parseTelemetryEnv: problems name the variable', () => {
  test('an unsupported exporter', () => {
    const { problems, config } = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_METRICS_EXPORTER: 'prometheus' });
    assert.deepEqual(problems, [
      "OTEL_TRACES_EXPORTER: 'zipkin' is not supported (use otlp, console or none)",
      "OTEL_METRICS_EXPORTER: 'prometheus' is not supported (use otlp, console or none)",
    ]);
    assert.deepEqual(config.traces, { kind: 'none' });
  });

  test('a list of exporters', () => {
    const { problems } = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: 'otlp,console' });
    assert.deepEqual(problems, ["OTEL_TRACES_EXPORTER: 'otlp,console' names several exporters; one is supported at a time (otlp, console or none)"]);
  });

  test('grpc is refused with the fix, naming whichever variable set it', () => {
    const general = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.deepEqual(general.problems, [
      "OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' is not supported; use http/protobuf (the default) or http/json, with the collector's OTLP/HTTP endpoint (port 4318, not 4317)",
    ]);
    const perSignal = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'GRPC' });
    assert.equal(perSignal.problems.length, 1);
    assert.match(perSignal.problems[0] ?? '', /^OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' is not supported; use http\/protobuf/);
  });

  test('a protocol variable that no exported signal uses is not a problem', () => {
    const { problems } = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.deepEqual(problems, []);
  });

  test('an unknown protocol', () => {
    const { problems } = parseTelemetryEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' });
    assert.deepEqual(problems, ["OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' is not supported (use http/protobuf or http/json)"]);
  });

  test('bad endpoints: not a URL (value not echoed), wrong scheme', () => {
    const a = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector-token-abc123' });
    assert.deepEqual(a.problems, ['OTEL_EXPORTER_OTLP_ENDPOINT: not a valid URL (expected e.g. http://otel-collector:4318)']);
    const b = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'ftp://collector/v1/traces' });
    assert.deepEqual(b.problems, ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the scheme 'ftp:' is not supported (use http: or https:, e.g. http://otel-collector:4318)"]);
  });

  test('a bad boolean and bad durations', () => {
    const { problems } = parseTelemetryEnv({
      OTEL_SDK_DISABLED: 'yes',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3s',
      OTEL_METRIC_EXPORT_INTERVAL: '0',
    });
    assert.deepEqual(problems, [
      "OTEL_SDK_DISABLED: 'yes' is not a boolean (use true or false)",
      "OTEL_EXPORTER_OTLP_TIMEOUT: '3s' is not a positive whole number of milliseconds",
      "OTEL_METRIC_EXPORT_INTERVAL: '0' is not a positive whole number of milliseconds",
    ]);
  });

  test('bad resource attributes are all reported', () => {
    const { problems } = parseTelemetryEnv({ OTEL_RESOURCE_ATTRIBUTES: 'team=sre,broken,=x,pct=100%' });
    assert.deepEqual(problems, [
      "OTEL_RESOURCE_ATTRIBUTES: entry 2 has no '=' (expected key=value,key=value)",
      'OTEL_RESOURCE_ATTRIBUTES: entry 3 has an empty key',
      "OTEL_RESOURCE_ATTRIBUTES: the value of 'pct' is not valid percent-encoding (write % as %25)",
    ]);
  });

  test('every problem is collected in one pass', () => {
    const { problems } = parseTelemetryEnv({
      OTEL_TRACES_EXPORTER: 'jaeger',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_RESOURCE_ATTRIBUTES: 'nokey',
    });
    assert.equal(problems.length, 3);
    assert.ok(problems.some((p) => p.startsWith('OTEL_TRACES_EXPORTER:')));
    assert.ok(problems.some((p) => p.startsWith('OTEL_EXPORTER_OTLP_PROTOCOL:')));
    assert.ok(problems.some((p) => p.startsWith('OTEL_RESOURCE_ATTRIBUTES:')));
  });
});

describe('parseTelemetryEnv: header values are secrets', () => {
  const SECRET = 's3cr3t-Value';

  test('problems name the entry or key, never a value', () => {
    const { problems } = parseTelemetryEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${SECRET},${SECRET},x-api-key=${SECRET}%zz,bad key=${SECRET},x-multi=${SECRET}%0Aevil`,
    });
    assert.deepEqual(problems, [
      "OTEL_EXPORTER_OTLP_HEADERS: entry 2 has no '=' (expected key=value,key=value; values are not shown because they may be secrets)",
      "OTEL_EXPORTER_OTLP_HEADERS: the value of 'x-api-key' is not valid percent-encoding (write % as %25)",
      'OTEL_EXPORTER_OTLP_HEADERS: the key of entry 4 is not a valid HTTP header name',
      "OTEL_EXPORTER_OTLP_HEADERS: the value of 'x-multi' contains a line break or NUL, which HTTP headers cannot carry",
    ]);
    for (const p of problems) assert.ok(!p.includes(SECRET), p);
  });

  test('the parsed config does not show header values through JSON, inspect or string conversion', () => {
    const { config } = parseTelemetryEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${SECRET}` });
    const traces = otlp(config.traces);
    assert.equal(traces.headers.entries().authorization, `Bearer ${SECRET}`);
    for (const shown of [JSON.stringify(config), inspect(config, { depth: 10 }), `${traces.headers}`]) {
      assert.ok(!shown.includes(SECRET), shown);
      assert.ok(shown.includes('authorization'), shown);
    }
  });
});
