// CONFIG_AUTH_URL_MISMATCH only when proven. Staging's backend names its auth service by a custom domain behind
// a load balancer (AUTH_SERVICE_URL=https://auth.staging.netrasystems.ai, netra-protocol §9): that is the auth
// service when its /health answers as the auth service of the same environment, and a note when it cannot be
// asked; unset, the code's default, another service's run.app URL, or a /health that answers as something else
// are still findings. The "load balancer" here is a real loopback server forwarding to the double's auth service.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type DoubleOptions, startDouble } from '../../src/double/index.ts';
import type { Report } from '../../src/report/types.ts';
import { runCli } from '../support/run-cli.ts';
import { googleEnv, probeEnv, secretsOf, testCredentials } from '../support/test-credentials.ts';

type BackendEnv = NonNullable<NonNullable<NonNullable<DoubleOptions['google']>['env']>['backend']>;

/**
 * A load balancer in front of one upstream: forwards GET /health and answers with what the upstream said. An
 * upstream `production:` stands for another environment's auth service (the double's says staging).
 */
async function loadBalancer(upstream: () => string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (upstream() === 'production:') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'healthy', service: 'auth-service', environment: 'production' }));
      return;
    }
    fetch(new URL(req.url ?? '/', upstream()))
      .then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(await r.text());
      })
      .catch(() => {
        res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const codes = (stdout: string) => [...stdout.matchAll(/^FINDING {2}(\w+)$/gm)].map((m) => m[1]);

// One at a time: the load balancer's upstream is set by each test.
describe('the backend names its auth service by another URL', { concurrency: 1 }, () => {
  let upstream = '';
  let lb: { url: string; server: Server };
  before(async () => {
    lb = await loadBalancer(() => upstream);
  });
  after(() => new Promise<void>((resolve) => lb.server.close(() => resolve())));

  /** The load balancer forwards to the double's auth service, its backend, or another environment's auth. */
  async function preflight(tag: string, backend: BackendEnv, behind: 'auth' | 'api' | 'production' = 'auth') {
    const credentials = testCredentials(`authurl-${tag}`);
    const double = await startDouble({ fault: 'healthy', credentials, google: { env: { backend } } });
    upstream = behind === 'auth' ? double.authUrl : behind === 'api' ? double.apiUrl : 'production:';
    try {
      const out = await runCli(['preflight', '--auth-url', double.authUrl], { env: googleEnv(double) });
      // Both streams: a failing assertion below prints them.
      for (const secret of secretsOf(credentials)) assert.ok(!`${out.stdout}${out.stderr}`.includes(secret));
      return out;
    } finally {
      await double.close();
    }
  }

  it('a custom domain whose /health answers as the auth service of this environment: no finding', async () => {
    const out = await preflight('custom-domain', { AUTH_SERVICE_URL: { value: lb.url } });
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.deepEqual(codes(out.stdout), []);
    assert.match(out.stdout, /answers \/health as the auth service \(staging\)/);
  });

  it('a custom domain that cannot be asked from here: a note, not a finding', async () => {
    const out = await preflight('unreachable', { AUTH_SERVICE_URL: { value: 'http://127.0.0.1:9' } });
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.deepEqual(codes(out.stdout), []);
    assert.match(
      out.stdout,
      /AUTH_SERVICE_URL http:\/\/127\.0\.0\.1:9 could not be confirmed from here .*not reported as drift/,
    );
  });

  const MISMATCHES: Array<[string, BackendEnv, RegExp, ('auth' | 'api' | 'production')?]> = [
    [
      'unset',
      { AUTH_SERVICE_URL: null },
      /AUTH_SERVICE_URL is not set \(the backend then calls http:\/\/localhost:8081\)/,
    ],
    [
      'the code default',
      { AUTH_SERVICE_URL: { value: 'http://localhost:8081' } },
      /is http:\/\/localhost:8081, the code's default/,
    ],
    [
      "another service's run.app URL",
      { AUTH_SERVICE_URL: { value: 'https://netra-frontend-staging-abc123-uc.a.run.app' } },
      /another Cloud Run service's run\.app URL/,
    ],
    [
      'a URL whose /health answers as something else (a load balancer in front of the backend)',
      { AUTH_SERVICE_URL: { value: 'LB' } },
      /whose \/health answers 200 as something else \(\{"status":"ok"\}\)/,
      'api',
    ],
    [
      "a load balancer in front of another environment's auth service",
      { AUTH_SERVICE_URL: { value: 'LB' } },
      /whose \/health answers as the auth service of environment production, not staging/,
      'production',
    ],
  ];
  for (const [kind, backend, why, behind] of MISMATCHES) {
    it(`still a finding: ${kind}`, async () => {
      const env =
        backend?.AUTH_SERVICE_URL && 'value' in backend.AUTH_SERVICE_URL && backend.AUTH_SERVICE_URL.value === 'LB'
          ? { AUTH_SERVICE_URL: { value: lb.url } }
          : backend;
      const out = await preflight(kind.replaceAll(/\W/g, ''), env, behind);
      assert.equal(out.code, 1, out.stdout + out.stderr);
      assert.deepEqual(codes(out.stdout), ['CONFIG_AUTH_URL_MISMATCH']);
      assert.match(out.stdout, why);
    });
  }

  it('run against the healthy deployment with the custom domain: pass, hop config passes, no finding', async () => {
    const credentials = testCredentials('authurl-run');
    const double = await startDouble({
      fault: 'healthy',
      credentials,
      google: { env: { backend: { AUTH_SERVICE_URL: { value: lb.url } } } },
    });
    upstream = double.authUrl;
    const dir = await mkdtemp(join(tmpdir(), 'golden-probe-authurl-'));
    try {
      const out = await runCli(['run', '--json', join(dir, 'report.json'), '--log-level', 'silent'], {
        env: { ...probeEnv(double, credentials), ...googleEnv(double) },
      });
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
      assert.equal(report.result, 'pass', out.stdout + out.stderr);
      assert.equal(out.code, 0);
      const config = report.hops.find((h) => h.name === 'config');
      assert.equal(config?.status, 'pass', JSON.stringify(config));
      assert.ok(config?.evidence?.some((e) => /answers \/health as the auth service/.test(e)));
    } finally {
      await double.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
