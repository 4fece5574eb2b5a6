// Response writers shaped like Starlette's: compact JSON (`separators=(",", ":")`) and plain text.
import type { ServerResponse } from 'node:http';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': payload.length });
  res.end(payload);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  const payload = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': payload.length });
  res.end(payload);
}

/** FastAPI's `HTTPException` body. */
export function sendDetail(
  res: ServerResponse,
  status: number,
  detail: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { detail }, headers);
}
