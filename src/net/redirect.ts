/**
 * "redirect to https://host/login, not followed: …" for a 3xx, else undefined. The probe never follows
 * redirects: a token goes only to the configured host, and a redirect is usually a proxy or sign-in page
 * in front of the service. Only the target's origin and path are quoted; its query may carry state or tokens.
 */
export function describeRedirect(
  status: number,
  location: string | string[] | undefined,
  from: string,
): string | undefined {
  if (status < 300 || status > 399) return undefined;
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
