import { trace } from '@opentelemetry/api';
import { agentEventOf, describeFailureFrame } from '../agent/agent-events.ts';
import { describeClose } from '../net/frame-queue.ts';
import { FrameTally } from '../net/frame-tally.ts';
import { describeRedirect } from '../net/redirect.ts';
import { serverText } from '../net/server-text.ts';
import { openWebSocket } from '../net/ws-open.ts';
import type { HopContext, HopOutcome } from '../runner/hop-types.ts';
import { isBypassUser } from './bypass-users.ts';

/** Hop 4: WebSocket upgrade with the token, then the backend's verdict on it: connection_established. */
export async function wsConnect(ctx: HopContext): Promise<HopOutcome> {
  const { config } = ctx;
  const token = ctx.state.accessToken!.reveal();
  const viaProtocol = config.wsAuth === 'subprotocol';
  const opened = await openWebSocket({
    url: config.wsUrl,
    // The configured socket path (one per run, not chosen per request): as low-cardinality as a route.
    route: new URL(config.wsUrl).pathname,
    headers: viaProtocol ? {} : { Authorization: `Bearer ${token}` },
    // The server echoes the single token-bearing protocol; offering an unknown one would be a 403.
    protocols: viaProtocol ? [`jwt.${Buffer.from(token).toString('base64url')}`] : [],
    signal: ctx.signal,
  });

  if (opened.kind === 'rejected') {
    const body = serverText(opened.body, 200, { oneLine: true });
    const redirect = describeRedirect(opened.status, opened.location, config.wsUrl);
    return {
      status: 'fail',
      code: 'WS_UPGRADE_REJECTED',
      httpStatus: opened.status,
      evidence: [
        `WebSocket upgrade to ${new URL(config.wsUrl).pathname} answered HTTP ${opened.status} instead of 101${redirect ? `: ${redirect}` : ''}${body ? `: ${JSON.stringify(body)}` : ''}`,
      ],
    };
  }
  if (opened.kind === 'failed') {
    return {
      status: 'fail',
      code: 'BACKEND_ERROR',
      evidence: [`WebSocket upgrade failed: ${opened.reason}`],
      ...(opened.network ? { network: { kind: opened.network.kind, code: opened.network.code } } : {}),
    };
  }

  const { frames } = opened;
  ctx.state.socket = opened.socket;
  ctx.state.frames = frames;
  ctx.state.transcript = opened.transcript;
  const evidence = [`upgrade answered 101${opened.protocol ? ` (subprotocol echoed)` : ''}`];
  if (viaProtocol && !opened.protocol) evidence.push('the server did not echo the jwt.* subprotocol');

  let errorFrame: string | undefined;
  const tally = new FrameTally();
  const ignored = () => {
    const line = tally.unreadable();
    if (line) evidence.push(line);
  };
  for (;;) {
    const arrival = await frames.next(ctx.signal);
    if (arrival.kind === 'aborted') {
      evidence.push(
        errorFrame ??
          `no connection_established before the deadline; the socket stayed open${tally.other ? ` and sent ${tally.other} other frames` : ' and silent'}`,
      );
      ignored();
      // Nothing was rejected: the backend never finished authenticating. Triage cannot make this a rejection.
      return { status: 'fail', code: 'WS_AUTH_FAILED', httpStatus: 101, evidence, settled: errorFrame === undefined };
    }
    if (arrival.kind === 'closed') {
      evidence.push(...describeClose(arrival, 'connection_established'));
      ignored();
      trace.getActiveSpan()?.setAttributes({
        'websocket.close.code': arrival.code,
        'websocket.close.reason': serverText(arrival.reason, 123),
      });
      if (errorFrame) evidence.unshift(errorFrame);
      const authish = arrival.code === 1008 || (errorFrame !== undefined && arrival.code === 1011);
      const unavailable = /unavailable|circuit|unreachable/i.test(`${errorFrame ?? ''} ${arrival.reason}`);
      if (arrival.error) return { status: 'fail', code: 'BACKEND_ERROR', httpStatus: 101, evidence };
      return {
        status: 'fail',
        code: unavailable ? 'BACKEND_AUTH_UNAVAILABLE' : authish ? 'WS_AUTH_FAILED' : 'BACKEND_ERROR',
        httpStatus: 101,
        evidence,
      };
    }
    const frame = arrival.frame.json as { type?: unknown; data?: { user_id?: unknown; event?: unknown } } | undefined;
    if (isConnectionEstablished(frame)) {
      const userId = typeof frame?.data?.user_id === 'string' ? frame.data.user_id : '';
      // Decided on the id as sent; quoted bounded and scrubbed: a hostile server may echo the token as the id.
      const shown = serverText(userId);
      evidence.push(`connection_established for user ${JSON.stringify(shown)}`);
      ignored();
      trace.getActiveSpan()?.setAttribute('netra.ws.user_id', shown);
      if (isBypassUser(userId)) {
        trace.getActiveSpan()?.setAttribute('netra.auth.bypass_user', shown);
        return {
          status: 'fail',
          code: 'AUTH_BYPASSED',
          httpStatus: 101,
          evidence: [
            ...evidence,
            `"${shown}" is a user the backend invents when it skips the token check (DEMO_MODE, RELAXED or E2E bypass)`,
          ],
        };
      }
      const sub = ctx.state.tokenSubject;
      if (sub && userId && !sub.startsWith(userId.replace(/\.\.\.$/, ''))) {
        evidence.push(
          `note: the token's sub begins ${JSON.stringify(sub.slice(0, 8))}, the backend named another user`,
        );
      }
      return { status: 'pass', httpStatus: 101, evidence };
    }
    const event = agentEventOf(frame);
    if (event === 'error_message') errorFrame = describeFailureFrame(event, frame);
    else tally.skip(arrival.frame);
  }
}

function isConnectionEstablished(frame: { type?: unknown; data?: { event?: unknown } } | undefined): boolean {
  if (!frame) return false;
  if (frame.type === 'connection_established') return true;
  // The 2025-09-10 backend sent it as a system_message with data.event.
  return frame.type === 'system_message' && frame.data?.event === 'connection_established';
}
