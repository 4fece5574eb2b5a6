// The auth service's calls to the identity provider after the browser comes back: the code exchange at
// the token endpoint (client_secret_post) and the userinfo read. Each is a CLIENT span of the auth
// service with its traceparent on the wire.

import type { Context, Tracer } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type JsonAnswer as Answer, callJson } from '../http/json-call.ts';
import { isPlainObject } from '../http/read-body.ts';
import { traceHeaders } from '../telemetry/traceparent.ts';
import type { ReadyWiring } from './oauth-wiring.ts';

const CALL_TIMEOUT_MS = 5000;

async function traced(
  tracer: Tracer,
  parent: Context,
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
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
  try {
    const answer = await callJson(url, {
      method,
      headers: { ...headers, ...traceHeaders(span.spanContext()) },
      ...(body === undefined ? {} : { body }),
      timeoutMs: CALL_TIMEOUT_MS,
      callee: 'provider',
    });
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
export async function exchangeCode(
  wiring: ReadyWiring,
  code: string,
  tracer: Tracer,
  parent: Context,
): Promise<Exchange> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: wiring.redirectUri,
    client_id: wiring.clientId,
    client_secret: wiring.clientSecret,
  }).toString();
  try {
    const answer = await traced(
      tracer,
      parent,
      'POST',
      new URL(wiring.endpoints.token),
      {
        'content-type': 'application/x-www-form-urlencoded',
        'content-length': String(Buffer.byteLength(body)),
        accept: 'application/json',
      },
      body,
    );
    const b = answer.body;
    if (answer.status === 200 && isPlainObject(b) && typeof b.access_token === 'string')
      return { kind: 'ok', accessToken: b.access_token };
    return {
      kind: 'failed',
      error: isPlainObject(b) && typeof b.error === 'string' ? b.error : `http_${answer.status}`,
    };
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
export async function fetchUserInfo(
  wiring: ReadyWiring,
  accessToken: string,
  tracer: Tracer,
  parent: Context,
): Promise<UserInfo | undefined> {
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
