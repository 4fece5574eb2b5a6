// OTEL_* as the specification (sdk-environment-variables) says: every value it lists for a variable is either
// followed or one warning and ignored; nonsense is one warning and ignored; nothing is a reason not to run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkOtelEnv } from '../../src/telemetry/sdk/check-otel-env.ts';
import { ExportFailureReporter } from '../../src/telemetry/sdk/export-failure-reporter.ts';
import { tracesPipeline } from '../../src/telemetry/sdk/sdk-traces.ts';
import { NONSENSE, SPEC_VALUES } from './fixtures/otel-spec-values.ts';

const ENDPOINT = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

describe('checkOtelEnv: every value the specification lists', () => {
  for (const [name, { values, unsupported }] of Object.entries(SPEC_VALUES)) {
    test(`${name}: ${values.join(', ')}`, () => {
      for (const value of values) {
        // A sampler argument matters only to a ratio sampler.
        const extra = name === 'OTEL_TRACES_SAMPLER_ARG' ? { OTEL_TRACES_SAMPLER: 'traceidratio' } : {};
        const { warnings } = checkOtelEnv({ ...ENDPOINT, ...extra, [name]: value });
        const expected = unsupported.includes(value) ? 1 : 0;
        assert.equal(warnings.length, expected, `${name}=${value}: ${JSON.stringify(warnings)}`);
        for (const w of warnings) assert.ok(w.startsWith(`${name}: `), w);
      }
    });
  }

  test('nonsense in every variable: one warning each, naming it, and a plan all the same', () => {
    const { plan, warnings } = checkOtelEnv({ ...ENDPOINT, ...NONSENSE });
    assert.deepEqual(
      warnings.map((w) => w.slice(0, w.indexOf(':'))).sort(),
      Object.keys(NONSENSE).sort(),
      JSON.stringify(warnings, null, 1),
    );
    assert.equal(plan.traces, 'otlp', 'carrier-pigeon is ignored, otlp stays');
    assert.equal(plan.metrics, 'otlp', 'statsd is ignored: the endpoint exports metrics');
    assert.equal(plan.otlp.traces?.protocol, 'http/protobuf');
    assert.equal(plan.otlp.traces?.timeoutMs, 3_000);
    assert.equal(plan.disabled, false);
    assert.deepEqual(plan.propagators, ['tracecontext']);
    assert.deepEqual(plan.sampler, { parentBased: true, root: 'always_on', ratio: 1 });
  });
});

