import type { HttpResponse } from './http-client.ts';
import { responseDetail } from './response-detail.ts';

/**
 * `with text/html, not JSON: "<html>…"` when a 200 did not carry JSON, else undefined. Such an answer
 * comes from something in front of the service (a proxy, a sign-in page, a catch-all frontend route).
 * `quote: false` gives only the type and size, for answers that might carry a token in some other form.
 */
export function notJson(res: HttpResponse, { quote = true }: { quote?: boolean } = {}): string | undefined {
  if (res.json !== undefined && typeof res.json === 'object' && res.json !== null) return undefined;
  const type = res.headers['content-type'];
  const named = typeof type === 'string' && type !== '' ? (type.split(';')[0] ?? type).trim() : 'no content type';
  if (!quote) return `with ${named} (${Buffer.byteLength(res.text)} bytes), not JSON`;
  return `with ${named}, not JSON: ${JSON.stringify(responseDetail(res))}`;
}
