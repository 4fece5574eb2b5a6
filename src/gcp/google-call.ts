import { setTimeout as sleep } from 'node:timers/promises';
import type { Secret } from '../config/secret.ts';
import { HttpFailure, type HttpResponse, type HttpSender } from '../net/http-client.ts';
import { serverText } from '../net/server-text.ts';

export type GoogleTroubleKind =
  | 'permission'
  | 'unauthenticated'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  | 'garbage'
  | 'timeout'
  | 'network'
  | 'aborted';

/** A Google API call that gave no usable answer; `detail` is Google's own words, made fit to quote. */
export class GoogleApiError extends Error {
  readonly kind: GoogleTroubleKind;
  readonly status: number | undefined;
  readonly detail: string;
  constructor(
    kind: GoogleTroubleKind,
    message: string,
    opts: { status?: number; detail?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'GoogleApiError';
    this.kind = kind;
    this.status = opts.status;
    this.detail = opts.detail ?? '';
  }
}

export interface GoogleRequest {
  method: 'GET' | 'POST';
  url: string;
  /** The API's path template (names the span, never the project, service or revision it was called for). */
  route: string;
  token: Secret;
  json?: unknown;
  signal: AbortSignal;
}

const RETRIES = 2;
const MAX_RETRY_WAIT_MS = 2_000;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/**
 * One Google REST call: the bearer token, 429/5xx retried twice (Retry-After honoured up to 2 s), a JSON object back.
 */
export async function callGoogle(http: HttpSender, req: GoogleRequest): Promise<Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    let res: HttpResponse;
    try {
      res = await http.send({
        method: req.method,
        url: req.url,
        route: req.route,
        ...(attempt > 0 ? { resendCount: attempt } : {}),
        headers: { authorization: `Bearer ${req.token.reveal()}` },
        ...(req.json === undefined ? {} : { json: req.json }),
        signal: req.signal,
      });
    } catch (err) {
      if (err instanceof HttpFailure) throw new GoogleApiError(err.kind, err.message, { cause: err });
      throw err;
    }
    if (res.status === 200) {
      const body = res.json;
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
      throw new GoogleApiError(
        'garbage',
        `answered 200 with a body that is not a JSON object (${serverText(res.text, 60, { oneLine: true }) || 'empty'})`,
        { status: 200 },
      );
    }
    if (RETRYABLE.has(res.status) && attempt < RETRIES && !req.signal.aborted) {
      try {
        await sleep(retryWait(res, attempt), undefined, { signal: req.signal });
        continue;
      } catch {
        // The deadline came during the wait: report the last answer.
      }
    }
    throw errorFor(res);
  }
}

function retryWait(res: HttpResponse, attempt: number): number {
  const header = res.headers['retry-after'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_WAIT_MS);
  return Math.min(200 * 2 ** attempt, MAX_RETRY_WAIT_MS);
}

/** Google's error body: `{"error": {"code", "message", "status"}}`. */
function errorFor(res: HttpResponse): GoogleApiError {
  const error = (res.json as { error?: { status?: unknown; message?: unknown } } | undefined)?.error;
  const status = typeof error?.status === 'string' ? serverText(error.status, 40, { oneLine: true }) : '';
  const message = typeof error?.message === 'string' ? serverText(error.message, 160, { oneLine: true }) : '';
  const detail = [status, message].filter(Boolean).join(': ') || serverText(res.text, 80, { oneLine: true });
  const kind: GoogleTroubleKind =
    res.status === 403
      ? 'permission'
      : res.status === 401
        ? 'unauthenticated'
        : res.status === 404
          ? 'not_found'
          : res.status === 429
            ? 'rate_limited'
            : res.status >= 500
              ? 'unavailable'
              : 'garbage';
  return new GoogleApiError(kind, `answered HTTP ${res.status}${detail ? ` (${detail})` : ''}`, {
    status: res.status,
    detail,
  });
}
