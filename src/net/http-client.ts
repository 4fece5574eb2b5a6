import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Agent, errors, request } from 'undici';
import { probeTracer } from '../telemetry/tracer.ts';
import { assertNoBypassHeaders } from './bypass-headers.ts';
import { responseDetail } from './response-detail.ts';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  durationMs: number;
}

export type HttpFailureKind = 'timeout' | 'network' | 'aborted';

/** The request never produced a response. `kind` says why; the message never carries a secret. */
export class HttpFailure extends Error {
  readonly kind: HttpFailureKind;
  constructor(kind: HttpFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HttpFailure';
    this.kind = kind;
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  signal: AbortSignal;
  /** Requests to the backend must not carry headers that switch on its auth bypass. */
  toBackend?: boolean;
}

/** Keep-alive HTTP client shared by a run's requests: one CLIENT span per request, traceparent on the wire. */
export class HttpClient {
  readonly #agent = new Agent({ keepAliveTimeout: 10_000, connect: { timeout: 10_000 } });

  async send(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.json !== undefined) headers['content-type'] = 'application/json';
    if (req.toBackend) assertNoBypassHeaders(headers);

    const span = probeTracer().startSpan(`${req.method} ${url.pathname}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': req.method,
        'url.full': `${url.origin}${url.pathname}`,
        'url.template': url.pathname,
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
      },
    });
    propagation.inject(trace.setSpan(context.active(), span), headers);

    const started = performance.now();
    try {
      const res = await request(url, {
        method: req.method,
        headers,
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        signal: req.signal,
        dispatcher: this.#agent,
      });
      const text = await readLimited(res.body);
      const durationMs = performance.now() - started;
      const response: HttpResponse = { status: res.statusCode, headers: res.headers, text, json: parseJson(text), durationMs };
      recordStatus(span, res.statusCode);
      // The error's own words (FastAPI's `detail`) belong on the span that got it: error bodies carry no tokens.
      if (res.statusCode >= 400) span.setAttribute('probe.response.detail', responseDetail(response));
      return response;
    } catch (err) {
      const failure = toFailure(err, req.signal, url);
      span.setAttribute('error.type', failure.kind === 'timeout' ? 'timeout' : failure.kind === 'aborted' ? 'aborted' : errorCode(err));
      if (failure.kind !== 'aborted') span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw failure;
    } finally {
      span.end();
    }
  }

  async close(): Promise<void> {
    await this.#agent.close().catch(() => undefined);
  }
}

function recordStatus(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

async function readLimited(body: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (size >= MAX_BODY_BYTES) continue; // drain, keep the connection reusable
    const buf = Buffer.from(chunk);
    chunks.push(buf);
    size += buf.length;
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  return typeof code === 'string' ? code : 'network';
}

function toFailure(err: unknown, signal: AbortSignal, url: URL): HttpFailure {
  const where = `${url.origin}${url.pathname}`;
  if (signal.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    return reason?.name === 'TimeoutError'
      ? new HttpFailure('timeout', `${where}: no response before the deadline`, { cause: err })
      : new HttpFailure('aborted', `${where}: request aborted`, { cause: err });
  }
  if (err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError) {
    return new HttpFailure('timeout', `${where}: timed out (${errorCode(err)})`, { cause: err });
  }
  return new HttpFailure('network', `${where}: ${errorCode(err)}`, { cause: err });
}
