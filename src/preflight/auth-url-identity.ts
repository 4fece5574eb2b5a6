import { HttpFailure, type HttpSender } from '../net/http-client.ts';
import { serverText } from '../net/server-text.ts';

/**
 * What the backend's AUTH_SERVICE_URL is, as far as it can be proven from where the probe runs. Only `mismatch`
 * is a finding: a custom domain or load balancer in front of the auth service (staging's backend has
 * AUTH_SERVICE_URL=https://auth.staging.netrasystems.ai, netra-protocol §9) is the auth service unless shown
 * otherwise, and one the probe cannot ask is a note, not drift.
 */
export type AuthUrlIdentity =
  | { kind: 'auth'; how: string }
  | { kind: 'mismatch'; why: string }
  | { kind: 'unconfirmed'; note: string };

export interface AuthUrlQuestion {
  /** The backend's AUTH_SERVICE_URL; undefined when not set. */
  value: string | undefined;
  /** URLs that are the auth service: the probe's own --auth-url and the auth service's Cloud Run URLs. */
  known: readonly string[];
  /** Whether the auth service's own Cloud Run URLs were read (else a run.app URL proves nothing). */
  authServiceRead: boolean;
  /** The backend's own Cloud Run URLs, to name that mistake. */
  backendUrls: readonly string[];
  environment: string;
  http: HttpSender;
  signal: AbortSignal;
}

/**
 * The backend's fallback when AUTH_SERVICE_URL is unset (netra-protocol §8: the auth client's default base URL).
 */
export const CODE_DEFAULT_AUTH_URL = 'http://localhost:8081';
/** Long enough for a load balancer's cold path; the pre-flight must not hold the run back. */
const HEALTH_TIMEOUT_MS = 3_000;

export const normalUrl = (u: string): string => {
  try {
    const url = new URL(u);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`.toLowerCase();
  } catch {
    return u.trim().replace(/\/+$/, '').toLowerCase();
  }
};

const hostOf = (u: string): string => {
  try {
    return new URL(u).hostname.toLowerCase();
  } catch {
    return '';
  }
};

export async function identifyAuthUrl(q: AuthUrlQuestion): Promise<AuthUrlIdentity> {
  if (q.value === undefined || q.value.trim() === '')
    return { kind: 'mismatch', why: `is not set (the backend then calls ${CODE_DEFAULT_AUTH_URL})` };
  const shown = q.value.slice(0, 120);
  const value = normalUrl(q.value);
  if (q.known.some((u) => normalUrl(u) === value)) return { kind: 'auth', how: `${shown} is the auth service's URL` };
  if (value === normalUrl(CODE_DEFAULT_AUTH_URL))
    return { kind: 'mismatch', why: `is ${shown}, the code's default for an unset one (nothing listens there)` };
  if (q.backendUrls.some((u) => normalUrl(u) === value))
    return { kind: 'mismatch', why: `is ${shown}, the backend's own URL` };
  // A run.app host names exactly one Cloud Run service; with the auth service's own URLs read, any other is
  // another service.
  if (q.authServiceRead && hostOf(q.value).endsWith('.run.app'))
    return { kind: 'mismatch', why: `is ${shown}, another Cloud Run service's run.app URL` };
  return askHealth(q, shown);
}

/** A custom domain or load balancer: its /health must answer as the auth service of the same environment. */
async function askHealth(q: AuthUrlQuestion, shown: string): Promise<AuthUrlIdentity> {
  let url: string;
  try {
    url = new URL('health', q.value!.endsWith('/') ? q.value! : `${q.value}/`).toString();
  } catch {
    return { kind: 'mismatch', why: `is ${shown}, which is not a URL` };
  }
  const signal = AbortSignal.any([q.signal, AbortSignal.timeout(HEALTH_TIMEOUT_MS)]);
  let status: number;
  let body: unknown;
  let text: string;
  try {
    const res = await q.http.send({ method: 'GET', url, route: '/health', signal, refuseBypassHeaders: true });
    status = res.status;
    body = res.json;
    text = res.text;
  } catch (err) {
    const why = err instanceof HttpFailure ? err.message : String(err);
    return {
      kind: 'unconfirmed',
      note: `AUTH_SERVICE_URL ${shown} could not be confirmed from here (GET /health: ${serverText(why, 120, { oneLine: true })}); not reported as drift`,
    };
  }
  const answer =
    typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const service = typeof answer?.service === 'string' ? answer.service : undefined;
  const environment = typeof answer?.environment === 'string' ? answer.environment : undefined;
  const quoted = serverText(text, 80, { oneLine: true }) || 'an empty body';
  if (service === 'auth-service') {
    if (environment !== undefined && environment.toLowerCase() !== q.environment.toLowerCase())
      return {
        kind: 'mismatch',
        why: `is ${shown}, whose /health answers as the auth service of environment ${serverText(environment, 40, { oneLine: true })}, not ${q.environment}`,
      };
    return {
      kind: 'auth',
      how: `${shown} answers /health as the auth service (${environment ?? 'environment not given'})`,
    };
  }
  // The auth service's /health always names itself when it answers 200 (AM:583-633); 503 is its database-down
  // answer, and 401/403/429/5xx may come from anything in between: only 2xx and 404 answers prove something else.
  if ((status >= 200 && status < 300) || status === 404)
    return { kind: 'mismatch', why: `is ${shown}, whose /health answers ${status} as something else (${quoted})` };
  return {
    kind: 'unconfirmed',
    note: `AUTH_SERVICE_URL ${shown} could not be confirmed from here (GET /health answered ${status}: ${quoted}); not reported as drift`,
  };
}
