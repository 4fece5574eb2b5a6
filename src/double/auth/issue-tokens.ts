// The token pair every login route returns, with the hard-coded `expires_in: 900` of the real routes.
import type { AuthSettings } from './auth-settings.ts';
import { mintToken } from './tokens.ts';

export async function issueTokens(settings: AuthSettings, userId: string, email: string) {
  const secret = settings.signingSecret;
  return {
    access_token: await mintToken({ userId, email, type: 'access', secret, expired: settings.mintExpired }),
    refresh_token: await mintToken({ userId, email, type: 'refresh', secret }),
    token_type: 'Bearer',
    expires_in: 900,
  };
}
