import type { HttpResponse } from './http-client.ts';

/**
 * "redirect to /login (not followed)" for a 3xx, else undefined. The probe never follows redirects: the
 * configured URL must be the service itself, and a redirect is usually a proxy or sign-in page in front
 * of it. Only the target's origin and path are quoted; its query may carry state or tokens.
 */
export function describeRedirect(res: HttpResponse, from: string): string | undefined {
  if (res.status < 300 || res.status > 399) return undefined;
  const location = res.headers.location;
  const raw = Array.isArray(location) ? location[0] : location;
  let target = '(no Location header)';
  if (raw) {
    try {
      const url = new URL(raw, from);
      target = `${url.origin}${url.pathname}`;
    } catch {
      target = '(an unparseable Location)';
    }
  }
  return `redirect to ${target}, not followed: the probe's URL must point at the service itself`;
}
