// The variables the probe settled are hidden from the SDK only while it is built: every value comes back, on
// success and on a throw, and a variable that was unset stays unset.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withSettledOtelEnvHidden } from '../../src/telemetry/sdk/hide-settled-otel-env.ts';

test('settled OTEL_* are hidden while building, and restored after, even when building throws', () => {
  const env: NodeJS.ProcessEnv = {
    OTEL_LOG_LEVEL: 'loud',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
    OTEL_SPAN_LINK_COUNT_LIMIT: '-1',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=kept',
  };
  const before = { ...env };
  const seen = withSettledOtelEnvHidden(() => ({ ...env }), env);
  // Only what the probe does not read is left for the libraries.
  assert.deepEqual(seen, { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=kept' });
  assert.deepEqual(env, before);

  assert.throws(
    () =>
      withSettledOtelEnvHidden(() => {
        assert.equal(env.OTEL_LOG_LEVEL, undefined);
        throw new Error('exporter refused its options');
      }, env),
    /exporter refused/,
  );
  assert.deepEqual(env, before);
  assert.ok(!('OTEL_SDK_DISABLED' in env), 'an unset variable is not created');
});
