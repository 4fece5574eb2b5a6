// POST /auth/login (AR:335). A missing or non-JSON body is the generic 500, not a 422: the route
// calls `request.json()` inside a catch-all.

import type { RouteHandler } from '../http/listener.ts';
import { isPlainObject, parseJson, readBody } from '../http/read-body.ts';
import { sendDetail, sendJson } from '../http/send.ts';
import { sameSecret } from '../secrets.ts';
import type { AuthSettings } from './auth-settings.ts';
import { issueTokens } from './issue-tokens.ts';
import { takeLoginFailure } from './login-failures.ts';

/** Python truthiness, which the route's `if not email or not password` uses. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

export function login(current: () => AuthSettings): RouteHandler {
  return async ({ req, res }) => {
    const settings = current();
    if (takeLoginFailure(settings)) return sendDetail(res, 503, 'Service Unavailable');
    const parsed = parseJson(await readBody(req));
    if (!parsed.ok || !isPlainObject(parsed.value)) return sendDetail(res, 500, 'Authentication failed');
    const { email, password } = parsed.value;
    if (!truthy(email) || !truthy(password)) return sendDetail(res, 422, 'Email and password are required');
    const user = settings.user;
    const ok =
      user !== undefined &&
      typeof email === 'string' &&
      typeof password === 'string' &&
      email.toLowerCase() === user.email.toLowerCase() &&
      sameSecret(password, user.password);
    if (!ok || typeof email !== 'string') return sendDetail(res, 401, 'Invalid credentials');
    // The real route puts the request's email (not the stored one) into the tokens and the answer.
    sendJson(res, 200, { ...(await issueTokens(settings, user.id, email)), user: { id: user.id, email } });
  };
}
