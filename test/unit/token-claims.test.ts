import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { checkAccessToken } from '../../src/hops/token-claims.ts';

const key = new TextEncoder().encode('k'.repeat(48));
const now = 1_800_000_000;

function mint(claims: Record<string, unknown>, overrides: { iat?: number; exp?: number } = {}) {
  return new SignJWT({ token_type: 'access', type: 'access', email: 'a@b.c', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('e2e-user')
    .setIssuer('netra-auth-service')
    .setAudience('netra-platform')
    .setIssuedAt(overrides.iat ?? now - 10)
    .setExpirationTime(overrides.exp ?? now + 1800)
    .setJti('j1')
    .sign(key);
}

describe('checkAccessToken', () => {
  it('accepts a token the auth service would accept, and reports its exp and sub', async () => {
    const r = checkAccessToken(await mint({}), now);
    assert.deepEqual(r.problems, []);
    assert.equal(r.subject, 'e2e-user');
    assert.equal(r.expiresAt, now + 1800);
    assert.ok(r.facts.some((f) => f.includes('in 1800 s')));
  });
  it('rejects an expired token by its exp, whatever expires_in said', async () => {
    const r = checkAccessToken(await mint({}, { iat: now - 31 * 60, exp: now - 60 }), now);
    assert.deepEqual(r.problems, [`the token expired 60 s ago (exp ${new Date((now - 60) * 1000).toISOString()})`]);
  });
  it('rejects iat in the future beyond 60 s of skew, and tolerates 60 s', async () => {
    assert.deepEqual(checkAccessToken(await mint({}, { iat: now + 60 }), now).problems, []);
    assert.match(checkAccessToken(await mint({}, { iat: now + 120 }), now).problems.join(), /120 s in the future/);
  });
  it('rejects tokens issued more than 24 h ago', async () => {
    const r = checkAccessToken(await mint({}, { iat: now - 25 * 3600, exp: now + 3600 }), now);
    assert.match(r.problems.join(), /25 h old/);
  });
  it('rejects wrong iss, aud and token_type', async () => {
    const token = await new SignJWT({ token_type: 'refresh' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u')
      .setIssuer('someone-else')
      .setAudience('netra-services')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);
    const problems = checkAccessToken(token, now).problems;
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /iss is "someone-else"/);
    assert.match(problems[1]!, /aud is "netra-services"/);
    assert.match(problems[2]!, /token_type is "refresh"/);
  });
  it('flags self-minted tokens without token_type (the e2e helper kind)', async () => {
    const token = await new SignJWT({ type: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer('netra-auth-service')
      .setAudience('netra-platform')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key);
    assert.deepEqual(checkAccessToken(token, now).problems, ['token_type is null, expected "access"']);
  });
  it('rejects alg none and garbage', () => {
    const unsecured = new UnsecuredJWT({ token_type: 'access' })
      .setSubject('s')
      .setIssuer('netra-auth-service')
      .setAudience('netra-platform')
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .encode();
    assert.match(checkAccessToken(unsecured, now).problems.join(), /alg is none/);
    assert.match(checkAccessToken('not-a-jwt', now).problems[0]!, /not a decodable JWT/);
  });
});
