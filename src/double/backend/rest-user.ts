// The REST routes' user dependency: HTTPBearer, then the auth service. A rejected token is the
// route's swallowed-exception 401 "Authentication failed" (messages.py:88-93); an unreachable auth
// service or an open circuit breaker is 503, as the backend's `get_current_user` answers it.
import type { Tracer } from '@opentelemetry/api';
import type { RequestScope } from '../http/listener.ts';
import { sendDetail } from '../http/send.ts';
import { validateWithAuth } from './auth-client.ts';
import type { BackendSettings } from './backend-settings.ts';
import { httpBearer } from './http-bearer.ts';

/** The user id, or undefined after an error response has been sent. */
export async function restUser(
  scope: RequestScope,
  settings: BackendSettings,
  tracer: Tracer,
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
  else sendDetail(res, 401, 'Authentication failed');
  return undefined;
}
