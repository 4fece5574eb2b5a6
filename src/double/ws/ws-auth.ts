// Main-mode WebSocket authentication, after accept (WS:771-843), in an INTERNAL span `websocket.auth`.
// Order: demo mode (no token check at all), the header bypass, the circuit breaker, then the strict
// path through the auth service. A rejection is an AUTH_FAILED frame and close 1008; an unreachable
// auth service or an open breaker closes 1011.
import type { IncomingMessage } from 'node:http';
import type { Context, Tracer } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { validateWithAuth } from '../backend/auth-client.ts';
import type { BackendSettings } from '../backend/backend-settings.ts';
import { truncatedUserId } from './frames.ts';
import { BYPASS_USER_ID, hasBypassHeader } from './header-bypass.ts';
import { extractToken } from './token-extraction.ts';

const DEMO_USER_ID = 'demo-user-001';

export type WsAuthOutcome =
  | { ok: true; userId: string; outcome: 'authenticated' | 'header_bypass' | 'demo_bypass' }
  | {
      ok: false;
      outcome: 'no_token' | 'rejected' | 'forced_failure' | 'auth_unavailable' | 'circuit_open';
      errorMessage: string;
      closeCode: 1008 | 1011;
      closeReason: string;
    };

const REJECTED = { closeCode: 1008, closeReason: 'Authentication failed' } as const;
const UNAVAILABLE = { closeCode: 1011, closeReason: 'Authentication service unavailable' } as const;

async function decide(
  req: IncomingMessage,
  offered: readonly string[],
  settings: BackendSettings,
  tracer: Tracer,
  ctx: Context,
): Promise<WsAuthOutcome> {
  const effects = settings.effects();
  const mode = effects.wsAuth;
  if (mode === 'demo') return { ok: true, userId: DEMO_USER_ID, outcome: 'demo_bypass' };
  if (hasBypassHeader(req)) return { ok: true, userId: BYPASS_USER_ID, outcome: 'header_bypass' };
  if (effects.authCircuitOpen) {
    return {
      ok: false,
      outcome: 'circuit_open',
      errorMessage: 'Authentication service unavailable (circuit breaker open)',
      ...UNAVAILABLE,
    };
  }
  const found = extractToken(req, offered);
  if (found === undefined) {
    return {
      ok: false,
      outcome: 'no_token',
      errorMessage: 'Authentication failed: No JWT token found in request',
      ...REJECTED,
    };
  }
  const check = await validateWithAuth(settings, found.token, tracer, ctx);
  if (check.kind === 'unavailable') {
    return {
      ok: false,
      outcome: 'auth_unavailable',
      errorMessage: `Authentication failed: Auth service unavailable (${check.error})`,
      ...UNAVAILABLE,
    };
  }
  if (check.kind === 'rejected') {
    return {
      ok: false,
      outcome: 'rejected',
      errorMessage: `Authentication failed: Token validation failed (${check.error})`,
      ...REJECTED,
    };
  }
  // ws_auth_failed: the auth service said valid; the WebSocket path rejects anyway.
  if (mode === 'always_fail') {
    return {
      ok: false,
      outcome: 'forced_failure',
      errorMessage: 'Authentication failed: WebSocket JWT validation failed',
      ...REJECTED,
    };
  }
  return { ok: true, userId: check.userId, outcome: 'authenticated' };
}

export async function authenticateWebSocket(
  req: IncomingMessage,
  offered: readonly string[],
  settings: BackendSettings,
  tracer: Tracer,
  parent: Context,
): Promise<WsAuthOutcome> {
  const span = tracer.startSpan('websocket.auth', { kind: SpanKind.INTERNAL }, parent);
  try {
    const result = await decide(req, offered, settings, tracer, trace.setSpan(parent, span));
    span.setAttribute('netra.auth.outcome', result.outcome);
    if (result.ok) span.setAttribute('netra.auth.user_id', truncatedUserId(result.userId));
    else {
      span.setAttribute('netra.auth.close_code', result.closeCode);
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.outcome });
    }
    return result;
  } finally {
    span.end();
  }
}
