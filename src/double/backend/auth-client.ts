// The backend's call to POST {AUTH_SERVICE_URL}/auth/validate (docs/netra-protocol-notes.md §8): every token is
// delegated, never verified locally. A CLIENT span wraps the call and its traceparent goes on the wire,
// so the auth service's SERVER span joins the caller's trace.

import type { Context, Tracer } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { callJson, type JsonAnswer as RawAnswer } from '../http/json-call.ts';
import { isPlainObject } from '../http/read-body.ts';
import { traceHeaders } from '../telemetry/traceparent.ts';
import type { BackendSettings } from './backend-settings.ts';

/** AUTH_CIRCUIT_CALL_TIMEOUT default. */
const CALL_TIMEOUT_MS = 3000;

export type AuthCheck =
  | { kind: 'valid'; userId: string; email: string | null; permissions: string[] }
  | { kind: 'rejected'; error: string }
  | { kind: 'unavailable'; error: string };

function interpret(answer: RawAnswer): AuthCheck {
  const b = answer.body;
  if (answer.status >= 500 || answer.status === 0) return { kind: 'unavailable', error: 'auth_service_unreachable' };
  if (answer.status !== 200 || !isPlainObject(b)) return { kind: 'rejected', error: 'token_rejected' };
  if (b.valid === true && typeof b.user_id === 'string') {
    const email = b.email;
    const perms = b.permissions;
    return {
      kind: 'valid',
      userId: b.user_id,
      email: typeof email === 'string' ? email : null,
      permissions: Array.isArray(perms) ? perms.filter((p): p is string => typeof p === 'string') : [],
    };
  }
  return { kind: 'rejected', error: typeof b.error === 'string' ? b.error : 'token_rejected' };
}

export async function validateWithAuth(
  settings: BackendSettings,
  token: string,
  tracer: Tracer,
  parent: Context,
): Promise<AuthCheck> {
  const url = new URL('/auth/validate', settings.authUrl);
  const span = tracer.startSpan(
    'POST /auth/validate',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': 'POST',
        'url.full': url.href,
        'server.address': url.hostname,
        'server.port': Number(url.port),
      },
    },
    parent,
  );
  const body = JSON.stringify({ token, token_type: 'access' });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-service-id': settings.effects().sendsServiceId ? settings.serviceId.trim() : '',
    'x-service-secret': settings.serviceSecret.trim(),
    ...traceHeaders(span.spanContext()),
  };
  try {
    const answer = await callJson(url, {
      method: 'POST',
      headers,
      body,
      timeoutMs: CALL_TIMEOUT_MS,
      callee: 'auth',
      signal: settings.lifetime,
    });
    const check = interpret(answer);
    span.setAttribute('http.response.status_code', answer.status);
    span.setAttribute('netra.auth.valid', check.kind === 'valid');
    if (check.kind !== 'valid') span.setAttribute('netra.auth.error', check.error);
    if (answer.status >= 400) {
      span.setAttribute('error.type', String(answer.status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    return check;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    span.setAttribute('error.type', typeof code === 'string' ? code : 'Error');
    span.setAttribute('netra.auth.valid', false);
    span.setAttribute('netra.auth.error', 'auth_service_unreachable');
    span.setStatus({ code: SpanStatusCode.ERROR });
    return { kind: 'unavailable', error: 'auth_service_unreachable' };
  } finally {
    span.end();
  }
}
