// The web app, as far as signing in goes: a page with "Sign in with Google" that starts the OAuth flow
// at the auth service, /auth/callback that stores the tokens where the real frontend keeps them
// (localStorage `jwt_token` and `refresh_token`: frontend/auth/unified-auth-service.ts TOKEN_KEY and
// frontend/lib/auth-service-client.ts refreshToken() in netra-systems/zen) and then goes home, as its
// router.push('/') does, and /auth/error, where the auth service sends the browser when the provider
// answered with an error.
import { createServer } from 'node:http';
import { escapeHtml, page, sendHtml } from '../http/html.ts';
import type { RouteHandler } from '../http/listener.ts';
import { createListener } from '../http/listener.ts';
import { createRouter } from '../http/router.ts';
import { listen, originOf } from '../http/server-lifecycle.ts';
import type { Recorder } from '../recorder.ts';
import { tracerFrom } from '../telemetry/tracer.ts';

export interface FrontendOptions {
  host: string;
  /** The auth service's base URL (NEXT_PUBLIC_AUTH_URL). */
  authUrl: string;
  record: Recorder;
}

export interface RunningFrontend {
  url: string;
  /** Client connections open now. */
  connections(): number;
  close(): Promise<void>;
}

function homePage(authUrl: string): string {
  const login = `${authUrl}/auth/login?provider=google`;
  return page(
    'Netra Apex',
    `<main>
<h1>Netra Apex</h1>
<p id="status">Sign in to start a chat with your agents.</p>
<a id="signin" class="button" href="${escapeHtml(login)}">Sign in with Google</a>
</main>
<script>
  if (localStorage.getItem('jwt_token')) {
    document.getElementById('status').textContent = 'Signed in.';
    document.getElementById('signin').hidden = true;
  }
</script>`,
  );
}

const CALLBACK_PAGE = page(
  'Authenticating... - Netra Apex',
  `<main>
<h2>Authenticating...</h2>
<p>Please wait while we complete your login.</p>
</main>
<script>
  (function () {
    var q = new URLSearchParams(location.search);
    var token = q.get('access_token');
    if (!token) { location.replace('/auth/error?error=no_token'); return; }
    localStorage.setItem('jwt_token', token);
    var refresh = q.get('refresh_token');
    if (refresh) localStorage.setItem('refresh_token', refresh);
    // Tokens out of the address bar and the history, then home.
    history.replaceState(null, '', '/auth/callback');
    location.replace('/');
  })();
</script>`,
);

function errorPage(error: string, description: string): string {
  const detail = description === '' ? error : `${error}: ${description}`;
  return page(
    'Sign-in failed - Netra Apex',
    `<main>
<h1>Sign-in failed</h1>
<p role="alert">Google sign-in did not complete (${escapeHtml(detail)}).</p>
<a class="button" href="/">Back to Netra Apex</a>
</main>`,
  );
}

export async function startFrontend(opts: FrontendOptions): Promise<RunningFrontend> {
  const home: RouteHandler = ({ res }) => sendHtml(res, 200, homePage(opts.authUrl));
  const resolve = createRouter<RouteHandler>([
    { method: 'GET', route: '/', handler: home },
    { method: 'GET', route: '/login', handler: home },
    { method: 'GET', route: '/auth/callback', handler: ({ res }) => sendHtml(res, 200, CALLBACK_PAGE) },
    {
      method: 'GET',
      route: '/auth/error',
      handler: ({ res, url }) =>
        sendHtml(
          res,
          200,
          errorPage(url.searchParams.get('error') ?? 'unknown_error', url.searchParams.get('error_description') ?? ''),
        ),
    },
  ]);
  let port = 0;
  const server = createServer(
    createListener({
      service: 'frontend',
      tracer: tracerFrom(undefined),
      record: opts.record,
      port: () => port,
      resolve,
    }),
  );
  const life = await listen(server, opts.host, 0);
  port = life.port;
  return { url: originOf('http', opts.host, port), connections: life.connections, close: life.close };
}
