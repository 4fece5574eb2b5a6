import { context, propagation, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Agent, type Dispatcher, request } from 'undici';
import type { HttpRequestReport } from '../report/types.ts';
import { probeTracer } from '../telemetry/tracer.ts';
import { assertNoBypassHeaders } from './bypass-headers.ts';
import type { CookieJar } from './cookie-jar.ts';
import { errorTypeOf } from './error-kind.ts';
import { deadlineError, type NetworkError, networkErrorOf } from './network-error.ts';
import { RequestTimer, type RequestTiming } from './request-timing.ts';
import { responseDetail } from './response-detail.ts';
import { safeHeadOfCut } from './server-text.ts';
import { SYNTHETIC_ATTRIBUTES, USER_AGENT } from './user-agent.ts';

const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  durationMs: number;
  /** Where the time went (connection phases, first byte); absent on a response not made by HttpClient. */
  timing?: RequestTiming;
}

export type HttpFailureKind = 'timeout' | 'network' | 'aborted';

/** The request never produced a response. `kind` says why; the message never carries a secret. */
export class HttpFailure extends Error {
  readonly kind: HttpFailureKind;
  /** What kind of network error (src/net/network-error.ts), for advice; absent when the probe aborted. */
  readonly network: NetworkError | undefined;
  constructor(kind: HttpFailureKind, message: string, options?: { cause?: unknown; network?: NetworkError }) {
    super(message, options);
    this.name = 'HttpFailure';
    this.kind = kind;
    this.network = options?.network;
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  /**
   * The path as a route template (semconv url.template), e.g. '/api/chat/messages', '/api/threads/{id}',
   * '/v2/projects/{project}/locations/{location}/services/{service}': low-cardinality, so it names the span
   * (`GET /api/chat/messages`). Without one the span is named by the method alone, never by the raw path.
   */
  route?: string;
  /** A resend of the same request (a retry): 1 for the first (semconv http.request.resend_count). */
  resendCount?: number;
  headers?: Record<string, string>;
  json?: unknown;
  signal: AbortSignal;
  /** Throw (a probe bug) on a header named like the backend's auth bypass (`test`, `e2e`): backend calls, /health. */
  refuseBypassHeaders?: boolean;
  /** The run's cookies: sent to the host that set them, and what the response sets is kept. */
  cookies?: CookieJar | undefined;
}

/** One request's timing as the hop report shows it. */
export type RequestRecord = HttpRequestReport;

/** What hops and triage send requests through: the run's client, or a view of it that records timings. */
export interface HttpSender {
  send(req: HttpRequest): Promise<HttpResponse>;
}

/**
 * The run's HTTP client on one undici Agent (keep-alive, shared by every --users user): one CLIENT span
 * per request with where its time went, traceparent on the wire, redirects never followed (undici's
 * request() follows none), bodies cut at 1 MiB. Every request is bounded by its hop's AbortSignal.
 */
export class HttpClient implements HttpSender {
  readonly #timer = new RequestTimer();
  readonly #agent = new Agent({ connect: this.#timer.connector() });

  /** A view whose requests are also recorded in `into`, for the hop report, and carry the run's cookies. */
  recordingInto(into: RequestRecord[], cookies?: CookieJar): HttpSender {
    return { send: (req) => this.#send({ ...req, cookies: req.cookies ?? cookies }, into) };
  }

  send(req: HttpRequest): Promise<HttpResponse> {
    return this.#send(req, undefined);
  }

  async #send(req: HttpRequest, records: RequestRecord[] | undefined): Promise<HttpResponse> {
    const url = new URL(req.url);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT, ...req.headers };
    if (req.json !== undefined) headers['content-type'] = 'application/json';
    const cookie = req.cookies?.header(url);
    if (cookie !== undefined) headers.cookie = cookie;
    if (req.refuseBypassHeaders) assertNoBypassHeaders(headers);

    const span = probeTracer().startSpan(req.route ? `${req.method} ${req.route}` : req.method, {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': req.method,
        'url.full': `${url.origin}${url.pathname}`,
        ...(req.route ? { 'url.template': req.route } : {}),
        'server.address': url.hostname,
        'server.port': Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
        ...(req.resendCount ? { 'http.request.resend_count': req.resendCount } : {}),
        ...SYNTHETIC_ATTRIBUTES,
      },
    });
    propagation.inject(trace.setSpan(context.active(), span), headers);

