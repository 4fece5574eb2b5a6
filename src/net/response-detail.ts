import type { HttpResponse } from './http-client.ts';
import { serverText } from './server-text.ts';

const MAX_DETAIL = 200;

/**
 * The human part of an error response: FastAPI's `detail` (string, or the first validation message),
 * else the start of the body. Error responses should carry no tokens, but a hostile or buggy server may
 * echo the request (bypass key, password, Authorization header): every known secret is taken out before
 * the text is clipped, so no clipped part of one survives either.
 */
export function responseDetail(res: HttpResponse): string {
  const body = res.json as { detail?: unknown } | undefined;
  const detail = body && typeof body === 'object' ? body.detail : undefined;
  if (typeof detail === 'string') return serverText(detail, MAX_DETAIL);
  if (Array.isArray(detail) && detail.length > 0) {
    const first = detail[0] as { msg?: unknown; loc?: unknown };
    if (typeof first?.msg === 'string')
      return serverText(`${first.msg}${Array.isArray(first.loc) ? ` (${first.loc.join('.')})` : ''}`, MAX_DETAIL);
  }
  return serverText(res.text, MAX_DETAIL, { oneLine: true }) || '(empty body)';
}

/** `403 {"detail":"Not authenticated"}`-style evidence line. */
export function describeResponse(what: string, res: HttpResponse): string {
  return `${what} answered HTTP ${res.status}: ${JSON.stringify(responseDetail(res))}`;
}
