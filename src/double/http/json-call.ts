// One HTTP call from a double service to another (backend → auth, auth → identity provider), answer parsed
// as JSON. Plain node:http with no agent: the probe may install a global fetch dispatcher in the same
// process, and the double must not ride on it.
import { request } from 'node:http';

export interface JsonAnswer {
  status: number;
  /** The parsed body, or undefined when it was not JSON. */
  body: unknown;
}

export interface JsonCall {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Names the callee in the timeout error, e.g. 'auth'. */
  callee: string;
  signal?: AbortSignal;
}

export function callJson(url: URL, call: JsonCall): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: call.method, agent: false, headers: call.headers, ...(call.signal ? { signal: call.signal } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.setTimeout(call.timeoutMs, () =>
      req.destroy(Object.assign(new Error(`${call.callee} call timed out`), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end(call.body);
  });
}
