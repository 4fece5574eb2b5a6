// The identity provider standing in for Google: oidc-provider (a certified OpenID Connect implementation)
// on its own loopback port, with Google's endpoint paths, one registered client (the auth service), one
// test user, and the login and consent pages of ./interactions.ts. oidc-provider is imported when a
// double starts, so a probe process that only imports the double's types never loads it.

import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';
import type { Configuration } from 'oidc-provider';
import { escapeHtml } from '../http/html.ts';
import type { RouteHandler } from '../http/listener.ts';
import { createListener } from '../http/listener.ts';
import type { Resolution } from '../http/router.ts';
import { createRouter } from '../http/router.ts';
import { listen, originOf } from '../http/server-lifecycle.ts';
import type { Recorder } from '../recorder.ts';
import { randomSecret } from '../secrets.ts';
import { tracerFrom } from '../telemetry/tracer.ts';
import type { ProviderEndpoints } from './google-paths.ts';
import { GOOGLE_PATHS, googleEndpoints } from './google-paths.ts';
import type { TestUser } from './interactions.ts';
import { interactionRoutes } from './interactions.ts';
import { createAdapterFactory } from './memory-adapter.ts';
import { errorPage } from './pages.ts';
import { freshSigningKey } from './signing-key.ts';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** The auth service's `{AUTH_SERVICE_URL}/auth/callback`. */
  redirectUri: string;
  /** What the consent screen calls the app. */
  name: string;
  /** Scopes the registration allows (space-separated). */
  scope: string;
}

export interface IdentityProviderOptions {
  host: string;
  user: TestUser;
  client: RegisteredClient;
  consentDenied: boolean;
  record: Recorder;
}

export interface RunningIdentityProvider {
  /** The issuer, e.g. http://127.0.0.1:41234 (Google's is https://accounts.google.com). */
  url: string;
  endpoints: ProviderEndpoints;
  /** Client connections open now. */
  connections(): number;
  close(): Promise<void>;
}

// Lifetimes set explicitly: oidc-provider's defaults work but announce themselves on stdout.
const TTL = {
  AccessToken: 3600,
  AuthorizationCode: 60,
  IdToken: 3600,
  RefreshToken: 86400,
  Interaction: 600,
  Session: 3600,
  Grant: 3600,
};

export async function startIdentityProvider(opts: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const { default: Provider } = await import('oidc-provider');
  const signingKey = await freshSigningKey();

  // Listen first: the issuer URL carries the port.
  let port = 0;
  let resolve: (method: string, path: string) => Resolution<RouteHandler> = () => ({ kind: 'not_found' });
  const listener: RequestListener = createListener({
    service: 'provider',
    // Google's spans are not ours: the provider makes none.
    tracer: tracerFrom(undefined),
    record: opts.record,
    port: () => port,
    resolve: (method, path) => resolve(method, path),
  });
  const server = createServer(listener);
  const life = await listen(server, opts.host, 0);
  port = life.port;
  const issuer = originOf('http', opts.host, port);

  const { user, client } = opts;
  const configuration: Configuration = {
    adapter: createAdapterFactory(),
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        client_name: client.name,
        redirect_uris: [client.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_post',
        scope: client.scope,
      },
    ],
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
    findAccount: (_ctx, sub) =>
      sub === user.sub
        ? {
            accountId: sub,
            claims: () => {
              const [given, ...family] = user.name.split(' ');
              return {
                sub,
                email: user.email,
                email_verified: true,
                name: user.name,
                given_name: given,
                family_name: family.join(' '),
              };
            },
          }
        : undefined,
    // Google's own authorize parameter; accepted, not acted on (refresh tokens come with offline_access).
    extraParams: ['access_type'],
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    routes: {
      authorization: GOOGLE_PATHS.authorization,
      token: GOOGLE_PATHS.token,
      userinfo: GOOGLE_PATHS.userinfo,
      jwks: GOOGLE_PATHS.jwks,
    },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomSecret()] },
    ttl: TTL,
    clientBasedCORS: () => false,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(`Error ${out.error}`, String(out.error_description ?? out.error));
    },
  };
  const provider = new Provider(issuer, configuration);
  // Koa prints server errors to stderr unless told not to; the double reports through its requests instead.
  provider.silent = true;
  const toProvider = provider.callback();
  const passThrough: RouteHandler = ({ req, res }) => toProvider(req, res);
  const interactions = createRouter<RouteHandler>(
    interactionRoutes(provider, {
      user,
      consentDenied: opts.consentDenied,
      clientName: (id) => (id === client.clientId ? client.name : escapeHtml(id)),
    }),
  );
  resolve = (method, path) => {
    const r = interactions(method, path);
    return r.kind === 'not_found' ? { kind: 'found', route: path, handler: passThrough, params: {} } : r;
  };

  return { url: issuer, endpoints: googleEndpoints(issuer), connections: life.connections, close: life.close };
}
