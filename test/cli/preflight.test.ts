import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type DoubleOptions, type FaultName, startDouble } from '../../src/double/index.ts';
import type { ConfigFinding } from '../../src/report/types.ts';
import { runCli } from '../support/run-cli.ts';
import { googleEnv, secretsOf, testCredentials } from '../support/test-credentials.ts';

async function preflight(fault: FaultName, args: string[] = [], google: DoubleOptions['google'] = {}) {
  const credentials = testCredentials(`preflight-${fault}`);
  const double = await startDouble({ fault, credentials, google });
  try {
    const out = await runCli(['preflight', '--auth-url', double.authUrl, ...args], { env: googleEnv(double) });
    const text = out.stdout + out.stderr;
    // No secret value, and not the Google token, ever reaches the output.
    for (const secret of [...secretsOf(credentials), double.google.accessToken])
      assert.ok(!text.includes(secret), `a secret leaked:\n${text}`);
    return { ...out, text, double };
  } finally {
    await double.close();
  }
}

const codes = (stdout: string) => [...stdout.matchAll(/^FINDING {2}(\w+)$/gm)].map((m) => m[1]);

describe("golden-probe preflight against the double's Google fakes", { concurrency: 3 }, () => {
  it('a consistent deployment: no finding, exit 0', async () => {
    const out = await preflight('healthy');
    assert.equal(out.code, 0, out.text);
    assert.match(out.stdout, /OK {2}no problem found/);
    assert.match(out.stdout, /netra-backend-staging: revision netra-backend-staging-00042-\w+ serves 100% of traffic/);
  });

  it('service_secret_mismatch: the two services hold different pinned versions of service-secret-staging', async () => {
    const out = await preflight('service_secret_mismatch');
    assert.equal(out.code, 1, out.text);
    assert.deepEqual(codes(out.stdout), ['CONFIG_SECRET_VERSION_DIFFERS']);
    assert.match(
      out.stdout,
      /SERVICE_SECRET: netra-backend-staging holds service-secret-staging version 7 \(pinned\), netra-auth-service holds version 8 \(pinned\)/,
    );
  });

  it('--compare-secret-values: the fingerprints differ, and neither values nor fingerprints are shown', async () => {
    const out = await preflight('service_secret_mismatch', ['--compare-secret-values']);
    assert.deepEqual(codes(out.stdout), ['CONFIG_SECRET_VERSION_DIFFERS', 'CONFIG_SECRET_VALUES_DIFFER']);
    assert.doesNotMatch(out.text, /\b[0-9a-f]{64}\b/, 'no SHA-256 fingerprint in the output');
  });

  it('--compare-secret-values clears a split whose values are the same', async () => {
    const copy = { env: { auth: { SERVICE_SECRET: { secret: 'service-secret-copy', version: 'latest' } } } };
    assert.deepEqual(codes((await preflight('healthy', [], copy)).stdout), ['CONFIG_SECRET_DIFFERS']);
    const out = await preflight('healthy', ['--compare-secret-values'], copy);
    assert.equal(out.code, 0, out.text);
    assert.match(
      out.stdout,
      /SERVICE_SECRET: service-secret-staging:7 and service-secret-copy:1 hold the same value \(SHA-256 fingerprints compared, not shown\)/,
    );
  });

  it('secret_rotated: latest moved after the backend started, and the fix says which service to redeploy and why', async () => {
    const out = await preflight('secret_rotated');
    assert.deepEqual(codes(out.stdout), ['CONFIG_SECRET_ROTATED_AFTER_START']);
    assert.match(
      out.stdout,
      /Redeploy netra-backend-staging: version 8 of service-secret-staging was added at \S+Z, after revision netra-backend-staging-00042-\w+ started/,
    );
  });

  it('--json: each finding with its services, variables, versions and times', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'golden-probe-preflight-'));
    try {
      const out = await preflight('secret_rotated', ['--json', join(dir, 'preflight.json')]);
      const doc = JSON.parse(await readFile(join(dir, 'preflight.json'), 'utf8')) as {
        schema: string;
        findings: ConfigFinding[];
      };
      assert.equal(doc.schema, 'golden-path-probe/preflight@1', out.text);
      const [f] = doc.findings;
      assert.equal(f?.code, 'CONFIG_SECRET_ROTATED_AFTER_START');
      assert.deepEqual(f?.services, ['netra-backend-staging']);
      assert.deepEqual(f?.variables, ['SERVICE_SECRET']);
      assert.deepEqual(f?.versions, ['service-secret-staging:7', 'service-secret-staging:8']);
      assert.equal(f?.times.length, 2);
      assert.ok(f!.times.every((t) => Number.isFinite(Date.parse(t))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('backend_missing_service_id: #115, the backend has no SERVICE_ID', async () => {
    const out = await preflight('backend_missing_service_id');
    assert.deepEqual(codes(out.stdout), ['CONFIG_VARIABLE_MISSING']);
    assert.match(out.stdout, /netra-backend-staging revision \S+ \(100% of traffic\) has no SERVICE_ID/);
    assert.match(out.stdout, /--set-secrets "SERVICE_ID=service-id-staging:latest"/);
  });

  it('the same variable from different secrets on the two services', async () => {
    const out = await preflight('healthy', [], {
      env: { auth: { SERVICE_ID: { secret: 'database-url-staging', version: 'latest' } } },
    });
    assert.deepEqual(codes(out.stdout), ['CONFIG_SECRET_DIFFERS']);
    assert.match(
      out.stdout,
      /SERVICE_ID: netra-backend-staging reads service-id-staging:latest.*, netra-auth-service reads database-url-staging:latest/,
    );
  });

  it('#1037: JWT_SECRET, JWT_SECRET_KEY and JWT_SECRET_STAGING not one secret', async () => {
    const out = await preflight('healthy', [], {
      env: { backend: { JWT_SECRET_KEY: { secret: 'service-secret-staging', version: 'latest' } } },
    });
    assert.deepEqual(codes(out.stdout), ['CONFIG_JWT_SECRETS_SPLIT']);
    assert.match(
      out.stdout,
      /netra-backend-staging: JWT_SECRET → jwt-secret-staging, JWT_SECRET_KEY → service-secret-staging/,
    );
  });

  it('a mounted version that is disabled', async () => {
    const out = await preflight('healthy', [], { versionStates: { 'jwt-secret-staging:3': 'DISABLED' } });
    assert.ok(
      codes(out.stdout).every((c) => c === 'CONFIG_SECRET_VERSION_UNUSABLE') && codes(out.stdout).length === 6,
      out.stdout,
    );
    assert.match(
      out.stdout,
      /JWT_SECRET_KEY: netra-backend-staging mounts jwt-secret-staging:latest, and version 3 is DISABLED/,
    );
  });

  it("the backend's AUTH_SERVICE_URL is not the auth service", async () => {
    const out = await preflight('healthy', [], {
      env: { backend: { AUTH_SERVICE_URL: { value: 'http://localhost:8081' } } },
    });
    assert.deepEqual(codes(out.stdout), ['CONFIG_AUTH_URL_MISMATCH']);
    assert.match(
      out.stdout,
      /AUTH_SERVICE_URL is http:\/\/localhost:8081, the code's default for an unset one \(nothing listens there\); the auth service is http:\/\/127\.0\.0\.1:\d+/,
    );
  });

  it('ENVIRONMENT is not the expected one', async () => {
    const out = await preflight('healthy', [], { env: { auth: { ENVIRONMENT: { value: 'development' } } } });
    assert.deepEqual(codes(out.stdout), ['CONFIG_ENVIRONMENT_MISMATCH']);
    assert.match(out.stdout, /netra-auth-service revision \S+: ENVIRONMENT is development, expected staging/);
  });

  it('hostile API: a missing role is one clear line naming the role', async () => {
    const out = await preflight('healthy', [], { roles: ['roles/secretmanager.viewer', 'roles/logging.viewer'] });
    assert.equal(out.code, 1, out.text);
    assert.match(
      out.stdout,
      /Cloud Run Admin API refused to show service netra-backend-staging \(403 PERMISSION_DENIED\): grant the probe's service account roles\/run\.viewer on project netra-staging/,
    );
  });

  it('hostile API: a wrong service name is a 404 that names the setting to fix', async () => {
    const out = await preflight('healthy', ['--backend-service', 'netra-backend']);
    assert.equal(out.code, 1, out.text);
    assert.match(
      out.stdout,
      /Cloud Run Admin API: service netra-backend not found \(404\): check --backend-service \/ PROBE_BACKEND_SERVICE/,
    );
  });

  it('hostile API: 429 answers are retried', async () => {
    const out = await preflight('secret_rotated', [], { rateLimitFirst: 2 });
    assert.deepEqual(codes(out.stdout), ['CONFIG_SECRET_ROTATED_AFTER_START'], out.text);
  });

  it('a wrong access token: 401 named, no crash', async () => {
    const credentials = testCredentials('preflight-token');
    const double = await startDouble({ fault: 'healthy', credentials });
    try {
      const out = await runCli(['preflight'], {
        env: { ...googleEnv(double), PROBE_GCP_ACCESS_TOKEN: 'not-the-token' },
      });
      assert.equal(out.code, 1, out.stdout + out.stderr);
      assert.match(out.stdout, /rejected the access token \(401\)/);
    } finally {
      await double.close();
    }
  });

  it('without --gcp-project it is a usage error naming the variable', async () => {
    const out = await runCli(['preflight']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--gcp-project \/ PROBE_GCP_PROJECT: required/);
  });
});
