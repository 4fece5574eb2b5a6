// The probe's service name as its resource says it (the SDK's env detector): OTEL_SERVICE_NAME, else service.name
// in OTEL_RESOURCE_ATTRIBUTES, else the default. Log lines carry the same name as spans and metrics.
import { resourceAttributePairs } from './sdk/check-otel-env.ts';

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SERVICE_NAME = 'golden-path-probe';

export function serviceNameFrom(env: Env): string {
  const own = env.OTEL_SERVICE_NAME?.trim();
  if (own) return own;
  // A malformed list is dropped whole by the SDK, a service.name in it included: so here too. The last one wins.
  const pairs = resourceAttributePairs(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const named = pairs?.findLast(([key]) => key === 'service.name')?.[1].trim();
  return named || DEFAULT_SERVICE_NAME;
}
