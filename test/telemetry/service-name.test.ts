// The log lines' service name is the one the SDK's env detector puts on spans and metrics: the SDK itself is the
// oracle, for well-formed lists, repeated keys and lists it drops whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectResources, envDetector } from '@opentelemetry/resources';
import { DEFAULT_SERVICE_NAME, serviceNameFrom } from '../../src/telemetry/service-name.ts';

const LISTS = [
  ' service.name = my%20probe ,team=sre',
  'team=sre',
  'service.name=a,service.name=b',
  'service.name=,service.name=b',
  'service.name=x,just-a-word',
  'just-a-word,service.name=x',
  'a=%ZZ,service.name=x',
  'service.name=x,=y',
];

test('OTEL_RESOURCE_ATTRIBUTES: the same service.name as the SDK resource, malformed lists dropped whole', () => {
  const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
  try {
    for (const list of LISTS) {
      process.env.OTEL_RESOURCE_ATTRIBUTES = list;
      const sdk = detectResources({ detectors: [envDetector] }).attributes['service.name'];
      assert.equal(serviceNameFrom({ OTEL_RESOURCE_ATTRIBUTES: list }), sdk ?? DEFAULT_SERVICE_NAME, list);
    }
  } finally {
    if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
    else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
  }
  assert.equal(serviceNameFrom({ OTEL_SERVICE_NAME: ' own ', OTEL_RESOURCE_ATTRIBUTES: 'service.name=x' }), 'own');
});
