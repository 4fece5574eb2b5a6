// The auth service: a real HTTP server with the routes the probe and the backend use.
import { createServer } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import type { RequestScope, RouteHandler } from '../http/listener.ts';
import { createListener } from '../http/listener.ts';
import { createRouter } from '../http/router.ts';
import { listen, originOf } from '../http/server-lifecycle.ts';
import type { Recorder } from '../recorder.ts';
import type { AuthSettings } from './auth-settings.ts';
import { e2eTestAuth } from './e2e-test-auth.ts';
import { authHealth, authStatus, health, ready, root } from './health.ts';
import { login } from './login.ts';
import { oauthCallback } from './oauth-callback.ts';
import { oauthLogin } from './oauth-login.ts';
import type { OAuthWiring } from './oauth-wiring.ts';
import { validate } from './validate.ts';

export interface AuthServiceOptions {
  host: string;
  port: number;
  /** The settings in force for this request (an intermittent fault switches them at each login). */
  settings: () => AuthSettings;
  /** Told of every login (e2e, password, or the start of a Google sign-in): a new golden-path attempt. */
  onLogin?: () => void;
  tracer: Tracer;
  record: Recorder;
  /** The Google OAuth client; without it the OAuth routes answer 503 as an unconfigured service does. */
  oauth?: OAuthWiring;
}

export interface RunningService {
  url: string;
  /** Client connections open now. */
  connections(): number;
  close(): Promise<void>;
}

// auth_down: the request reached a listening socket, then the connection is reset (RST, not FIN),
// which a client sees as ECONNRESET, like a crashed instance behind a TCP proxy.
const resetConnection: RouteHandler = ({ req }) => {
  req.socket.resetAndDestroy();
};

/** The requests that start a golden-path attempt. */
const LOGINS = new Set(['POST /auth/e2e/test-auth', 'POST /auth/login', 'GET /auth/login']);

export async function startAuthService(opts: AuthServiceOptions): Promise<RunningService> {
  const s = opts.settings;
  const intercept = ({ req, url }: RequestScope): RouteHandler | undefined => {
    if (LOGINS.has(`${req.method ?? 'GET'} ${url.pathname}`)) opts.onLogin?.();
    return s().down ? resetConnection : undefined;
  };
  const resolve = createRouter<RouteHandler>([
    { method: 'GET', route: '/', handler: root },
    { method: 'GET', route: '/health', handler: health(s) },
    { method: 'GET', route: '/health/ready', handler: ready },
    { method: 'GET', route: '/readiness', handler: ready },
    { method: 'GET', route: '/auth/health', handler: authHealth },
    { method: 'GET', route: '/auth/status', handler: authStatus },
    { method: 'POST', route: '/auth/e2e/test-auth', handler: e2eTestAuth(s) },
    { method: 'POST', route: '/auth/login', handler: login(s) },
    { method: 'GET', route: '/auth/login', handler: oauthLogin(opts.oauth) },
    { method: 'GET', route: '/auth/callback', handler: oauthCallback(s, opts.oauth, opts.tracer) },
    { method: 'GET', route: '/auth/oauth/callback', handler: oauthCallback(s, opts.oauth, opts.tracer) },
    { method: 'POST', route: '/auth/validate', handler: validate(s) },
  ]);
  let port = 0;
  const server = createServer(
    createListener({
      service: 'auth',
      tracer: opts.tracer,
      record: opts.record,
      port: () => port,
      resolve,
      intercept,
    }),
  );
  const life = await listen(server, opts.host, opts.port);
  port = life.port;
  return { url: originOf('http', opts.host, port), connections: life.connections, close: life.close };
}
