import type { JWTPayload } from 'jose';
import { decodeProtectedHeader } from 'jose/decode/protected_header';
import { decodeJwt } from 'jose/jwt/decode';

const MAX_IAT_SKEW_S = 60;
const MAX_TOKEN_AGE_S = 24 * 60 * 60;
const EXPECTED_ISSUER = 'netra-auth-service';
const EXPECTED_AUDIENCE = 'netra-platform';

export interface TokenCheck {
  problems: string[];
  /** Facts safe to show: claim names and times, never the token itself. */
  facts: string[];
  subject: string | undefined;
  expiresAt: number | undefined;
}

/**
 * The auth service's own rules for an access token (docs/netra-protocol-notes.md §2), checked locally without the
 * signing secret. `exp` comes from the token: the login response's expires_in is a hard-coded 900.
 */
export function checkAccessToken(token: string, nowS: number): TokenCheck {
  const problems: string[] = [];
  const facts: string[] = [];
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch (err) {
    return {
      problems: [`the access token is not a decodable JWT (${(err as Error).message})`],
      facts,
      subject: undefined,
      expiresAt: undefined,
    };
  }

  if (header.alg !== 'HS256' && header.alg !== 'RS256')
    problems.push(`alg is ${String(header.alg)}, the auth service accepts only HS256 or RS256`);

  const { exp, iat, iss, aud, sub } = claims;
  const tokenType = claims.token_type;
  if (typeof exp !== 'number') problems.push('exp is missing');
  else {
    facts.push(`exp ${iso(exp)} (${exp > nowS ? `in ${exp - nowS} s` : `${nowS - exp} s ago`})`);
    if (exp <= nowS) problems.push(`the token expired ${nowS - exp} s ago (exp ${iso(exp)})`);
  }
  if (typeof iat !== 'number') problems.push('iat is missing');
  else {
    if (iat > nowS + MAX_IAT_SKEW_S)
      problems.push(`iat is ${iat - nowS} s in the future (clock skew over ${MAX_IAT_SKEW_S} s)`);
    if (nowS - iat > MAX_TOKEN_AGE_S)
      problems.push(
        `iat is ${Math.round((nowS - iat) / 3600)} h old (the auth service rejects tokens older than 24 h)`,
      );
  }
  if (typeof exp === 'number' && typeof iat === 'number' && exp <= iat) problems.push('exp is not after iat');
  if (iss !== EXPECTED_ISSUER) problems.push(`iss is ${JSON.stringify(iss ?? null)}, expected "${EXPECTED_ISSUER}"`);
  const audiences = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
  if (!audiences.includes(EXPECTED_AUDIENCE))
    problems.push(`aud is ${JSON.stringify(aud ?? null)}, expected "${EXPECTED_AUDIENCE}"`);
  if (tokenType !== 'access') problems.push(`token_type is ${JSON.stringify(tokenType ?? null)}, expected "access"`);
  if (typeof sub !== 'string' || sub === '') problems.push('sub is missing');
  if (typeof sub === 'string') facts.push(`sub ${sub}`);

  return {
    problems,
    facts,
    subject: typeof sub === 'string' ? sub : undefined,
    expiresAt: typeof exp === 'number' ? exp : undefined,
  };
}

function iso(epochS: number): string {
  return new Date(epochS * 1000).toISOString();
}
