// W3C Trace Context (traceparent + tracestate) on the API alone. @opentelemetry/core has one, but loading
// core costs ~12 ms per start (bench/startup-tracing.mjs), which a probe started every minute pays even
// with export off; this is the whole of what it needs to do.
import { TraceFlags, createTraceState, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';
// version-traceid-parentid-flags; versions above 00 may append fields after a dash.
const TRACEPARENT_SHAPE = /^\s?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/;

export class W3CTraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(context);
    if (sc === undefined || !isSpanContextValid(sc)) return;
    const flags = (sc.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
    setter.set(carrier, TRACEPARENT, `00-${sc.traceId}-${sc.spanId}-${flags}`);
    const state = sc.traceState?.serialize();
    if (state) setter.set(carrier, TRACESTATE, state);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = first(getter.get(carrier, TRACEPARENT));
    if (header === undefined) return context;
    const m = TRACEPARENT_SHAPE.exec(header);
    if (m === null) return context;
    const [, version, traceId, spanId, flags, rest] = m;
    if (version === undefined || traceId === undefined || spanId === undefined || flags === undefined) return context;
    if (version === 'ff' || (version === '00' && rest !== undefined)) return context;
    const sc = { traceId, spanId, traceFlags: Number.parseInt(flags, 16), isRemote: true };
    if (!isSpanContextValid(sc)) return context;
    const state = getter.get(carrier, TRACESTATE);
    const joined = Array.isArray(state) ? state.join(',') : state;
    return trace.setSpanContext(context, joined ? { ...sc, traceState: createTraceState(joined) } : sc);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
