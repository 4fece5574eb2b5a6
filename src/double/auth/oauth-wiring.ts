// The auth service's Google OAuth client settings (GOOGLE_OAUTH_CLIENT_ID_STAGING, ..._SECRET, the
// provider's endpoints and the frontend base, in the real service). The URLs are filled in once the
// other servers listen: the provider registers the auth service's callback URL, so auth starts first.
export interface OAuthWiring {
  clientId: string;
  clientSecret: string;
  /** `{AUTH_SERVICE_URL}/auth/callback`, the redirect URI registered at the provider. */
  redirectUri: string | undefined;
  /** Authorization, token and userinfo endpoints (accounts.google.com, oauth2.googleapis.com, ...). */
  endpoints: { authorize: string; token: string; userinfo: string } | undefined;
  /** Where the callback sends the browser (https://app.staging.netrasystems.ai in staging). */
  frontendUrl: string | undefined;
}

/** What /auth/login asks Google for (google_oauth.py:113-126). */
export const OAUTH_SCOPES = 'openid email profile';

export type ReadyWiring = OAuthWiring & {
  redirectUri: string;
  endpoints: NonNullable<OAuthWiring['endpoints']>;
  frontendUrl: string;
};

export function isReady(w: OAuthWiring | undefined): w is ReadyWiring {
  return w !== undefined && w.redirectUri !== undefined && w.endpoints !== undefined && w.frontendUrl !== undefined;
}
