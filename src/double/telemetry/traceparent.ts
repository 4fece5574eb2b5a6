// W3C Trace Context through @opentelemetry/core's propagator, called directly rather than through the
// global one: the double may share a process with the probe, whose global OpenTelemetry setup is not ours.

import type { Context, SpanContext } from '@opentelemetry/api';
import { defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

const propagator = new W3CTraceContextPropagator();

/** The context a SERVER span should start in: the caller's span when it sent a valid traceparent. */
export function remoteParentContext(header: string | string[] | undefined): Context {
  if (header === undefined) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, { traceparent: header }, defaultTextMapGetter);
}

/** The traceparent (and tracestate) headers of an outgoing call; none for an invalid span context. */
export function traceHeaders(sc: SpanContext): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, sc), carrier, defaultTextMapSetter);
  return carrier;
}
