import { trace } from '@opentelemetry/api';
import { ConnectJudge } from '../agent/connect-judge.ts';
import { WsTranscript } from '../agent/ws-transcript.ts';
import { describeRedirect } from '../net/redirect.ts';
import { serverText } from '../net/server-text.ts';
import { openWebSocket } from '../net/ws-open.ts';
import type { HopContext, HopOutcome } from './hop-contract.ts';
import { judgeInputOf } from './judge-arrival.ts';

/** Hop 4: WebSocket upgrade with the token, then the backend's verdict on it (src/agent/connect-judge.ts). */
export async function wsConnect(ctx: HopContext): Promise<HopOutcome> {
  const { config } = ctx;
  const token = ctx.state.accessToken!.reveal();
  const viaProtocol = config.wsAuth === 'subprotocol';
  // Listening from the upgrade on: the first frame can arrive in the same packet as the 101.
  const transcript = new WsTranscript();
  const opened = await openWebSocket({
    url: config.wsUrl,
    // The configured socket path (one per run, not chosen per request): as low-cardinality as a route.
    route: new URL(config.wsUrl).pathname,
    headers: viaProtocol ? {} : { Authorization: `Bearer ${token}` },
    // The server echoes the single token-bearing protocol; offering an unknown one would be a 403.
    protocols: viaProtocol ? [`jwt.${Buffer.from(token).toString('base64url')}`] : [],
    signal: ctx.signal,
    cookies: ctx.state.cookies,
    observer: transcript,
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
  ctx.state.transcript = transcript;
  const upgraded = `upgrade answered 101${opened.protocol ? ' (subprotocol echoed)' : ''}`;
  const notes = viaProtocol && !opened.protocol ? ['the server did not echo the jwt.* subprotocol'] : [];
  const span = trace.getActiveSpan();
  const judge = new ConnectJudge({ subject: ctx.state.tokenSubject });
  for (;;) {
    const { welcome, outcome } = judge.take(judgeInputOf(await frames.next(ctx.signal), span));
    if (welcome) {
      const shown = serverText(welcome.userId ?? '');
      span?.setAttribute('netra.ws.user_id', shown);
      if (outcome?.code === 'AUTH_BYPASSED') span?.setAttribute('netra.auth.bypass_user', shown);
    }
    if (!outcome) continue;
    // A failure leads with what the backend said (the verdict's sentence quotes the first line).
    const evidence =
      outcome.status === 'pass' ? [upgraded, ...notes, ...outcome.evidence] : [...outcome.evidence, upgraded, ...notes];
    return { ...outcome, evidence };
  }
}
