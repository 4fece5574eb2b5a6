// HTML pages for the double's browser-facing servers (identity provider, frontend): escaped text and one
// page shell, with an empty favicon so a browser asks for nothing the test did not cause.
import type { ServerResponse } from 'node:http';

export function escapeHtml(s: string): string {
  return s
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A page: `title` is plain text (escaped here), `body` is HTML the caller has already escaped. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 28rem; margin: 3rem auto; padding: 0 1rem; color: #202124; }
  label { display: block; margin: 1rem 0 .25rem; }
  input { width: 100%; padding: .5rem; font-size: 1rem; box-sizing: border-box; }
  button, .button { margin-top: 1.25rem; padding: .5rem 1.25rem; font-size: 1rem; }
  [role="alert"] { color: #d93025; }
  .actions { display: flex; gap: 1rem; }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(html, 'utf8');
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': payload.length,
    'cache-control': 'no-store',
  });
  res.end(payload);
}

export function redirect(res: ServerResponse, status: 302 | 303, location: string): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}
