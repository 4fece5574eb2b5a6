// Google's JSON error body (`{"error": {"code", "message", "status"}}`) and the fakes' bearer-token and role check.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/send.ts';
import { sameSecret } from '../secrets.ts';

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

export function sendGoogleError(
  res: ServerResponse,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, code, { error: { code, message, status: STATUS_TEXT[code] ?? 'UNKNOWN' } }, headers);
}

export interface GoogleAccess {
  token: string;
  /** Roles granted to the caller, e.g. roles/run.viewer. */
  roles: ReadonlySet<string>;
  /** The first N requests (all APIs together) answer 429 before anything else (quota). */
  rateLimitFirst: number;
  /** Requests seen so far, for rateLimitFirst. */
  seen: { count: number };
}

/** Token, quota and role checks, in Google's order; true when the request may go on. */
export function admit(
  req: IncomingMessage,
  res: ServerResponse,
  access: GoogleAccess,
  role: string,
  permission: string,
  resource: string,
): boolean {
  access.seen.count++;
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
  if (token === '' || !sameSecret(token, access.token)) {
    sendGoogleError(res, 401, 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
    return false;
  }
  if (access.seen.count <= access.rateLimitFirst) {
    sendGoogleError(res, 429, "Quota exceeded for quota metric 'Read requests'.", { 'retry-after': '0' });
    return false;
  }
  if (!access.roles.has(role)) {
    sendGoogleError(res, 403, `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`);
    return false;
  }
  return true;
}
