// POST /auth/validate (AR:755): always HTTP 200, the verdict is in the body. Order as in the route:
// body, token presence, service headers (only when both are sent), then the token itself.

import type { RouteHandler } from '../http/listener.ts';
import { isPlainObject, parseJson, readBody } from '../http/read-body.ts';
import { sendJson } from '../http/send.ts';
import { sameSecret } from '../secrets.ts';
import { naiveIsoFromEpochSeconds } from '../time.ts';
import type { AuthSettings } from './auth-settings.ts';
import { verifyAccessToken } from './tokens.ts';

function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  return 'object';
}

function header(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export function validate(current: () => AuthSettings): RouteHandler {
  return async ({ req, res }) => {
    const settings = current();
    const invalid = (error: string, message: string) => sendJson(res, 200, { valid: false, error, message });
    const parsed = parseJson(await readBody(req));
    if (!parsed.ok) return invalid('invalid_request', 'Invalid request format');
    const body = parsed.value;
    if (!isPlainObject(body)) {
      return invalid('validation_error', `'${pyTypeName(body)}' object has no attribute 'get'`);
    }
    const token = body.token;
    if (token === undefined || token === null || token === '') return invalid('missing_token', 'Token is required');

    const serviceId = header(req.headers['x-service-id']);
    const serviceSecret = header(req.headers['x-service-secret']);
    if (serviceId !== '' && serviceSecret !== '') {
      if (settings.serviceSecret === '') {
        return invalid('service_not_configured', 'Service authentication not properly configured');
      }
      if (serviceId !== settings.expectedServiceId) {
        return invalid(
          'invalid_service_id',
          `Invalid service ID. Expected '${settings.expectedServiceId}', got '${serviceId}'`,
        );
      }
      if (!sameSecret(serviceSecret, settings.serviceSecret)) {
        return invalid('invalid_service_secret', 'Invalid service secret');
      }
    }

    const valid = typeof token === 'string' ? await verifyAccessToken(token, settings.verifyingSecret) : undefined;
    if (valid === undefined) return invalid('invalid_token', 'Invalid or expired token');
    sendJson(res, 200, {
      valid: true,
      user_id: valid.userId,
      email: valid.email,
      permissions: valid.permissions,
      expires_at: naiveIsoFromEpochSeconds(valid.exp),
    });
  };
}
