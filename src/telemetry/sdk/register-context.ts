// Context and propagation when nothing is exported (with export, NodeSDK registers both): the probe relies
// on context.with/startActiveSpan to parent its spans across awaits, and on the propagator for traceparent.
import { context, propagation, type TextMapPropagator } from '@opentelemetry/api';

type Env = Readonly<Record<string, string | undefined>>;

export async function registerContext(env: Env): Promise<void> {
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const propagator = await propagatorFromEnv(env);
  if (propagator) propagation.setGlobalPropagator(propagator);
}

/** OTEL_PROPAGATORS as the SDK reads it (checkOtelEnv refused unknown names); default tracecontext,baggage. */
async function propagatorFromEnv(env: Env): Promise<TextMapPropagator | undefined> {
  const listed = (env.OTEL_PROPAGATORS ?? '').split(',').map((n) => n.trim().toLowerCase());
  const names = [...new Set(listed.filter(Boolean))];
  const wanted = names.length === 0 ? ['tracecontext', 'baggage'] : names;
  if (wanted.includes('none')) return undefined;
  const core = await import('@opentelemetry/core');
  const propagators: TextMapPropagator[] = [];
  for (const name of wanted) {
    if (name === 'tracecontext') propagators.push(new core.W3CTraceContextPropagator());
    else if (name === 'baggage') propagators.push(new core.W3CBaggagePropagator());
    else if (name === 'b3' || name === 'b3multi') {
      const { B3Propagator, B3InjectEncoding } = await import('@opentelemetry/propagator-b3');
      propagators.push(new B3Propagator(name === 'b3multi' ? { injectEncoding: B3InjectEncoding.MULTI_HEADER } : {}));
    }
  }
  return propagators.length === 1 ? propagators[0] : new core.CompositePropagator({ propagators });
}
