// JWTs as the auth service writes and checks them (docs/netra-protocol-notes.md §2): HS256, both `token_type` and
// `type`, issuer `netra-auth-service`, audience by token type, staging lifetimes.
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const ISSUER = 'netra-auth-service';
const ACCESS_LIFETIME_S = 30 * 60; // staging default JWT_EXPIRATION_MINUTES (expires_in still says 900)
const REFRESH_LIFETIME_S = 14 * 24 * 3600;
const MAX_IAT_AGE_S = 24 * 3600;
const IAT_SKEW_S = 60;

export type TokenType = 'access' | 'refresh';

export interface MintInput {
  userId: string;
  email: string;
  type: TokenType;
  secret: Uint8Array;
  /** Mint an access token whose exp is already past (iat 31 min ago, exp 1 min ago). */
  expired?: boolean;
}

export async function mintToken(input: MintInput): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expired = input.expired === true && input.type === 'access';
  const iat = expired ? now - 31 * 60 : now;
  const exp = expired ? now - 60 : now + (input.type === 'access' ? ACCESS_LIFETIME_S : REFRESH_LIFETIME_S);
  const claims: Record<string, unknown> = {
    sub: input.userId,
    iat,
    exp,
    token_type: input.type,
    type: input.type,
    iss: ISSUER,
    aud: 'netra-platform',
    jti: randomUUID(),
    env: 'staging',
    svc_id: 'netra_auth_service_staging',
    email: input.email,
  };
  // Access tokens always carry permissions; refresh tokens only when non-empty (they never are here).
  if (input.type === 'access') claims.permissions = [];
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(input.secret);
}

export interface ValidToken {
  userId: string;
  email: string | null;
  permissions: string[];
  exp: number;
}

/** The checks of JH:149-280 for an access token; undefined when any fails. */
export async function verifyAccessToken(token: string, secret: Uint8Array): Promise<ValidToken | undefined> {
  if (token.startsWith('mock_')) return undefined;
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: ['netra-platform', 'netra-services', 'netra-admin'],
    });
    const now = Math.floor(Date.now() / 1000);
    const { sub, iat, exp, jti } = payload;
    if (typeof sub !== 'string' || sub === '' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
    if (typeof jti !== 'string' || payload.token_type !== 'access') return undefined;
    if (now - iat > MAX_IAT_AGE_S || iat - now > IAT_SKEW_S) return undefined;
    const email = payload.email;
    const permissions = payload.permissions;
    return {
      userId: sub,
      email: typeof email === 'string' ? email : null,
      permissions: Array.isArray(permissions) ? permissions.filter((p): p is string => typeof p === 'string') : [],
      exp,
    };
  } catch {
    return undefined;
  }
}
