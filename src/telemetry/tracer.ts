import { trace, type Tracer } from '@opentelemetry/api';

// Library code uses the API only; the CLI decides whether a real SDK sits behind it.
export function probeTracer(): Tracer {
  return trace.getTracer('golden-path-probe', '0.1.0');
}
