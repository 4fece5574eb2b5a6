import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import WebSocket from 'ws';
import { probeTracer } from '../telemetry/tracer.ts';
import { cutAt } from '../text/control-chars.ts';
import { assertNoBypassHeaders } from './bypass-headers.ts';
import type { CookieJar } from './cookie-jar.ts';
import { errorTypeOf } from './error-kind.ts';
import { FrameQueue, MAX_FRAME_BYTES, type SocketObserver } from './frame-queue.ts';
import { deadlineError, type NetworkError, networkErrorOf } from './network-error.ts';
import { safeHeadOfCut, scrubServerText } from './server-text.ts';
import { SYNTHETIC_ATTRIBUTES, USER_AGENT } from './user-agent.ts';

export type WsOpenResult =
  | { kind: 'open'; socket: WebSocket; frames: FrameQueue; protocol: string }
  | { kind: 'rejected'; status: number; body: string; location?: string }
  | { kind: 'failed'; reason: string; network?: NetworkError };

export interface WsOpenRequest {
  url: string;
  /** The socket's route template (semconv url.template): names the span `GET {route}`, else `GET` alone. */
  route?: string;
  headers: Record<string, string>;
  protocols: string[];
  signal: AbortSignal;
  /** Sees every frame from the upgrade on (the run's transcript). */
  observer?: SocketObserver | undefined;
  /** The run's cookies: the upgrade carries them (the load balancer pins the socket too) and keeps what the 101 sets. */
  cookies?: CookieJar | undefined;
}

/** What the rejected upgrade's body is cut to, after it is scrubbed. */
const MAX_BODY = 2048;
/** What is read of it (then the connection goes): far more than is kept, so the cut that scrubbing needs is not the one kept. */
const READ_BODY = 64 * 1024;

/**
 * The WebSocket upgrade as a CLIENT span: traceparent goes in the upgrade headers (there is no ws
 * instrumentation), and the upgrade's HTTP status is recorded, including a 403 seen as an
 * unexpected response.
 */
export function openWebSocket(req: WsOpenRequest): Promise<WsOpenResult> {
  const url = new URL(req.url);
  const span = probeTracer().startSpan(req.route ? `GET ${req.route}` : 'GET', {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'GET',
      'url.full': `${url.origin}${url.pathname}`,
      ...(req.route ? { 'url.template': req.route } : {}),
      'server.address': url.hostname,
      'server.port': Number(url.port || (url.protocol === 'wss:' ? 443 : 80)),
      // The upgrade is an HTTP/1.1 request; the WebSocket is what it asks for.
      'network.protocol.name': 'http',
      'network.protocol.version': '1.1',
      ...SYNTHETIC_ATTRIBUTES,
    },
  });
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...req.headers };
  const cookie = req.cookies?.header(url);
  if (cookie !== undefined) headers.cookie = cookie;
  assertNoBypassHeaders(headers);
  propagation.inject(trace.setSpan(context.active(), span), headers);

  return new Promise<WsOpenResult>((resolve) => {
    let settled = false;
    const finish = (result: WsOpenResult, status?: number) => {
      if (settled) return;
      settled = true;
      req.signal.removeEventListener('abort', onAbort);
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (result.kind === 'rejected') {
        // The status code says it all (semconv: no description for an HTTP status error).
        span.setAttribute('error.type', String(result.status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      } else if (result.kind === 'failed') {
        span.setAttribute('error.type', errorTypeOf(result.network));
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.reason });
      }
      span.end();
      resolve(result);
    };
    let peerNoted = false;
    const notePeer = (s: { remoteAddress?: string | undefined; remotePort?: number | undefined } | null) => {
      if (peerNoted || !s?.remoteAddress || !s.remotePort) return;
      peerNoted = true;
      span.setAttributes({ 'network.peer.address': s.remoteAddress, 'network.peer.port': s.remotePort });
    };

    const socket = new WebSocket(req.url, req.protocols, {
      headers,
      perMessageDeflate: false,
      followRedirects: false,
      maxPayload: MAX_FRAME_BYTES,
    });
    // Listen before 'open': the first frame can arrive in the same packet as the 101.
    const frames = new FrameQueue(socket, req.observer);
    const onAbort = () => {
      socket.terminate();
      const timedOut = (req.signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
      const network = timedOut ? deadlineError(url, 'no upgrade before the deadline') : undefined;
      // A stop is no network error (error.type `aborted`) and no deadline either: said as HTTP says it.
      const reason = timedOut ? 'no upgrade before the deadline' : 'upgrade aborted';
      finish({ kind: 'failed', reason, ...(network ? { network } : {}) });
    };
    req.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('upgrade', (res) => req.cookies?.take(url, res.headers));

    socket.once('upgrade', (res) => notePeer(res.socket));
    socket.once('open', () => {
      req.observer?.opened(performance.now());
      finish({ kind: 'open', socket, frames, protocol: socket.protocol }, 101);
    });
    socket.once('unexpected-response', (request, res) => {
      notePeer(res.socket);
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < READ_BODY) chunks.push(chunk);
        size += chunk.length;
      });
      const done = () => {
        request.destroy();
        const rejected: WsOpenResult = {
          kind: 'rejected',
          status: res.statusCode ?? 0,
          // Scrubbed, then cut: a secret across the 2048th character is taken out whole.
          body: cutAt(
            scrubServerText(
              safeHeadOfCut(Buffer.concat(chunks).subarray(0, READ_BODY).toString('utf8'), size > READ_BODY),
            ),
            MAX_BODY,
          ),
        };
        if (typeof res.headers.location === 'string') rejected.location = res.headers.location;
        finish(rejected, res.statusCode);
      };
      res.once('end', done);
      res.once('error', done);
      res.once('close', done);
    });
    socket.once('error', (err) => {
      // The same description as HTTP's (src/net/network-error.ts); ws's own message can quote the server.
      const network = networkErrorOf(err, url);
      finish({ kind: 'failed', reason: network.text, network });
    });
  });
}
