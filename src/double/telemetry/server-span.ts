// SERVER spans for the double's HTTP requests and WebSocket upgrades (stable HTTP semantic conventions).

import type { Context, Span, Tracer } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { remoteParentContext } from './traceparent.ts';

export interface ServerSpanInput {
  method: string;
  path: string;
  /** The matched route template; undefined for a 404 (semconv then names the span by method alone). */
  route: string | undefined;
  port: number;
  traceparent: string | string[] | undefined;
}

export interface ServerSpan {
  span: Span;
  /** Context holding the span, for its children. */
  ctx: Context;
}

export function startServerSpan(tracer: Tracer, input: ServerSpanInput): ServerSpan {
  const parent = remoteParentContext(input.traceparent);
  const span = tracer.startSpan(
    input.route === undefined ? input.method : `${input.method} ${input.route}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': input.method,
        'url.path': input.path,
        'url.scheme': 'http',
        'server.port': input.port,
        ...(input.route === undefined ? {} : { 'http.route': input.route }),
      },
    },
    parent,
  );
  return { span, ctx: trace.setSpan(parent, span) };
}

/** `status` 0 means no response was sent (reset or aborted): an error with its own `error.type`. */
export function endServerSpan(span: Span, status: number, errorType?: string): void {
  if (status > 0) span.setAttribute('http.response.status_code', status);
  if (status === 0 || status >= 500) {
    span.setAttribute('error.type', errorType ?? (status === 0 ? 'connection_closed' : String(status)));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
