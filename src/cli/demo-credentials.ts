import { randomBytes } from 'node:crypto';

/** Fresh throw-away credentials shared by the bundled double and the probe for one demo. */
export function freshDemoCredentials() {
  const secret = () => randomBytes(24).toString('base64url');
  return {
    bypassKey: secret(),
    userEmail: 'golden-probe@staging.netrasystems.ai',
    userPassword: secret(),
    serviceSecret: secret(),
    jwtSecret: randomBytes(48).toString('base64url'),
  };
}
