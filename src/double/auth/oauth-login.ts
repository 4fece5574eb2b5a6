// GET /auth/login?provider=google (AR:272). The double has no Google client, so a well-formed request
// gets the route's "not configured" 503; this exists so a probe that GETs the login URL sees the real
// 400, not a 405.
import { sendDetail } from '../http/send.ts';
import type { RouteHandler } from '../http/listener.ts';

export const oauthLogin: RouteHandler = ({ res, url }) => {
  const provider = url.searchParams.get('provider');
  if (provider === null || provider === '') return sendDetail(res, 400, 'Provider parameter is required for OAuth login');
  if (provider !== 'google') return sendDetail(res, 400, `Unsupported OAuth provider: ${provider}`);
  sendDetail(res, 503, 'OAuth provider not configured');
};
