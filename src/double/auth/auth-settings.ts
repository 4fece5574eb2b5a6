// The auth service's runtime configuration (its env vars, in the real service), resolved from the
// fault's effects and the credentials. Rotated values are fresh random secrets nobody else holds.
import { randomUUID } from 'node:crypto';
import type { AuthEffects } from '../fault-effects.ts';
import { randomSecret } from '../secrets.ts';
import type { DoubleCredentials } from '../types.ts';

export interface AuthSettings {
  down: boolean;
  /** E2E_OAUTH_SIMULATION_KEY. */
  e2eKey: string;
  /** The one password user; undefined when every password login must fail. */
  user: { email: string; password: string; id: string } | undefined;
  /** JWT_SECRET_KEY of the instance that mints tokens. */
  signingSecret: Uint8Array;
  /** JWT_SECRET_KEY of the instance that answers /auth/validate. */
  verifyingSecret: Uint8Array;
  mintExpired: boolean;
  /** SERVICE_SECRET; empty means not configured, as `env.get("SERVICE_SECRET", "")` reads it. */
  serviceSecret: string;
  expectedServiceId: string;
  startedAtMs: number;
  /** Logins still to be refused with 503 (counts down; flaky_first_login). */
  loginFailuresLeft: number;
}

/** `userId`: the password user's id, shared by the healthy and the faulted settings of an intermittent fault. */
export function resolveAuthSettings(
  effects: AuthEffects,
  creds: DoubleCredentials,
  userId: string = randomUUID(),
): AuthSettings {
  const encode = (s: string) => new TextEncoder().encode(s);
  const jwt = encode(creds.jwtSecret);
  return {
    down: effects.down,
    e2eKey: effects.rejectCredentials ? randomSecret() : creds.bypassKey,
    user: effects.rejectCredentials ? undefined : { email: creds.userEmail, password: creds.userPassword, id: userId },
    signingSecret: effects.signingSecretDrift ? encode(randomSecret()) : jwt,
    verifyingSecret: jwt,
    mintExpired: effects.mintExpired,
    serviceSecret:
      effects.serviceSecret === 'shared'
        ? creds.serviceSecret
        : effects.serviceSecret === 'rotated'
          ? randomSecret()
          : '',
    expectedServiceId: effects.expectedServiceId,
    startedAtMs: Date.now(),
    loginFailuresLeft: effects.failFirstLogins,
  };
}
