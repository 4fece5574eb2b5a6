// The auth service's calls to the identity provider after the browser comes back: the code exchange at
// the token endpoint (client_secret_post) and the userinfo read. Each is a CLIENT span of the auth
// service with its traceparent on the wire. Plain node:http with no agent, like the backend's auth client:
// the double must not ride on a dispatcher the probe may have installed in the same process.
import { request } from 'node:http';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Context, Tracer } from '@opentelemetry/api';
import { isPlainObject } from '../http/read-body.ts';
import { formatTraceparent } from '../telemetry/traceparent.ts';
import type { ReadyWiring } from './oauth-wiring.ts';

const CALL_TIMEOUT_MS = 5000;

interface Answer {
  status: number;
  body: unknown;
}

function send(url: URL, method: 'GET' | 'POST', headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers }, (res) => {
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
    });
    req.setTimeout(CALL_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('provider call timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

async function traced(tracer: Tracer, parent: Context, method: 'GET' | 'POST', url: URL, headers: Record<string, string>, body?: string): Promise<Answer> {
  const span = tracer.startSpan(
    `${method} ${url.pathname}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'url.full': `${url.origin}${url.pathname}`,
        'server.address': url.hostname,
        'server.port': Number(url.port),
      },
    },
    parent,
  );
  const traceparent = formatTraceparent(span.spanContext());
  try {
    const answer = await send(url, method, traceparent === undefined ? headers : { ...headers, traceparent }, body);
    span.setAttribute('http.response.status_code', answer.status);
    if (answer.status >= 400) {
      span.setAttribute('error.type', String(answer.status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return answer;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    span.setAttribute('error.type', typeof code === 'string' ? code : 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}

export type Exchange = { kind: 'ok'; accessToken: string } | { kind: 'failed'; error: string };

/** POST the token endpoint with the code; the provider's `error` (e.g. invalid_grant) when it refuses. */
export async function exchangeCode(wiring: ReadyWiring, code: string, tracer: Tracer, parent: Context): Promise<Exchange> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: wiring.redirectUri,
    client_id: wiring.clientId,
    client_secret: wiring.clientSecret,
  }).toString();
  try {
    const answer = await traced(tracer, parent, 'POST', new URL(wiring.endpoints.token), {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      accept: 'application/json',
    }, body);
    const b = answer.body;
    if (answer.status === 200 && isPlainObject(b) && typeof b['access_token'] === 'string') return { kind: 'ok', accessToken: b['access_token'] };
    return { kind: 'failed', error: isPlainObject(b) && typeof b['error'] === 'string' ? b['error'] : `http_${answer.status}` };
  } catch {
    return { kind: 'failed', error: 'provider_unreachable' };
  }
}

export interface UserInfo {
  sub: string | undefined;
  email: string | undefined;
  name: string;
}

/** GET userinfo with the provider's access token; undefined when the provider does not answer with one. */
export async function fetchUserInfo(wiring: ReadyWiring, accessToken: string, tracer: Tracer, parent: Context): Promise<UserInfo | undefined> {
  try {
    const answer = await traced(tracer, parent, 'GET', new URL(wiring.endpoints.userinfo), {
      authorization: `Bearer ${accessToken}`,
      accept: 'application/json',
    });
    const b = answer.body;
    if (answer.status !== 200 || !isPlainObject(b)) return undefined;
    const str = (k: string) => (typeof b[k] === 'string' && b[k] !== '' ? b[k] : undefined);
    return { sub: str('sub'), email: str('email'), name: str('name') ?? '' };
  } catch {
    return undefined;
  }
}
