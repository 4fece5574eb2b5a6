// The double's Google OAuth path over plain HTTP (no browser): the auth service's /auth/login redirect
// and /auth/callback answers (docs/netra-protocol-notes.md §1b), the identity provider's discovery, and the frontend's
// pages. The browser tests drive the whole flow; these pin the wire shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FaultName, type RunningDouble, startDouble } from '../../src/double/index.ts';

const credentials = {
  bypassKey: 'bypass-key-for-oauth-double-test',
  userEmail: 'oauth-user@staging.netrasystems.ai',
  userPassword: 'oauth-password-for-double-tests',
  serviceSecret: 'service-secret-for-oauth-double',
  jwtSecret: 'jwt-secret-for-oauth-double-tests-long-enough-000',
};

async function withDouble(fault: FaultName, fn: (d: RunningDouble) => Promise<void>): Promise<void> {
  const d = await startDouble({ fault, credentials });
  try {
    await fn(d);
  } finally {
    await d.close();
  }
}

const get = (url: string) => fetch(url, { redirect: 'manual' });

describe('the double: Google OAuth over HTTP', () => {
  it("GET /auth/login?provider=google: 302 to the provider with the real route's parameters", () =>
    withDouble('healthy', async (d) => {
      const res = await get(`${d.authUrl}/auth/login?provider=google`);
      assert.equal(res.status, 302);
      const to = new URL(res.headers.get('location') ?? '');
      assert.equal(`${to.origin}${to.pathname}`, `${d.providerUrl}/o/oauth2/auth`);
      const q = Object.fromEntries(to.searchParams);
      assert.equal(q.redirect_uri, `${d.authUrl}/auth/callback`);
      assert.equal(q.scope, 'openid email profile');
      assert.equal(q.response_type, 'code');
      assert.equal(q.access_type, 'offline');
      assert.equal(q.prompt, 'consent');
      assert.match(q.client_id ?? '', /^\d{12}-netra-auth\.apps\.googleusercontent\.com$/);
      assert.match(q.state ?? '', /^[\w-]{43}$/);
      const again = new URL((await get(`${d.authUrl}/auth/login?provider=google`)).headers.get('location') ?? '');
      assert.notEqual(again.searchParams.get('state'), q.state, 'a fresh state each time');
    }));

  it('GET /auth/login without a provider or with another one: 400 with the real details', () =>
    withDouble('healthy', async (d) => {
      const none = await get(`${d.authUrl}/auth/login`);
      assert.equal(none.status, 400);
      assert.deepEqual(await none.json(), { detail: 'Provider parameter is required for OAuth login' });
      const other = await get(`${d.authUrl}/auth/login?provider=github`);
      assert.equal(other.status, 400);
      assert.deepEqual(await other.json(), { detail: 'Unsupported OAuth provider: github' });
    }));

  it('GET /auth/callback: provider errors go to the frontend, a missing code is 400, a code the provider refuses is 401', () =>
    withDouble('healthy', async (d) => {
      const denied = await get(`${d.authUrl}/auth/callback?error=access_denied&error_description=nope&state=s`);
      assert.equal(denied.status, 302);
      assert.equal(
        denied.headers.get('location'),
        `${d.frontendUrl}/auth/error?error=access_denied&error_description=nope`,
      );

      const missing = await get(`${d.authUrl}/auth/callback?state=s`);
      assert.equal(missing.status, 400);
      assert.deepEqual(await missing.json(), { detail: 'Missing authorization code or state' });

      const bogus = await get(`${d.authUrl}/auth/oauth/callback?code=not-a-code&state=s`);
      assert.equal(bogus.status, 401);
      assert.deepEqual(await bogus.json(), { detail: 'Failed to get user information from OAuth provider' });
      const exchange = d.requests.find((r) => r.service === 'provider' && r.path === '/token');
      assert.equal(exchange?.status, 400, 'the provider itself refused the code (invalid_grant)');
    }));

  it("the identity provider is oidc-provider with Google's paths", () =>
    withDouble('healthy', async (d) => {
      const res = await get(`${d.providerUrl}/.well-known/openid-configuration`);
      assert.equal(res.status, 200);
      const meta = (await res.json()) as Record<string, unknown>;
      assert.equal(meta.issuer, d.providerUrl);
      assert.equal(meta.authorization_endpoint, `${d.providerUrl}/o/oauth2/auth`);
      assert.equal(meta.token_endpoint, `${d.providerUrl}/token`);
      assert.equal(meta.userinfo_endpoint, `${d.providerUrl}/v1/userinfo`);
      assert.equal(meta.jwks_uri, `${d.providerUrl}/oauth2/v3/certs`);
    }));

  it('oauth_provider_down: /auth/login still redirects, to an address where nothing listens', () =>
    withDouble('oauth_provider_down', async (d) => {
      const res = await get(`${d.authUrl}/auth/login?provider=google`);
      assert.equal(res.status, 302);
      assert.ok(res.headers.get('location')?.startsWith(`${d.providerUrl}/o/oauth2/auth?`));
      await assert.rejects(
        get(`${d.providerUrl}/.well-known/openid-configuration`),
        (err: Error & { cause?: { code?: string } }) => err.cause?.code === 'ECONNREFUSED',
      );
    }));

  it('oauth_callback_error: the provider answers invalid_scope to the callback, which sends the browser to /auth/error', () =>
    withDouble('oauth_callback_error', async (d) => {
      const authorize = (await get(`${d.authUrl}/auth/login?provider=google`)).headers.get('location') ?? '';
      const back = await get(authorize);
      assert.equal(back.status, 303);
      const callback = new URL(back.headers.get('location') ?? '');
      assert.equal(`${callback.origin}${callback.pathname}`, `${d.authUrl}/auth/callback`);
      assert.equal(callback.searchParams.get('error'), 'invalid_scope');
      const toFrontend = await get(callback.href);
      assert.equal(toFrontend.status, 302);
      assert.match(
        toFrontend.headers.get('location') ?? '',
        new RegExp(`^${d.frontendUrl}/auth/error\\?error=invalid_scope&`),
      );
    }));

  it('the frontend: a sign-in link to the auth service, and an error page that escapes what it is given', () =>
    withDouble('healthy', async (d) => {
      const home = await (await get(`${d.frontendUrl}/`)).text();
      assert.ok(home.includes(`href="${d.authUrl}/auth/login?provider=google"`), home);
      assert.match(home, />Sign in with Google</);
      const error = await get(`${d.frontendUrl}/auth/error?error=%3Cscript%3Ex%3C%2Fscript%3E`);
      assert.equal(error.status, 200);
      const html = await error.text();
      assert.ok(!html.includes('<script>x'), 'escaped');
      assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;'));
    }));
});
