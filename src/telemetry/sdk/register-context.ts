// Context and propagation as the plan says. With nothing exported they are all the bootstrap registers; with an
// exporter NodeSDK registers the context manager and is handed the same propagator (buildPropagator), so
// OTEL_PROPAGATORS is read once, by checkOtelEnv, and an unsupported name is one warning there, not a second one
// from the SDK's diagnostics.
import { context, propagation, type TextMapPropagator } from '@opentelemetry/api';
import type { PropagatorName } from './check-otel-env.ts';

export async function registerContext(propagators: readonly PropagatorName[]): Promise<void> {
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const propagator = await buildPropagator(propagators);
  if (propagator) propagation.setGlobalPropagator(propagator);
}

/** Undefined for none. */
export async function buildPropagator(names: readonly PropagatorName[]): Promise<TextMapPropagator | undefined> {
  if (names.length === 0) return undefined;
  const core = await import('@opentelemetry/core');
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') propagators.push(new core.W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new core.W3CBaggagePropagator());
    else {
      const { B3Propagator, B3InjectEncoding } = await import('@opentelemetry/propagator-b3');
      propagators.push(new B3Propagator(name === 'b3multi' ? { injectEncoding: B3InjectEncoding.MULTI_HEADER } : {}));
    }
  }
  return propagators.length === 1 ? propagators[0] : new core.CompositePropagator({ propagators });
}
