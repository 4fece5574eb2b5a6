import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { probeTracer } from '../telemetry/tracer.ts';
import { assertNoBypassHeaders } from './bypass-headers.ts';
import { describeNetworkError, errorCode } from './network-error.ts';
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

/**
 * Keep-alive HTTP client shared by a run's requests: one CLIENT span per request, traceparent on the wire.
 * Built on node:http/https (which ws loads anyway), not undici: measured with `npm run bench`, undici's
 * 110 modules cost a cron run 29 ms of start-up and ~30 MiB of peak RSS. Every request is bounded by its
 * hop's AbortSignal (hop budget, run deadline, stop).
 */
export class HttpClient {
  readonly #http = new HttpAgent({ keepAlive: true });
  readonly #https = new HttpsAgent({ keepAlive: true });

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
    let answeredStatus: number | undefined;
    try {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const tls = url.protocol === 'https:';
        const body = req.json === undefined ? undefined : JSON.stringify(req.json);
        const sent = (tls ? httpsRequest : httpRequest)(url, { method: req.method, headers, signal: req.signal, agent: tls ? this.#https : this.#http }, resolve);
        sent.once('error', reject);
        sent.end(body);
      });
      const status = res.statusCode ?? 0;
      answeredStatus = status;
      const text = await readLimited(res);
      const durationMs = performance.now() - started;
      const response: HttpResponse = { status, headers: res.headers, text, json: parseJson(text), durationMs };
      recordStatus(span, status);
      // The error's own words (FastAPI's `detail`) belong on the span that got it: error bodies carry no tokens.
      if (status >= 400) span.setAttribute('probe.response.detail', responseDetail(response));
      return response;
    } catch (err) {
      const failure = toFailure(err, req.signal, url, answeredStatus);
      span.setAttribute('error.type', failure.kind === 'timeout' ? 'timeout' : failure.kind === 'aborted' ? 'aborted' : errorCode(err));
      if (failure.kind !== 'aborted') span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw failure;
    } finally {
      span.end();
    }
  }

  async close(): Promise<void> {
    this.#http.destroy();
    this.#https.destroy();
  }
}

function recordStatus(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** Reads at most MAX_BODY_BYTES; a longer body is cut off and its connection dropped, not drained. */
async function readLimited(body: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.from(chunk as Buffer);
    chunks.push(buf);
    size += buf.length;
    if (size >= MAX_BODY_BYTES) {
      body.destroy();
      break;
    }
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

function toFailure(err: unknown, signal: AbortSignal, url: URL, answeredStatus: number | undefined): HttpFailure {
  const where = `${url.origin}${url.pathname}`;
  if (signal.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    if (reason?.name !== 'TimeoutError') return new HttpFailure('aborted', `${where}: request aborted`, { cause: err });
    const what = answeredStatus === undefined ? 'no response before the deadline' : `answered HTTP ${answeredStatus} but the body did not finish before the deadline`;
    return new HttpFailure('timeout', `${where}: ${what}`, { cause: err });
  }
  const what = answeredStatus === undefined ? describeNetworkError(err, url) : `answered HTTP ${answeredStatus}, then ${describeNetworkError(err, url)} mid-body`;
  return new HttpFailure('network', `${where}: ${what}`, { cause: err });
}
