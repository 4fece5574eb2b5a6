// Where the identity provider serves its endpoints: Google's paths, so the auth service's client
// (and a person reading a trace) sees the same shapes as against accounts.google.com.
export const GOOGLE_PATHS = {
  authorization: '/o/oauth2/auth',
  token: '/token',
  userinfo: '/v1/userinfo',
  jwks: '/oauth2/v3/certs',
} as const;

/** The provider's endpoint URLs for an issuer (base URL without a trailing slash). */
export function googleEndpoints(issuer: string) {
  return {
    authorize: `${issuer}${GOOGLE_PATHS.authorization}`,
    token: `${issuer}${GOOGLE_PATHS.token}`,
    userinfo: `${issuer}${GOOGLE_PATHS.userinfo}`,
  };
}

export type ProviderEndpoints = ReturnType<typeof googleEndpoints>;
