// Starts the services, auth first (the others need its URL): auth, the identity provider standing in
// for Google (it registers auth's callback URL), the frontend, the backend; and returns the handle.
import { randomInt, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { startAuthService } from './auth/auth-service.ts';
import { resolveAuthSettings } from './auth/auth-settings.ts';
import type { OAuthWiring } from './auth/oauth-wiring.ts';
import { startBackendService } from './backend/backend-service.ts';
import type { OAuthEffects } from './fault-effects.ts';
import { effectsOf } from './fault-effects.ts';
import { canBeIntermittent, faultSchedule, inForce } from './fault-schedule.ts';
import type { FaultName } from './faults.ts';
import { FAULTS, isFaultName } from './faults.ts';
import { startFrontend } from './frontend/frontend-service.ts';
import { startGoogle } from './google/start-google.ts';
import { closedOrigin } from './http/closed-port.ts';
import { googleEndpoints } from './oidc/google-paths.ts';
import { startIdentityProvider } from './oidc/identity-provider.ts';
import type { Recorder } from './recorder.ts';
import { randomSecret } from './secrets.ts';
import { tracerFrom } from './telemetry/tracer.ts';
import type { DoubleOptions, RecordedRequest, RunningDouble } from './types.ts';

const DEFAULT_SLOW_AGENT_MS = 16_000;
/** What Google's consent screen calls the app. */
const APP_NAME = 'Netra Apex';

/** A Google-style OAuth client id and a fresh secret, held by the auth service and registered at the provider. */
function oauthClient(): OAuthWiring {
  const digits = Array.from({ length: 12 }, () => randomInt(10)).join('');
  return {
    clientId: `${digits}-netra-auth.apps.googleusercontent.com`,
    clientSecret: randomSecret(),
    redirectUri: undefined,
    endpoints: undefined,
    frontendUrl: undefined,
  };
}

/**
 * The identity provider for the OAuth faults: the credentials' user is its test user (with another
 * password under oauth_wrong_password); under oauth_provider_down nothing listens at its address.
 */
async function startProvider(
  host: string,
  oauth: OAuthWiring & { redirectUri: string },
  effects: OAuthEffects,
  opts: DoubleOptions,
  record: Recorder,
) {
  if (effects.providerDown) {
    const origin = await closedOrigin(host);
    return { url: origin, endpoints: googleEndpoints(origin), connections: () => 0, close: async () => undefined };
  }
  return startIdentityProvider({
    host,
    user: {
      sub: `1${Array.from({ length: 20 }, () => randomInt(10)).join('')}`,
      email: opts.credentials.userEmail,
      password: effects.passwordDrift ? randomSecret() : opts.credentials.userPassword,
      name: 'Golden Probe',
    },
    client: {
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      redirectUri: oauth.redirectUri,
      name: APP_NAME,
      scope: effects.clientScopeRestricted ? 'openid email' : 'openid email profile offline_access',
    },
    consentDenied: effects.consentDenied,
    record,
  });
}

export async function startDouble(opts: DoubleOptions): Promise<RunningDouble> {
  const fault: FaultName = opts.fault ?? 'healthy';
  // The type says FaultName, but a CLI may hand over any string it was given.
  if (!isFaultName(fault)) throw new Error(`Unknown fault "${String(fault)}"; use one of: ${FAULTS.join(', ')}`);
  const host = opts.host ?? '127.0.0.1';
  const schedule = faultSchedule(opts.faultEvery ?? 1);
  if (schedule.every > 1 && !canBeIntermittent(fault)) {
    throw new Error(
      `Fault "${fault}" cannot be intermittent (faultEvery): it changes the OAuth wiring, fixed at start`,
    );
  }
  const effects = effectsOf(fault);
  const healthy = effectsOf('healthy');
  // Healthy and faulted settings share the password user, so an intermittent fault does not change who logs in.
  const userId = randomUUID();
  const faultyAuth = resolveAuthSettings(effects.auth, opts.credentials, userId);
  const healthyAuth = schedule.every > 1 ? resolveAuthSettings(healthy.auth, opts.credentials, userId) : faultyAuth;
  const requests: RecordedRequest[] = [];
  const record = (r: RecordedRequest) => void requests.push(r);
  const lifetime = new AbortController();
  // Every open WebSocket and in-flight auth call listens on it.
  setMaxListeners(0, lifetime.signal);

  const oauth = oauthClient();
  const auth = await startAuthService({
    host,
    port: opts.authPort ?? 0,
    settings: inForce(schedule, faultyAuth, healthyAuth),
    onLogin: () => schedule.beginAttempt(),
    tracer: tracerFrom(opts.tracerProviders?.auth),
    record,
    oauth,
  });
  const redirectUri = `${auth.url}/auth/callback`;
  oauth.redirectUri = redirectUri;
  const web = await (async () => {
    const provider = await startProvider(host, { ...oauth, redirectUri }, effects.oauth, opts, record);
    const frontend = await startFrontend({ host, authUrl: auth.url, record }).catch(async (err: unknown) => {
      await provider.close();
      throw err;
    });
    return { provider, frontend };
  })().catch(async (err: unknown) => {
    await auth.close();
    throw err;
  });
  oauth.endpoints = web.provider.endpoints;
  oauth.frontendUrl = web.frontend.url;

  const backend = await startBackendService({
    host,
    port: opts.apiPort ?? 0,
    settings: {
      effects: inForce(schedule, effects.backend, healthy.backend),
      authUrl: auth.url,
      serviceId: 'netra-backend',
      serviceSecret: opts.credentials.serviceSecret,
      slowAgentMs: opts.slowAgentMs ?? DEFAULT_SLOW_AGENT_MS,
      lifetime: lifetime.signal,
    },
    tracer: tracerFrom(opts.tracerProviders?.backend),
    record,
  }).catch(async (err: unknown) => {
    // e.g. apiPort taken: do not leave the other servers listening.
    await Promise.all([auth.close(), web.provider.close(), web.frontend.close()]);
    throw err;
  });

  const google = await startGoogle({
    host,
    effects: effects.google,
    options: opts.google ?? {},
    apiUrl: backend.apiUrl,
    authUrl: auth.url,
    serviceSecret: opts.credentials.serviceSecret,
    jwtSecret: opts.credentials.jwtSecret,
    record,
    requests,
  }).catch(async (err: unknown) => {
    await Promise.all([backend.close(), auth.close(), web.provider.close(), web.frontend.close()]);
    throw err;
  });

  const { close: closeGoogle, ...googleView } = google;

  let closing: Promise<void> | undefined;
  return {
    authUrl: auth.url,
    apiUrl: backend.apiUrl,
    wsUrl: backend.wsUrl,
    frontendUrl: web.frontend.url,
    providerUrl: web.provider.url,
    fault,
    faultEvery: schedule.every,
    faultCounts: () => schedule.counts(),
    openConnections: () => ({
      auth: auth.connections(),
      backend: backend.connections(),
      provider: web.provider.connections(),
      frontend: web.frontend.connections(),
    }),
    requests,
    google: googleView,
    close() {
      closing ??= (async () => {
        lifetime.abort();
        await Promise.all([backend.close(), auth.close(), web.provider.close(), web.frontend.close(), closeGoogle()]);
      })();
      return closing;
    },
  };
}
