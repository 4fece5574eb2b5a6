// Context and propagation, registered whether or not anything is exported: the probe relies on
// context.with/startActiveSpan to parent its spans across awaits, and on the propagator for traceparent.
import { context, propagation } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from './w3c-trace-context-propagator.ts';

export async function registerContext(): Promise<void> {
  // ~1 ms: the package is one small file over node:async_hooks.
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}
