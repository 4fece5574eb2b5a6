// POST /auth/e2e/test-auth (AR:526): key first, then the body; body fields are echoed in `user`.

import type { RouteHandler } from '../http/listener.ts';
import { isPlainObject, parseJson, readBody } from '../http/read-body.ts';
import { sendDetail, sendJson } from '../http/send.ts';
import { sameSecret } from '../secrets.ts';
import type { AuthSettings } from './auth-settings.ts';
import { issueTokens } from './issue-tokens.ts';
import { takeLoginFailure } from './login-failures.ts';

const DEFAULT_EMAIL = 'e2e-test@staging.netrasystems.ai';

export function e2eTestAuth(current: () => AuthSettings): RouteHandler {
  return async ({ req, res }) => {
    const settings = current();
    if (takeLoginFailure(settings)) return sendDetail(res, 503, 'Service Unavailable');
    const header = req.headers['x-e2e-bypass-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key === undefined || key === '') return sendDetail(res, 401, 'E2E bypass key required');
    if (!sameSecret(key, settings.e2eKey)) return sendDetail(res, 401, 'Invalid E2E bypass key');

    const parsed = parseJson(await readBody(req));
    if (!parsed.ok) return sendDetail(res, 422, 'Invalid JSON body');
    const body = parsed.value;
    // `body.get(...)` on a non-dict, or `.split` on a non-string email, lands in the route's generic 500.
    if (!isPlainObject(body)) return sendDetail(res, 500, 'Failed to generate E2E test tokens');
    // `dict.get(key, default)`: the default applies only when the key is absent, not when it is null.
    const field = (name: string, fallback: unknown) => (name in body ? body[name] : fallback);
    const email = field('email', DEFAULT_EMAIL);
    if (typeof email !== 'string') return sendDetail(res, 500, 'Failed to generate E2E test tokens');
    const userId = `e2e-${email.split('@')[0] ?? ''}`;
    // The real route's defaults for permissions and simulate_oauth; they are echoed, never put in the JWT.
    sendJson(res, 200, {
      ...(await issueTokens(settings, userId, email)),
      user: {
        id: userId,
        email,
        name: field('name', 'E2E Test User'),
        permissions: field('permissions', ['read', 'write']),
        oauth_simulated: field('simulate_oauth', true),
      },
    });
  };
}
