// Faults on the auth side: what the probe's login and triage see, and how the backend then behaves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunningDouble } from '../../src/double/index.ts';
import {
  accessToken,
  bearer,
  CREDS,
  connectWs,
  decodePayload,
  e2eLogin,
  getJson,
  postJson,
  validate,
  withDouble,
} from './support.ts';

const SERVICE = { id: 'netra-backend', secret: CREDS.serviceSecret };

/** The backend's view of a token: the WS close and first frame, and the REST status. */
async function backendVerdict(d: RunningDouble, token: string) {
  const c = connectWs(d.wsUrl, { headers: bearer(token) });
  const closed = await c.closed;
  const rest = await getJson(`${d.apiUrl}/api/chat/messages`, bearer(token));
  return { closeCode: closed.code, frame: c.frames[0]?.frame ?? {}, restStatus: rest.status, restBody: rest.json };
}

test('bad_bypass_key: e2e login 401 "Invalid E2E bypass key", password login 401 "Invalid credentials"', () =>
  withDouble('bad_bypass_key', async (d) => {
    const e2e = await e2eLogin(d);
    assert.equal(e2e.status, 401);
    assert.deepEqual(e2e.json, { detail: 'Invalid E2E bypass key' });
    const pw = await postJson(
      `${d.authUrl}/auth/login`,
      JSON.stringify({ email: CREDS.userEmail, password: CREDS.userPassword }),
    );
    assert.equal(pw.status, 401);
    assert.deepEqual(pw.json, { detail: 'Invalid credentials' });
  }));

test('auth_down: every auth request is reset; the backend reports auth unavailable (WS 1011, REST 503)', () =>
  withDouble('auth_down', async (d) => {
    for (const attempt of [() => e2eLogin(d), () => fetch(`${d.authUrl}/health`)]) {
      await assert.rejects(attempt(), (err: unknown) => {
        const code = (err as { cause?: { code?: string } }).cause?.code;
        assert.ok(code === 'ECONNRESET' || code === 'UND_ERR_SOCKET', `network-level failure, got ${String(code)}`);
        return true;
      });
    }
    const c = connectWs(d.wsUrl, { headers: bearer('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl') });
    assert.equal(await c.upgrade, 101);
    const closed = await c.closed;
    assert.equal(closed.code, 1011);
    assert.equal(c.frames[0]?.frame.error_code, 'AUTH_FAILED');
    assert.match(String(c.frames[0]?.frame.error_message), /Auth service unavailable/);
    const rest = await getJson(`${d.apiUrl}/api/chat/messages`, bearer('some.token.value'));
    assert.equal(rest.status, 503);
    assert.deepEqual(rest.json, { detail: 'Authentication service temporarily unavailable' });
    const authRecords = d.requests.filter((r) => r.service === 'auth');
    assert.ok(authRecords.length >= 3);
    assert.ok(
      authRecords.every((r) => r.status === 0),
      'no response was ever sent',
    );
  }));

test('token_expired: the issued token is already expired and /auth/validate says invalid_token', () =>
  withDouble('token_expired', async (d) => {
    const token = await accessToken(d);
    const claims = decodePayload(token);
    const now = Date.now() / 1000;
    assert.ok(Number(claims.exp) < now, 'exp in the past');
    assert.ok(Math.abs(now - Number(claims.iat) - 31 * 60) < 5, 'iat 31 min ago');
    assert.equal((await validate(d, token)).json?.error, 'invalid_token');
    const v = await backendVerdict(d, token);
    assert.equal(v.closeCode, 1008);
    assert.equal(v.restStatus, 401);
  }));

test('service_secret_mismatch: valid without service headers, invalid_service_secret with them; backend rejects', () =>
  withDouble('service_secret_mismatch', async (d) => {
    const token = await accessToken(d);
    assert.equal((await validate(d, token)).json?.valid, true);
    const withHeaders = await validate(d, token, SERVICE);
    assert.equal(withHeaders.json?.valid, false);
    assert.equal(withHeaders.json?.error, 'invalid_service_secret');
    const v = await backendVerdict(d, token);
    assert.equal(v.closeCode, 1008);
    assert.equal(v.frame.error_code, 'AUTH_FAILED');
    assert.match(String(v.frame.error_message), /invalid_service_secret/);
    assert.equal(v.restStatus, 401);
    assert.deepEqual(v.restBody, { detail: 'Authentication failed' });
  }));

test('jwt_secret_drift: the auth service rejects its own fresh token', () =>
  withDouble('jwt_secret_drift', async (d) => {
    const token = await accessToken(d);
    assert.equal(decodePayload(token).iss, 'netra-auth-service', 'claims look fine locally');
    assert.equal((await validate(d, token)).json?.error, 'invalid_token');
    assert.equal((await validate(d, token, SERVICE)).json?.error, 'invalid_token');
    const v = await backendVerdict(d, token);
    assert.equal(v.closeCode, 1008);
    assert.equal(v.restStatus, 401);
  }));

test('service_id_invalid: with service headers the answer is invalid_service_id; backend rejects', () =>
  withDouble('service_id_invalid', async (d) => {
    const token = await accessToken(d);
    assert.equal((await validate(d, token)).json?.valid, true);
    const r = await validate(d, token, SERVICE);
    assert.equal(r.json?.error, 'invalid_service_id');
    assert.match(String(r.json?.message), /got 'netra-backend'/);
    const v = await backendVerdict(d, token);
    assert.equal(v.closeCode, 1008);
    assert.match(String(v.frame.error_message), /invalid_service_id/);
    assert.equal(v.restStatus, 401);
  }));

test('service_not_configured: with service headers the answer is service_not_configured; backend rejects', () =>
  withDouble('service_not_configured', async (d) => {
    const token = await accessToken(d);
    assert.equal((await validate(d, token)).json?.valid, true);
    assert.equal((await validate(d, token, SERVICE)).json?.error, 'service_not_configured');
    const v = await backendVerdict(d, token);
    assert.equal(v.closeCode, 1008);
    assert.equal(v.restStatus, 401);
  }));
