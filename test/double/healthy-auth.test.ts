// The healthy auth service: logins, token claims, /auth/validate, health and FastAPI misses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accessToken, CREDS, decodePayload, e2eLogin, getJson, postJson, validate, withDouble } from './support.ts';

const SERVICE = { id: 'netra-backend', secret: CREDS.serviceSecret };

test('e2e login returns the real shape and a token with the documented claims', () =>
  withDouble('healthy', async (d) => {
    const r = await e2eLogin(d);
    assert.equal(r.status, 200);
    const body = r.json ?? {};
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 900);
    assert.deepEqual(body.user, {
      id: 'e2e-e2e-test',
      email: 'e2e-test@staging.netrasystems.ai',
      name: 'E2E Test User',
      permissions: ['read', 'write'],
      oauth_simulated: true,
    });
    const claims = decodePayload(String(body.access_token));
    assert.equal(claims.sub, 'e2e-e2e-test');
    assert.equal(claims.token_type, 'access');
    assert.equal(claims.type, 'access');
    assert.equal(claims.iss, 'netra-auth-service');
    assert.equal(claims.aud, 'netra-platform');
    assert.equal(claims.env, 'staging');
    assert.equal(claims.svc_id, 'netra_auth_service_staging');
    assert.deepEqual(claims.permissions, []);
    assert.equal(typeof claims.jti, 'string');
    // 30 min lifetime although expires_in says 900 (a real quirk).
    assert.equal(Number(claims.exp) - Number(claims.iat), 1800);
    const refresh = decodePayload(String(body.refresh_token));
    assert.equal(refresh.token_type, 'refresh');
    assert.equal('permissions' in refresh, false);
  }));

test('e2e login echoes the requested email and derives the user id from its local part', () =>
  withDouble('healthy', async (d) => {
    const r = await e2eLogin(d, JSON.stringify({ email: 'alice@example.test', name: 'Alice' }));
    assert.equal(r.status, 200);
    const user = r.json?.user as Record<string, unknown>;
    assert.equal(user.id, 'e2e-alice');
    assert.equal(user.email, 'alice@example.test');
    assert.equal(user.name, 'Alice');
  }));

test('e2e login failures: missing key, wrong key, empty body', () =>
  withDouble('healthy', async (d) => {
    const url = `${d.authUrl}/auth/e2e/test-auth`;
    assert.deepEqual((await postJson(url, '{}')).json, { detail: 'E2E bypass key required' });
    const wrong = await postJson(url, '{}', { 'X-E2E-Bypass-Key': 'not-the-key' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { detail: 'Invalid E2E bypass key' });
    const empty = await postJson(url, '', { 'X-E2E-Bypass-Key': CREDS.bypassKey });
    assert.equal(empty.status, 422);
    assert.deepEqual(empty.json, { detail: 'Invalid JSON body' });
  }));

test('password login: success, missing fields, wrong password, non-JSON body', () =>
  withDouble('healthy', async (d) => {
    const url = `${d.authUrl}/auth/login`;
    const ok = await postJson(url, JSON.stringify({ email: CREDS.userEmail, password: CREDS.userPassword }));
    assert.equal(ok.status, 200);
    const user = ok.json?.user as Record<string, unknown>;
    assert.deepEqual(Object.keys(user).sort(), ['email', 'id']);
    assert.equal(user.email, CREDS.userEmail);
    assert.equal(decodePayload(String(ok.json?.access_token)).sub, user.id);

    const missing = await postJson(url, JSON.stringify({ email: CREDS.userEmail }));
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.json, { detail: 'Email and password are required' });
    const wrong = await postJson(url, JSON.stringify({ email: CREDS.userEmail, password: 'nope' }));
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { detail: 'Invalid credentials' });
    const garbage = await postJson(url, 'not json');
    assert.equal(garbage.status, 500);
    assert.deepEqual(garbage.json, { detail: 'Authentication failed' });
  }));

test('/auth/validate: valid with and without service headers, and its error codes, always HTTP 200', () =>
  withDouble('healthy', async (d) => {
    const token = await accessToken(d);
    const plain = await validate(d, token);
    assert.equal(plain.status, 200);
    assert.equal(plain.json?.valid, true);
    assert.equal(plain.json?.user_id, 'e2e-e2e-test');
    assert.deepEqual(plain.json?.permissions, []);
    assert.match(String(plain.json?.expires_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal((await validate(d, token, SERVICE)).json?.valid, true);

    const cases: Array<[Promise<{ status: number; json?: Record<string, unknown> | undefined }>, string]> = [
      [validate(d, token, { id: 'other-service', secret: CREDS.serviceSecret }), 'invalid_service_id'],
      [validate(d, token, { id: 'netra-backend', secret: 'wrong' }), 'invalid_service_secret'],
      [validate(d, `${token}x`), 'invalid_token'],
      [postJson(`${d.authUrl}/auth/validate`, '{}'), 'missing_token'],
      [postJson(`${d.authUrl}/auth/validate`, '{bad'), 'invalid_request'],
    ];
    for (const [pending, error] of cases) {
      const r = await pending;
      assert.equal(r.status, 200);
      assert.equal(r.json?.valid, false);
      assert.equal(r.json?.error, error);
      assert.equal(typeof r.json?.message, 'string');
    }
    // Only one of the two service headers: not checked at all.
    const half = await postJson(`${d.authUrl}/auth/validate`, JSON.stringify({ token }), {
      'X-Service-ID': 'whatever',
    });
    assert.equal(half.json?.valid, true);
  }));

test('health routes and FastAPI 404/405 shapes', () =>
  withDouble('healthy', async (d) => {
    const h = await getJson(`${d.authUrl}/health`);
    assert.equal(h.status, 200);
    assert.equal(h.json.status, 'healthy');
    assert.equal(h.json.service, 'auth-service');
    assert.equal(h.json.database_status, 'connected');
    assert.equal(h.json.environment, 'staging');
    assert.equal(typeof h.json.uptime_seconds, 'number');
    assert.equal((await getJson(`${d.authUrl}/auth/status`)).json.status, 'running');
    assert.equal((await getJson(`${d.authUrl}/auth/health`)).json.status, 'healthy');
    const missing = await getJson(`${d.authUrl}/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { detail: 'Not Found' });
    const wrongMethod = await getJson(`${d.authUrl}/auth/validate`);
    assert.equal(wrongMethod.status, 405);
    assert.deepEqual(wrongMethod.json, { detail: 'Method Not Allowed' });

    assert.deepEqual((await getJson(`${d.apiUrl}/health`)).json, { status: 'ok' });
    assert.deepEqual((await getJson(`${d.apiUrl}/health/ready`)).json, { status: 'ready' });
    const ws = await getJson(`${d.apiUrl}/ws/health`);
    assert.equal(ws.json.status, 'healthy');
    assert.equal(ws.json.mode, 'ssot_consolidated');
  }));
