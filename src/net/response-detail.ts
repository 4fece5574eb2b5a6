import { scrubSecrets } from '../config/secret.ts';
import type { HttpResponse } from './http-client.ts';

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
  if (typeof detail === 'string') return clip(detail);
  if (Array.isArray(detail) && detail.length > 0) {
    const first = detail[0] as { msg?: unknown; loc?: unknown };
    if (typeof first?.msg === 'string') return clip(`${first.msg}${Array.isArray(first.loc) ? ` (${first.loc.join('.')})` : ''}`);
  }
  // Scrubbed before whitespace is squeezed too: a secret may itself hold runs of whitespace.
  return clip(scrubSecrets(res.text).replace(/\s+/g, ' ').trim()) || '(empty body)';
}

/** `403 {"detail":"Not authenticated"}`-style evidence line. */
export function describeResponse(what: string, res: HttpResponse): string {
  return `${what} answered HTTP ${res.status}: ${JSON.stringify(responseDetail(res))}`;
}

function clip(text: string): string {
  const s = scrubSecrets(text);
  return s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s;
}
