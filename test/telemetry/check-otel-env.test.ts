// Which signals are exported, and the OTEL_* mistakes that exit 2 instead of the SDK's silent fallback.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkOtelEnv } from '../../src/telemetry/sdk/check-otel-env.ts';

describe('checkOtelEnv', () => {
  test('nothing set: nothing exported, no problem', () => {
    assert.deepEqual(checkOtelEnv({}), { plan: { disabled: false, traces: 'none', metrics: 'none' }, problems: [] });
  });

  test('an endpoint exports both signals; a signal endpoint only its own; an exporter variable wins', () => {
    assert.deepEqual(
      checkOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).plan,
      { disabled: false, traces: 'otlp', metrics: 'otlp' },
    );
    assert.deepEqual(
      checkOtelEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).plan.metrics,
      'none',
    );
    assert.deepEqual(
      checkOtelEnv({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_METRICS_EXPORTER: 'console',
      }).plan,
      { disabled: false, traces: 'none', metrics: 'console' },
    );
    assert.deepEqual(checkOtelEnv({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).plan, {
      disabled: true,
      traces: 'none',
      metrics: 'none',
    });
  });

  test('mistakes the SDK would only whisper about are problems naming the variable', () => {
    const { problems } = checkOtelEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317 ',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc+tls',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3s',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_PROPAGATORS: 'tracecontext,xray',
      OTEL_SDK_DISABLED: 'yes',
    });
    assert.deepEqual(problems, [
      "OTEL_SDK_DISABLED: 'yes' is not supported (use true, false)",
      "OTEL_EXPORTER_OTLP_ENDPOINT: the scheme 'collector:' is not supported (use http: or https:, e.g. " +
        'http://otel-collector:4318)',
      "OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc+tls' is not supported (use grpc, http/protobuf, http/json)",
      "OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' is not supported (use gzip, none)",
      "OTEL_EXPORTER_OTLP_TIMEOUT: '3s' is not a positive whole number of milliseconds",
      "OTEL_METRICS_EXPORTER: 'prometheus' is not supported (use otlp, console, none)",
      "OTEL_TRACES_SAMPLER: 'sometimes' is not supported (use always_on, always_off, traceidratio, " +
        'parentbased_always_on, parentbased_always_off, parentbased_traceidratio)',
      "OTEL_PROPAGATORS: 'xray' is not supported (use tracecontext, baggage, b3, b3multi, none)",
    ]);
  });

  test('a ratio sampler needs a ratio; a second exporter in one variable is refused', () => {
    const { problems } = checkOtelEnv({
      OTEL_TRACES_EXPORTER: 'otlp,console',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '5',
    });
    assert.deepEqual(problems, [
      "OTEL_TRACES_EXPORTER: 'otlp,console' names several exporters; the probe exports to one (otlp, console or none)",
    ]);
    const ratio = checkOtelEnv({
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '5',
    });
    assert.deepEqual(ratio.problems, ["OTEL_TRACES_SAMPLER_ARG: '5' is not a ratio between 0 and 1"]);
  });

  test('an endpoint with credentials in a mangled URL is not echoed', () => {
    const { problems } = checkOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:s3cret@[bad' });
    assert.deepEqual(problems, [
      'OTEL_EXPORTER_OTLP_ENDPOINT: not a valid URL (expected e.g. http://otel-collector:4318, or :4317 for grpc)',
    ]);
  });
});