    const started = performance.now();
    let answeredStatus: number | undefined;
    let answer!: Promise<Dispatcher.ResponseData>;
    const timing = this.#timer.track(() => {
      answer = request(url, {
        dispatcher: this.#agent,
        method: req.method,
        headers,
        ...(req.json === undefined ? {} : { body: JSON.stringify(req.json) }),
        signal: req.signal,
      });
    });
    const record: RequestRecord | undefined = records && { method: req.method, path: url.pathname, ...timing };
    if (record) records!.push(record);
    try {
      const res = await answer;
      answeredStatus = res.statusCode;
      req.cookies?.take(url, res.headers);
      const text = await readLimited(res.body);
      const durationMs = performance.now() - started;
      const response: HttpResponse = {
        status: res.statusCode,
        headers: res.headers,
        text,
        json: parseJson(text),
        durationMs,
        timing,
      };
      recordStatus(span, res.statusCode);
      // The error's own words (FastAPI's `detail`) belong on the span that got it: error bodies carry no tokens.
      if (res.statusCode >= 400) span.setAttribute('probe.response.detail', responseDetail(response));
      return response;
    } catch (err) {
      const failure = toFailure(err, req.signal, url, answeredStatus);
      // An answer whose body then failed keeps its status: the span says what the server answered, and why the
      // request still failed. A cancelled request is an error too (semconv: error.type set, status ERROR).
      if (answeredStatus !== undefined) span.setAttribute('http.response.status_code', answeredStatus);
      span.setAttribute('error.type', errorTypeOf(failure.network));
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      throw failure;
    } finally {
      if (record) Object.assign(record, timing, answeredStatus === undefined ? {} : { status: answeredStatus });
      recordTiming(span, timing);
      const peer = this.#timer.peerOf(timing);
      if (peer) span.setAttributes({ 'network.peer.address': peer.address, 'network.peer.port': peer.port });
      span.end();
    }
  }

  async close(): Promise<void> {
    this.#timer.close();
    await this.#agent.destroy().catch(() => undefined);
  }
}

/** semconv: a 4xx or 5xx is an error of a CLIENT span, error.type its status code, and no description. */
function recordStatus(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

function recordTiming(span: Span, timing: RequestTiming): void {
  span.setAttribute('probe.http.connection_reused', timing.reused);
  if (timing.dnsMs !== undefined) span.setAttribute('probe.http.dns_ms', timing.dnsMs);
  if (timing.connectMs !== undefined) span.setAttribute('probe.http.connect_ms', timing.connectMs);
  if (timing.tlsMs !== undefined) span.setAttribute('probe.http.tls_ms', timing.tlsMs);
  if (timing.firstByteMs !== undefined) span.setAttribute('probe.http.first_byte_ms', timing.firstByteMs);
}

/**
 * Reads at most MAX_BODY_BYTES; a longer body is cut off and its connection dropped, not drained. A cut body
 * loses its end too, where a secret cut in two would no longer be recognised (scrub, then cut: here the cut
 * cannot wait).
 */
async function readLimited(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  let cut = false;
  for await (const chunk of body) {
    const buf = Buffer.from(chunk as Buffer);
    chunks.push(buf);
    size += buf.length;
    if (size >= MAX_BODY_BYTES) {
      // undici aborts an unfinished response whose body is destroyed: the socket goes with it.
      body.destroy();
      cut = true;
      break;
    }
  }
  // undici hands a keep-alive connection back one event-loop turn after the body ends (setImmediate, in
  // case the server closes it after all); the run's next request, sent sooner, would open another.
  await new Promise(setImmediate);
  return safeHeadOfCut(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'), cut);
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
    const what =
      answeredStatus === undefined
        ? 'no response before the deadline'
        : `answered HTTP ${answeredStatus} but the body did not finish before the deadline`;
    const network = deadlineError(url, what);
    return new HttpFailure('timeout', network.text, { cause: err, network });
  }
  const network = networkErrorOf(err, url);
  const what =
    answeredStatus === undefined ? network.text : `answered HTTP ${answeredStatus}, then ${network.text} mid-body`;
  return new HttpFailure('network', `${where}: ${what}`, { cause: err, network });
}
