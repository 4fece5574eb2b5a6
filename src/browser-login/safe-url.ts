import { serverText } from '../net/server-text.ts';

// URLs as the report may show them. The OAuth flow carries secrets in query strings (`code`, `state`,
// and on the frontend's /auth/callback the Netra `access_token` and `refresh_token`), so a URL keeps
// its origin and path, and only the query parameters that explain a failure.
const EXPLAINING_PARAMS = ['error', 'error_description', 'provider'];

/** Path segments this long are ids (interaction uids, session ids): shortened so evidence stays readable. */
const ID_SEGMENT = /^[A-Za-z0-9_-]{20,}$/;

export function safeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(unparseable URL)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol}//${url.host}${url.pathname}`;
  const kept = new URLSearchParams();
  for (const name of EXPLAINING_PARAMS) {
    const v = url.searchParams.get(name);
    if (v !== null) kept.set(name, serverText(v));
  }
  const query = kept.size > 0 ? `?${kept.toString()}` : '';
  return `${url.origin}${url.pathname}${query}`;
}

/** The path with id-like segments replaced by `{id}`: for span names and the page trail. */
export function pathTemplate(raw: string): string {
  try {
    return new URL(raw).pathname
      .split('/')
      .map((s) => (ID_SEGMENT.test(s) ? '{id}' : s))
      .join('/');
  } catch {
    return '/';
  }
}
