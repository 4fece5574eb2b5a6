// Loaded only through import() (start-tracing.ts, start-metrics.ts): it pulls in @opentelemetry/resources.
// The resource is built from attributes only: no detectors, so no host/cloud look-ups at start-up.
import { SDK_INFO } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { TelemetryConfig } from './telemetry-config.ts';

/**
 * `serviceVersion` applies to the probe's own service only; OTEL_RESOURCE_ATTRIBUTES may override it,
 * never the service name.
 */
export function serviceResource(config: TelemetryConfig, serviceName: string, serviceVersion?: string): Resource {
  return resourceFromAttributes({
    ...SDK_INFO,
    ...(serviceVersion === undefined ? {} : { 'service.version': serviceVersion }),
    ...config.resourceAttributes,
    'service.name': serviceName,
  });
}
