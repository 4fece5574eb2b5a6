// GET /auth/login?provider=google (AR:272): a 302 to Google's authorization endpoint with scopes
// `openid email profile`, `access_type=offline`, `prompt=consent` and a random state that, as in the real
// route, is not stored (AR:308-311). 400 for a missing or other provider, 503 when OAuth is not configured.
import { randomBytes } from 'node:crypto';
import { redirect } from '../http/html.ts';
import type { RouteHandler } from '../http/listener.ts';
import { sendDetail } from '../http/send.ts';
import type { OAuthWiring } from './oauth-wiring.ts';
import { isReady, OAUTH_SCOPES } from './oauth-wiring.ts';

export function oauthLogin(wiring: OAuthWiring | undefined): RouteHandler {
  return ({ res, url }) => {
    const provider = url.searchParams.get('provider');
    if (provider === null || provider === '')
      return sendDetail(res, 400, 'Provider parameter is required for OAuth login');
    if (provider !== 'google') return sendDetail(res, 400, `Unsupported OAuth provider: ${provider}`);
    if (!isReady(wiring)) return sendDetail(res, 503, 'OAuth provider not configured');
    const target = new URL(wiring.endpoints.authorize);
    target.search = new URLSearchParams({
      client_id: wiring.clientId,
      redirect_uri: wiring.redirectUri,
      scope: OAUTH_SCOPES,
      response_type: 'code',
      state: randomBytes(32).toString('base64url'),
      access_type: 'offline',
      prompt: 'consent',
    }).toString();
    redirect(res, 302, target.href);
  };
}