describe('checkOtelEnv: the plan', () => {
  test('nothing set: nothing exported, W3C propagators, parent-based always_on, no warning', () => {
    const { plan, warnings } = checkOtelEnv({});
    assert.deepEqual(warnings, []);
    assert.equal(plan.traces, 'none');
    assert.equal(plan.metrics, 'none');
    assert.deepEqual(plan.propagators, ['tracecontext', 'baggage']);
    assert.deepEqual(plan.otlp, {});
  });

  test('an endpoint exports both signals to their paths; a signal endpoint only its own; an exporter variable wins', () => {
    const grpc = checkOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.deepEqual([grpc.plan.traces, grpc.plan.metrics], ['otlp', 'otlp']);
    assert.equal(grpc.plan.otlp.traces?.url, 'http://c:4317');
    const http = checkOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/base' });
    assert.equal(http.plan.otlp.metrics?.url, 'http://c:4318/base/v1/metrics');
    assert.equal(checkOtelEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).plan.metrics, 'none');
    const chosen = checkOtelEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'console',
    }).plan;
    assert.deepEqual([chosen.traces, chosen.metrics], ['none', 'console']);
    const disabled = checkOtelEnv({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' }).plan;
    assert.deepEqual([disabled.disabled, disabled.traces], [true, 'none']);
  });

  test('OTEL_TRACES_EXPORTER=zipkin with an endpoint: ignored, so OTLP to that endpoint (as if unset)', () => {
    const { plan, warnings } = checkOtelEnv({ ...ENDPOINT, OTEL_TRACES_EXPORTER: 'zipkin' });
    assert.equal(plan.traces, 'otlp');
    assert.deepEqual(warnings, [
      "OTEL_TRACES_EXPORTER: 'zipkin' is not supported by the probe (the probe uses otlp, console, none); ignored",
    ]);
  });

  test('propagators: unsupported names drop out (one warning when exporting, none when nothing is)', () => {
    const env = { OTEL_PROPAGATORS: 'tracecontext,xray,b3multi' };
    const quiet = checkOtelEnv(env);
    assert.deepEqual(quiet.warnings, []);
    assert.deepEqual(quiet.plan.propagators, ['tracecontext', 'b3multi']);
    assert.equal(checkOtelEnv({ ...ENDPOINT, ...env }).warnings.length, 1);
    assert.deepEqual(checkOtelEnv({ OTEL_PROPAGATORS: 'none' }).plan.propagators, []);
  });

  test('the sampler applies whether or not anything is exported; a bad ratio falls back to 1', () => {
    const off = checkOtelEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
    assert.deepEqual(off.plan.sampler, { parentBased: true, root: 'traceidratio', ratio: 0.1 });
    const bad = checkOtelEnv({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '5' });
    assert.deepEqual(bad.plan.sampler, { parentBased: false, root: 'traceidratio', ratio: 1 });
    assert.deepEqual(bad.warnings, [
      "OTEL_TRACES_SAMPLER_ARG: '5' is not a ratio between 0 and 1; ignored (1 is used)",
    ]);
  });

  test('timeouts: an export timeout of 0 is the flush bound; OTEL_METRIC_EXPORT_TIMEOUT is honoured', () => {
    const { plan } = checkOtelEnv({
      ...ENDPOINT,
      OTEL_EXPORTER_OTLP_TIMEOUT: '0',
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '1500',
      OTEL_METRIC_EXPORT_TIMEOUT: '2500',
    });
    assert.equal(plan.otlp.traces?.timeoutMs, 1_500);
    assert.equal(plan.otlp.metrics?.timeoutMs, 5_000);
    assert.equal(plan.metricExportTimeoutMs, 2_500);
  });

  test('an endpoint with credentials in a mangled URL is not echoed, and is ignored', () => {
    const { plan, warnings } = checkOtelEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:s3cret@[bad' });
    assert.deepEqual(warnings, [
      'OTEL_EXPORTER_OTLP_ENDPOINT: not a valid URL (expected e.g. http://otel-collector:4318, or :4317 for grpc); ' +
        'ignored',
    ]);
    assert.equal(plan.traces, 'none');
  });
});

describe('numbers warned about as ignored are ignored by the span pipeline too', () => {
  test("'1e3', '0x10', '1.5': one warning each, and neither the span limits nor the batch delay use them", async () => {
    const env = {
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '1e3',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '0x10',
      OTEL_SPAN_LINK_COUNT_LIMIT: ' 7 ',
      OTEL_BSP_SCHEDULE_DELAY: '1.5',
    };
    const { plan, warnings } = checkOtelEnv(env);
    assert.deepEqual(warnings.map((w) => w.slice(0, w.indexOf(':'))).sort(), [
      'OTEL_BSP_SCHEDULE_DELAY',
      'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
      'OTEL_SPAN_EVENT_COUNT_LIMIT',
    ]);
    const traces = tracesPipeline(plan, env, new ExportFailureReporter(() => undefined));
    try {
      assert.deepEqual(traces.spanLimits, { linkCountLimit: 7 });
      // The probe's own default delay, not 1.5 ms.
      assert.equal((traces.processor as unknown as { _scheduledDelayMillis: number })._scheduledDelayMillis, 2_000);
    } finally {
      await traces.stop();
    }
  });
});
