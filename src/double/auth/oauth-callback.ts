// GET /auth/callback and /auth/oauth/callback (AR:1359-1456), where the provider sends the browser back:
// - `error` from the provider: 302 to {frontend}/auth/error?error=…&error_description=…
// - no `code` or `state`: 400 "Missing authorization code or state"
// - the code exchange or the userinfo read fails: 401 "Failed to get user information from OAuth provider"
// - no email: 400 "Email not provided by OAuth provider"
// - otherwise Netra's own tokens for user id = Google `sub` (or the email), and a 302 to
//   {frontend}/auth/callback?access_token=…&refresh_token=…&email=…&name=…
// The state is not checked: the real route never stored it.
import type { Tracer } from '@opentelemetry/api';
import { redirect } from '../http/html.ts';
import type { RouteHandler } from '../http/listener.ts';
import { sendDetail } from '../http/send.ts';
import type { AuthSettings } from './auth-settings.ts';
import { issueTokens } from './issue-tokens.ts';
import type { OAuthWiring } from './oauth-wiring.ts';
import { isReady } from './oauth-wiring.ts';
import { exchangeCode, fetchUserInfo } from './provider-client.ts';

export function oauthCallback(
  current: () => AuthSettings,
  wiring: OAuthWiring | undefined,
  tracer: Tracer,
): RouteHandler {
  return async ({ res, url, ctx }) => {
    const q = url.searchParams;
    if (!isReady(wiring)) return sendDetail(res, 503, 'OAuth provider not available');
    const error = q.get('error');
    if (error) {
      const params = new URLSearchParams({ error, error_description: q.get('error_description') ?? '' });
      return redirect(res, 302, `${wiring.frontendUrl}/auth/error?${params}`);
    }
    const code = q.get('code');
    if (!code || !q.get('state')) return sendDetail(res, 400, 'Missing authorization code or state');

    const exchange = await exchangeCode(wiring, code, tracer, ctx);
    const info = exchange.kind === 'ok' ? await fetchUserInfo(wiring, exchange.accessToken, tracer, ctx) : undefined;
    if (info === undefined) return sendDetail(res, 401, 'Failed to get user information from OAuth provider');
    if (info.email === undefined) return sendDetail(res, 400, 'Email not provided by OAuth provider');

    const tokens = await issueTokens(current(), info.sub ?? info.email, info.email);
    const params = new URLSearchParams({
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      email: info.email,
      name: info.name,
    });
    redirect(res, 302, `${wiring.frontendUrl}/auth/callback?${params}`);
  };
}
