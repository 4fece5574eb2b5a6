// The REST routes' user dependency: HTTPBearer, then the auth service. A rejected token is, on the chat
// routes, the swallowed-exception 401 "Authentication failed" (messages.py:88-93); on the threads routes,
// get_current_user's 401 "Invalid or expired token" with WWW-Authenticate: Bearer (auth_integration/auth.py:
// 219-223). An unreachable auth service or an open circuit breaker is 503 on both (auth.py:296-299).
import type { Tracer } from '@opentelemetry/api';
import type { RequestScope } from '../http/listener.ts';
import { sendDetail } from '../http/send.ts';
import { validateWithAuth } from './auth-client.ts';
import type { BackendSettings } from './backend-settings.ts';
import { httpBearer } from './http-bearer.ts';

/** How a route's user dependency answers a token the auth service rejected. */
export interface Rejection {
  detail: string;
  headers: Record<string, string>;
}

export const CHAT_REJECTION: Rejection = { detail: 'Authentication failed', headers: {} };
export const THREADS_REJECTION: Rejection = {
  detail: 'Invalid or expired token',
  headers: { 'www-authenticate': 'Bearer' },
};

/** The user id, or undefined after an error response has been sent. */
export async function restUser(
  scope: RequestScope,
  settings: BackendSettings,
  tracer: Tracer,
  rejection: Rejection = CHAT_REJECTION,
): Promise<string | undefined> {
  const { req, res } = scope;
  const auth = req.headers.authorization;
  const bearer = httpBearer(Array.isArray(auth) ? auth[0] : auth);
  if (!bearer.ok) {
    sendDetail(res, bearer.status, bearer.detail);
    return undefined;
  }
  if (settings.effects().authCircuitOpen) {
    sendDetail(res, 503, 'Authentication service temporarily unavailable');
    return undefined;
  }
  const check = await validateWithAuth(settings, bearer.token, tracer, scope.ctx);
  if (check.kind === 'valid') return check.userId;
  if (check.kind === 'unavailable') sendDetail(res, 503, 'Authentication service temporarily unavailable');
  else sendDetail(res, 401, rejection.detail, rejection.headers);
  return undefined;
}
