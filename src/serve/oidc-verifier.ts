// POST /run's guard when --oidc-audience is set: a Google-style OIDC ID token (what Cloud Scheduler,
// Cloud Tasks and `gcloud auth print-identity-token` send), RS256 only, verified against a JWKS.
import { createRemoteJWKSet, customFetch, decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import type { HttpSender } from '../net/http-client.ts';
import type { OidcOptions } from './serve-options.ts';

const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];
const CLOCK_TOLERANCE_S = 30;

export type OidcRejection =
  | 'MISSING_TOKEN'
  | 'MALFORMED_TOKEN'
  | 'ALG_NOT_ALLOWED'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KEY'
  | 'EXPIRED'
  | 'CLAIM_MISMATCH'
  | 'EMAIL_NOT_ALLOWED'
  | 'EMAIL_NOT_VERIFIED'
  // Not the caller's fault: the keys could not be fetched. Answered 503 so the caller retries.
  | 'JWKS_UNAVAILABLE';

/** Claims worth a log line (never the token). Unverified when the check failed. */
export interface CallerClaims {
  iss?: string;
  aud?: string | string[];
  sub?: string;
  email?: string;
}

export type OidcResult =
  | { ok: true; caller: CallerClaims }
  | { ok: false; code: OidcRejection; reason: string; caller: CallerClaims | undefined };

export type OidcVerifier = (authorization: string | undefined) => Promise<OidcResult>;

/** The signing keys are fetched through `http` (the probe's client: undici, bounded body, no redirects, a span). */
export function createOidcVerifier(opts: OidcOptions, http: HttpSender): OidcVerifier {
  const keys = createRemoteJWKSet(opts.jwksUrl, {
    [customFetch]: async (url, { signal }) => {
      // One configured URL per process: its path is as low-cardinality as a route.
      const res = await http.send({ method: 'GET', url, route: new URL(url).pathname, signal });
      return new Response(res.text, { status: res.status });
    },
  });
  return async (authorization) => {
    const match = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '');
    if (!match) {
      const reason = authorization
        ? 'the Authorization header is not "Bearer <ID token>"'
        : 'no Authorization: Bearer <ID token> header';
      return { ok: false, code: 'MISSING_TOKEN', reason, caller: undefined };
    }
    const token = match[1]!;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: GOOGLE_ISSUERS,
        audience: opts.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (err) {
      return { ok: false, ...classify(err), caller: unverifiedClaims(token) };
    }
    const caller = claimsOf(payload);
    if (opts.allow) {
      const email = typeof payload.email === 'string' ? payload.email.toLowerCase() : undefined;
      if (!email || !opts.allow.includes(email)) {
        return {
          ok: false,
          code: 'EMAIL_NOT_ALLOWED',
          reason: email
            ? "the token's email is not on the allow-list (--oidc-allow)"
            : 'the token carries no email claim and --oidc-allow is set',
          caller,
        };
      }
      if (payload.email_verified !== true)
        return {
          ok: false,
          code: 'EMAIL_NOT_VERIFIED',
          reason: "the token's email is not verified (email_verified)",
          caller,
        };
    }
    return { ok: true, caller };
  };
}

function classify(err: unknown): { code: OidcRejection; reason: string } {
  if (!(err instanceof errors.JOSEError))
    return { code: 'JWKS_UNAVAILABLE', reason: 'the signing keys (--oidc-jwks-url) could not be fetched' };
  switch (err.code) {
    case errors.JWTExpired.code:
      return { code: 'EXPIRED', reason: 'the token has expired' };
    case errors.JWTClaimValidationFailed.code: {
      const claim = (err as errors.JWTClaimValidationFailed).claim;
      return { code: 'CLAIM_MISMATCH', reason: `the token's ${claim} claim is not accepted: ${err.message}` };
    }
    case errors.JOSEAlgNotAllowed.code:
      return { code: 'ALG_NOT_ALLOWED', reason: 'only RS256-signed ID tokens are accepted' };
    case errors.JWSSignatureVerificationFailed.code:
      return { code: 'BAD_SIGNATURE', reason: "the token's signature does not verify" };
    case errors.JWKSNoMatchingKey.code:
    case errors.JWKSMultipleMatchingKeys.code:
      return { code: 'UNKNOWN_KEY', reason: 'the token was not signed by a key of the JWKS' };
    case errors.JWSInvalid.code:
    case errors.JWTInvalid.code:
    case errors.JOSENotSupported.code:
    case errors.JWKInvalid.code:
      return { code: 'MALFORMED_TOKEN', reason: `the token is not a valid signed JWT: ${err.message}` };
    default:
      // JWKS timeout, non-200, bad JSON, not a key set: the keys are missing, not the caller's fault.
      return { code: 'JWKS_UNAVAILABLE', reason: 'the signing keys (--oidc-jwks-url) could not be fetched' };
  }
}

function claimsOf(payload: JWTPayload): CallerClaims {
  const out: CallerClaims = {};
  if (typeof payload.iss === 'string') out.iss = payload.iss;
  if (typeof payload.aud === 'string' || Array.isArray(payload.aud)) out.aud = payload.aud;
  if (typeof payload.sub === 'string') out.sub = payload.sub;
  if (typeof payload.email === 'string') out.email = payload.email;
  return out;
}

function unverifiedClaims(token: string): CallerClaims | undefined {
  try {
    return claimsOf(decodeJwt(token));
  } catch {
    return undefined;
  }
}
