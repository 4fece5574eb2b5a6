// A URL as it may appear in a warning: no user:password, query or fragment, where tokens tend to hide.
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
