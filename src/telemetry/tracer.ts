import { type Context, context, type Span, type SpanOptions, type Tracer, trace } from '@opentelemetry/api';
import { tieToSecretScope } from '../config/secret.ts';

type SpanFn = (span: Span) => unknown;
type SpanArgs<F> = [F] | [SpanOptions, F] | [SpanOptions, Context, F];

/**
 * Every span started here is tied to the secret scope of the run that started it: the exporter scrubs it
 * later, from a timer, outside the run, and must still know that run's tokens.
 */
class ScopedTracer implements Tracer {
  readonly #inner: Tracer;

  constructor(inner: Tracer) {
    this.#inner = inner;
  }

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span {
    const span = this.#inner.startSpan(name, options, ctx);
    tieToSecretScope(span.spanContext());
    return span;
  }

  startActiveSpan<F extends SpanFn>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends SpanFn>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends SpanFn>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends SpanFn>(name: string, ...rest: SpanArgs<F>): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    const parent = rest.length > 2 ? (rest[1] as Context) : context.active();
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

// Library code uses the API only; the CLI decides whether a real SDK sits behind it.
export function probeTracer(): Tracer {
  return new ScopedTracer(trace.getTracer('golden-path-probe', '0.1.0'));
}
