import type { HttpResponse } from './http-client.ts';
import { responseDetail } from './response-detail.ts';

/**
 * `with text/html, not JSON: "<html>…"` when a 200 did not carry JSON, else undefined. Such an answer
 * comes from something in front of the service (a proxy, a sign-in page, a catch-all frontend route).
 */
export function notJson(res: HttpResponse): string | undefined {
  if (res.json !== undefined && typeof res.json === 'object' && res.json !== null) return undefined;
  const type = res.headers['content-type'];
  const named = typeof type === 'string' && type !== '' ? (type.split(';')[0] ?? type).trim() : 'no content type';
  return `with ${named}, not JSON: ${JSON.stringify(responseDetail(res))}`;
}
