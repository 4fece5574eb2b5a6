// The tracer provider registered when traces are not exported: spans record nothing and cost next to nothing,
// but each has a real W3C trace id and span id under its parent, sampled as OTEL_TRACES_SAMPLER says. So a run still reports a traceId,
// its logs carry trace_id/span_id, and its requests send a traceparent that the backend's own (exported)
// spans join. The SDK's TracerProvider with no processor would do the same for ~23 ms more start-up per run
// (bench/startup-tracing.mjs); this uses the API alone.

import type { Context, Span, SpanOptions, Tracer, TracerProvider } from '@opentelemetry/api';
import { context, isSpanContextValid, TraceFlags, trace } from '@opentelemetry/api';
import type { SamplerPlan } from './check-otel-env.ts';
import { sampleNewTrace } from './sampling.ts';

const DEFAULT_SAMPLER: SamplerPlan = { parentBased: true, root: 'always_on', ratio: 1 };

export class IdOnlyTracerProvider implements TracerProvider {
  readonly #tracer: IdOnlyTracer;

  constructor(sampler: SamplerPlan = DEFAULT_SAMPLER) {
    this.#tracer = new IdOnlyTracer(sampler);
  }

  getTracer(): Tracer {
    return this.#tracer;
  }
}

class IdOnlyTracer implements Tracer {
  readonly #sampler: SamplerPlan;

  constructor(sampler: SamplerPlan) {
    this.#sampler = sampler;
  }

  startSpan(_name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    const parent = options?.root ? undefined : trace.getSpanContext(ctx);
    const valid = parent !== undefined && isSpanContextValid(parent);
    const traceId = valid ? parent.traceId : randomHex(16);
    // parentbased_*: follow the parent's decision; otherwise (and for a new trace) the sampler decides.
    const sampled =
      valid && this.#sampler.parentBased
        ? (parent.traceFlags & TraceFlags.SAMPLED) !== 0
        : sampleNewTrace(this.#sampler, traceId);
    return trace.wrapSpanContext({
      traceId,
      spanId: randomHex(8),
      traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      ...(valid && parent.traceState ? { traceState: parent.traceState } : {}),
    });
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    ctx: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    a: F | SpanOptions,
    b?: F | Context,
    c?: F,
  ): ReturnType<F> {
    const fn = (typeof a === 'function' ? a : typeof b === 'function' ? b : c) as F;
    const options = typeof a === 'function' ? undefined : a;
    const parent = typeof b === 'function' || b === undefined ? context.active() : b;
    const span = this.startSpan(name, options, parent);
    return context.with(trace.setSpan(parent, span), fn as (span: Span) => ReturnType<F>, undefined, span);
  }
}

/** Random lowercase hex of `bytes` bytes, never all zeros (an all-zero id is invalid). */
function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  do crypto.getRandomValues(buf);
  while (buf.every((b) => b === 0));
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}
