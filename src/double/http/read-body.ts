// Reads a request body whole; the double only takes small JSON bodies, so a cap stops a runaway client.
import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1_000_000;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export type JsonParse = { ok: true; value: unknown } | { ok: false; position: number };

/** `json.loads` semantics: an empty body is a decode error too (the auth routes rely on that). */
export function parseJson(body: Buffer): JsonParse {
  const text = body.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    return { ok: false, position: m?.[1] !== undefined ? Number(m[1]) : 0 };
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
