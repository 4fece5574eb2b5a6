// The tracer for one of the double's services. Without a provider the double makes no spans: it must
// not fall back to the global provider, which in `demo` mode belongs to the probe (wrong service.name).

import type { Tracer, TracerProvider } from '@opentelemetry/api';
import { ProxyTracerProvider } from '@opentelemetry/api';

const TRACER_NAME = 'netra-double';

export function tracerFrom(provider: TracerProvider | undefined): Tracer {
  // A ProxyTracerProvider with no delegate hands out no-op tracers, independent of the global one.
  return (provider ?? new ProxyTracerProvider()).getTracer(TRACER_NAME);
}
