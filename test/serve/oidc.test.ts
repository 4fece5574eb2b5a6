// POST /run behind --oidc-audience: a local JWKS server (jose-generated RSA key) and tokens minted with
// jose, sent to a real `golden-probe serve` process. Only a Google-style RS256 ID token for the audience,
// from an allowed and verified email, runs the probe; everything else is 401 and logged without the token.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import type { RunningDouble } from '../../src/double/index.ts';
import { envFor, postRun, SECRETS, type ServeProcess, spawnServe, startTestDouble } from './serve-process.ts';

const AUDIENCE = 'https://golden-probe.example.test/run';
const ALLOWED = 'scheduler@probe-project.iam.gserviceaccount.com';
const KID = 'test-key-1';

interface Keys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

describe('serve: POST /run with --oidc-audience', () => {
  let double: RunningDouble;
  let jwks: Server;
  let jwksUrl: string;
  let good: Keys;
  let other: Keys;
  let serve: ServeProcess;
  const tokens: string[] = [];

  before(async () => {
    good = await generateKeyPair('RS256', { extractable: true });
    other = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(good.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwks = createServer((req, res) => {
      if (req.url !== '/certs') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`;
    double = await startTestDouble('healthy');
    serve = await spawnServe(
      [
        '--oidc-audience',
        AUDIENCE,
        '--oidc-jwks-url',
        jwksUrl,
        '--oidc-allow',
        `someone@example.test, ${ALLOWED.toUpperCase()}`,
      ],
      envFor(double),
    );
  });

  after(async () => {
    serve?.kill();
    await double?.close();
    await new Promise<void>((r) => (jwks ? jwks.close(() => r()) : r()));
  });

  async function mint(
    opts: {
      claims?: JWTPayload;
      issuer?: string;
      audience?: string;
      key?: CryptoKey;
      kid?: string;
      iat?: number;
      exp?: number;
    } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ email: ALLOWED, email_verified: true, azp: '1234567890', ...opts.claims })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? KID, typ: 'JWT' })
      .setIssuer(opts.issuer ?? 'https://accounts.google.com')
      .setAudience(opts.audience ?? AUDIENCE)
      .setSubject('1234567890')
      .setIssuedAt(opts.iat ?? now)
      .setExpirationTime(opts.exp ?? now + 3_600)
      .sign(opts.key ?? good.privateKey);
    tokens.push(token);
    return token;
  }

  async function refused(headers: Record<string, string>, why: RegExp, code: string) {
    const before = serve.lines().filter((l) => l.event === 'run.unauthorized').length;
    const res = await postRun(serve.url, headers);
    assert.equal(res.status, 401, JSON.stringify(res.json));
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal(typeof res.json.error, 'string');
    assert.match(res.json.error as string, why);
    const unauthorized = () => serve.lines().filter((l) => l.event === 'run.unauthorized');
    await serve.waitFor(() => unauthorized().length > before, 5_000, 'the 401 log line');
    const line = unauthorized()[before]!;
    assert.equal(line.severity, 'WARNING');
    assert.match(line.message!, /POST \/run refused/);
    assert.equal(line.code, code);
  }

  it('runs the probe for a valid ID token from an allowed, verified email (either Google issuer spelling)', async () => {
    const res = await postRun(serve.url, { Authorization: `Bearer ${await mint()}` });
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.equal(res.json.schema, 'golden-path-probe/report@1');
    assert.equal((res.json.verdict as { code: string }).code, 'PASS');
    const requested = await serve.waitFor((l) => l.event === 'run.requested', 5_000, 'the run.requested line');
    assert.deepEqual(requested.caller, { email: ALLOWED, sub: '1234567890' });

    const bare = await postRun(serve.url, { Authorization: `Bearer ${await mint({ issuer: 'accounts.google.com' })}` });
    assert.equal(bare.status, 200);
  });

  it('refuses a missing or non-Bearer Authorization header', async () => {
    await refused({}, /no Authorization/, 'MISSING_TOKEN');
    await refused({ Authorization: 'Basic dXNlcjpwYXNz' }, /not "Bearer/, 'MISSING_TOKEN');
  });

  it('refuses a token for another audience', async () => {
    await refused(
      { Authorization: `Bearer ${await mint({ audience: 'https://someone-else.example.test' })}` },
      /aud/,
      'CLAIM_MISMATCH',
    );
  });

  it('refuses a token from another issuer', async () => {
    await refused(
      { Authorization: `Bearer ${await mint({ issuer: 'https://evil.example.test' })}` },
      /iss/,
      'CLAIM_MISMATCH',
    );
  });

  it('refuses an expired token (beyond the clock tolerance)', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refused(
      { Authorization: `Bearer ${await mint({ iat: now - 7_200, exp: now - 3_600 })}` },
      /expired/,
      'EXPIRED',
    );
  });

  it('refuses a token signed by another key, under the kid of the real one or an unknown kid', async () => {
    await refused({ Authorization: `Bearer ${await mint({ key: other.privateKey })}` }, /signature/, 'BAD_SIGNATURE');
    await refused(
      { Authorization: `Bearer ${await mint({ key: other.privateKey, kid: 'unknown-kid' })}` },
      /not signed by a key/,
      'UNKNOWN_KEY',
    );
  });

  it('refuses an unsigned token (alg: none) and an HS256 one', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      sub: '1',
      email: ALLOWED,
      email_verified: true,
      iat: now,
      exp: now + 600,
    };
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    tokens.push(none);
    await refused({ Authorization: `Bearer ${none}` }, /RS256/, 'ALG_NOT_ALLOWED');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .sign(new TextEncoder().encode('a-shared-secret-of-at-least-32-bytes!!'));
    tokens.push(hs);
    await refused({ Authorization: `Bearer ${hs}` }, /RS256/, 'ALG_NOT_ALLOWED');
  });

  it('refuses an email that is not on the allow-list, and an allowed one that is not verified', async () => {
    await refused(
      {
        Authorization: `Bearer ${await mint({ claims: { email: 'intruder@probe-project.iam.gserviceaccount.com' } })}`,
      },
      /allow-list/,
      'EMAIL_NOT_ALLOWED',
    );
    await refused(
      { Authorization: `Bearer ${await mint({ claims: { email_verified: false } })}` },
      /not verified/,
      'EMAIL_NOT_VERIFIED',
    );
  });

  it('never writes a token or a secret to its output', () => {
    const output = serve.stdout() + serve.stderr();
    assert.ok(tokens.length >= 10);
    for (const t of tokens) assert.ok(!output.includes(t), 'a token reached the logs');
    for (const t of tokens)
      assert.ok(!output.includes(t.split('.')[2] || 'no-signature-part'), 'a token signature reached the logs');
    for (const s of SECRETS) assert.ok(!output.includes(s), 'a secret reached the logs');
    assert.ok(serve.lines().filter((l) => l.event === 'run.unauthorized').length >= 10);
  });
});

describe('serve: POST /run when the JWKS cannot be fetched', () => {
  it("answers 503 with Retry-After (not the caller's fault), and runs nothing", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/certs`;
    await new Promise<void>((r) => closed.close(() => r()));
    const double = await startTestDouble('healthy');
    const serve = await spawnServe(
      ['--oidc-audience', AUDIENCE, '--oidc-jwks-url', deadUrl, '--oidc-allow', 'scheduler@example.test'],
      envFor(double),
    );
    try {
      const { privateKey } = await generateKeyPair('RS256');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: KID })
        .setIssuer('https://accounts.google.com')
        .setAudience(AUDIENCE)
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
      const res = await postRun(serve.url, { Authorization: `Bearer ${token}` });
      assert.equal(res.status, 503, JSON.stringify(res.json));
      assert.equal(res.headers.get('retry-after'), '10');
      assert.match(res.json.error as string, /could not be fetched/);
      assert.equal(serve.lines().filter((l) => l.event === 'run.start').length, 0);
      assert.equal(double.requests.length, 0);
    } finally {
      serve.kill();
      await double.close();
    }
  });
});
