import type { Secret } from '../config/secret.ts';
import type { VerdictCode } from '../domain/verdict-codes.ts';
import { HttpFailure, type HttpSender } from './http-client.ts';
import type { NetworkError } from './network-error.ts';
import { describeResponse } from './response-detail.ts';
import { serverText } from './server-text.ts';

export interface ValidateAnswer {
  /** HTTP status; the real service always answers 200 and puts the outcome in the body. */
  status: number;
  valid: boolean;
  error: string | null;
  message: string | null;
}

/** No usable answer: a sentence saying why, and the kind of network error when none came at all. */
export interface ValidateFailure {
  failure: string;
  network?: NetworkError;
}

export interface ValidateRequest {
  http: HttpSender;
  authUrl: string;
  token: Secret;
  /** Both are sent or neither: the auth service checks them only when both are present. */
  service?: { id: string; secret: Secret };
  signal: AbortSignal;
}

/**
 * POST /auth/validate (docs/netra-protocol-notes.md §1c).
 * Returns the answer, or why there is none.
 */
export async function askAuthToValidate(req: ValidateRequest): Promise<ValidateAnswer | ValidateFailure> {
  const headers: Record<string, string> = {};
  if (req.service) {
    headers['X-Service-ID'] = req.service.id;
    headers['X-Service-Secret'] = req.service.secret.reveal();
  }
  try {
    const res = await req.http.send({
      method: 'POST',
      url: `${req.authUrl}/auth/validate`,
      route: '/auth/validate',
      headers,
      json: { token: req.token.reveal(), token_type: 'access' },
      signal: req.signal,
    });
    const body = res.json as { valid?: unknown; error?: unknown; message?: unknown } | undefined;
    if (res.status !== 200 || typeof body?.valid !== 'boolean') {
      return { failure: describeResponse('POST /auth/validate', res) };
    }
    return {
      status: res.status,
      valid: body.valid,
      error: typeof body.error === 'string' ? serverText(body.error, 80) : null,
      message: typeof body.message === 'string' ? serverText(body.message) : null,
    };
  } catch (err) {
    if (err instanceof HttpFailure) {
      const failure = `POST /auth/validate got no answer: ${err.message}`;
      return err.network ? { failure, network: err.network } : { failure };
    }
    throw err;
  }
}

/** The verdict an invalid answer proves, by the auth service's `error` string. */
export function codeForValidateError(error: string | null): VerdictCode {
  switch (error) {
    case 'invalid_service_secret':
      return 'SERVICE_SECRET_MISMATCH';
    case 'invalid_service_id':
      return 'SERVICE_ID_INVALID';
    case 'service_not_configured':
      return 'SERVICE_AUTH_NOT_CONFIGURED';
    default:
      return 'TOKEN_REJECTED_BY_AUTH';
  }
}

export function describeAnswer(label: string, answer: ValidateAnswer): string {
  return answer.valid
    ? `${label}: valid`
    : `${label}: valid=false, error=${answer.error ?? 'null'}${answer.message ? ` (${answer.message})` : ''}`;
}
