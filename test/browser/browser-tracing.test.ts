// The login hop's trace in browser mode (issue 4): child spans for the browser's navigations, exported
// by the real CLI to a real OTLP receiver, and the trace context on the browser's requests to the auth
// service (the auth service's SERVER spans join the trace) but on no other origin's.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCli } from '../support/run-cli.ts';
import { probeTmpDir, SKIP_NO_CHROMIUM } from './support.ts';

const JWT = /eyJ[\w-]+\.[\w-]+/;

describe('browser login traces', { skip: SKIP_NO_CHROMIUM }, () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  it('the login hop span has the launch and one CLIENT span per page fetched; auth SERVER spans are their children', async () => {
    const tmp = await probeTmpDir();
    try {
      const out = await runCli(['demo', '--login', 'browser'], {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, TMPDIR: tmp.dir },
      });
      const traceId = out.report?.traceId;
      assert.ok(traceId, `no trace id; stderr: ${out.stderr}`);
      assert.notEqual(out.report?.result, 'fail', out.stdout);
      const spans = receiver.spans.filter((s) => s.traceId === traceId);
      const describeAll = () => spans.map((s) => `${s.serviceName}:${s.kind}:${s.name}`).join('\n');
      const ours = spans.filter((s) => s.serviceName === 'golden-path-probe');
      const login = ours.find((s) => s.name === 'login' && s.kind === 'INTERNAL');
      assert.ok(login, describeAll());
      const children = ours.filter((s) => s.parentSpanId === login.spanId);

      const launch = children.find((s) => s.name === 'browser.launch');
      assert.ok(launch, 'a browser.launch span under login');
      assert.equal(launch.kind, 'INTERNAL');

      const clients = children.filter((s) => s.kind === 'CLIENT');
      const names = clients.map((s) => s.name);
      // The whole flow, hop by hop of each redirect chain; ids in paths are templated.
      for (const name of [
        'GET /',
        'GET /auth/login',
        'GET /o/oauth2/auth',
        'GET /interaction/{id}',
        'POST /interaction/{id}/login',
        'GET /o/oauth2/auth/{id}',
        'POST /interaction/{id}/confirm',
        'GET /auth/callback',
      ]) {
        assert.ok(names.includes(name), `a CLIENT span '${name}' under login; got: ${names.join(', ')}`);
      }
      for (const span of clients) {
        assert.equal(span.traceId, traceId);
        assert.match(
          String(span.attributes['url.full']),
          /^http:\/\/127\.0\.0\.1:\d+\/[^?]*$/,
          'url.full has no query',
        );
        assert.equal(span.attributes['server.address'], '127.0.0.1');
        assert.equal(typeof span.attributes['http.request.method'], 'string');
        assert.ok(span.endTimeUnixNano >= span.startTimeUnixNano);
      }
      const authLogin = clients.find((s) => s.name === 'GET /auth/login')!;
      assert.equal(authLogin.attributes['http.response.status_code'], 302);

      // traceparent went out on the browser's requests to the auth service: its SERVER spans are children
      // of the browser's CLIENT spans, and the callback's calls to the identity provider hang below.
      const authServer = spans.filter((s) => s.serviceName === 'netra-auth-service' && s.kind === 'SERVER');
      const loginServer = authServer.find((s) => s.parentSpanId === authLogin.spanId);
      assert.ok(loginServer, `auth SERVER span under the browser's GET /auth/login:\n${describeAll()}`);
      assert.equal(loginServer.name, 'GET /auth/login');
      const callbackClients = clients.filter((s) => s.name === 'GET /auth/callback');
      const callbackServer = authServer.find(
        (s) => s.name === 'GET /auth/callback' && callbackClients.some((c) => c.spanId === s.parentSpanId),
      );
      assert.ok(callbackServer, `auth SERVER span under the browser's GET /auth/callback:\n${describeAll()}`);
      const toProvider = spans
        .filter((s) => s.parentSpanId === callbackServer.spanId && s.kind === 'CLIENT')
        .map((s) => s.name);
      assert.deepEqual(toProvider, ['POST /token', 'GET /v1/userinfo']);

      const everything = JSON.stringify(spans, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
      assert.doesNotMatch(everything, JWT, 'no token in any span');
      assert.doesNotMatch(everything, /[?&](code|state|access_token|refresh_token)=/, 'no OAuth query in any span');
    } finally {
      await tmp.remove();
    }
  });
});

describe("the login hop's trace context goes to the auth service only", { skip: SKIP_NO_CHROMIUM }, () => {
  const credentials = {
    bypassKey: 'bypass-key-for-browser-tracing-01',
    userEmail: 'traced-user@staging.netrasystems.ai',
    userPassword: 'traced-password-for-tests-0001',
    serviceSecret: 'service-secret-for-browser-tracing',
    jwtSecret: 'jwt-secret-for-browser-tracing-that-is-long-enough',
  };
  let double: RunningDouble;
  before(async () => {
    double = await startDouble({ fault: 'healthy', credentials });
  });
  after(() => double.close());

  it('auth requests carry a traceparent of the run; the identity provider and the frontend get none', async () => {
    const tmp = await probeTmpDir();
    try {
      const from = double.requests.length;
      const out = await runCli(['run', '--login', 'browser'], {
        env: {
          TMPDIR: tmp.dir,
          PROBE_API_URL: double.apiUrl,
          PROBE_AUTH_URL: double.authUrl,
          PROBE_FRONTEND_URL: double.frontendUrl,
          PROBE_USER_EMAIL: credentials.userEmail,
          PROBE_USER_PASSWORD: credentials.userPassword,
        },
      });
      const traceId = out.report?.traceId;
      assert.ok(traceId, out.stderr);
      assert.equal(out.report?.hops[0]?.status === 'fail', false, JSON.stringify(out.report?.hops[0]));
      const seen = double.requests.slice(from);
      const byService = (service: string) => seen.filter((r) => r.service === service);
      const auth = byService('auth').filter((r) => r.path === '/auth/login' || r.path === '/auth/callback');
      assert.deepEqual(
        auth.map((r) => r.path),
        ['/auth/login', '/auth/callback'],
      );
      for (const r of auth)
        assert.match(
          r.traceparent ?? '',
          new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`),
          `${r.path} carries the run's trace`,
        );
      // The auth service's own calls to the provider (code exchange, userinfo) are not the browser's.
      const serverToServer = (r: (typeof seen)[number]) =>
        r.service === 'provider' && (r.path === '/token' || r.path === '/v1/userinfo');
      const fromBrowser = [...byService('provider'), ...byService('frontend')].filter((r) => !serverToServer(r));
      assert.ok(fromBrowser.filter((r) => r.service === 'provider').length >= 6, 'the identity provider saw the flow');
      assert.ok(byService('frontend').length >= 2, 'the frontend saw the flow');
      for (const r of fromBrowser) {
        assert.equal(r.traceparent, null, `${r.service} ${r.method} ${r.path} got no traceparent`);
      }
    } finally {
      await tmp.remove();
    }
  });
});
