import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { makeTestPki, type TestPki } from './certificates.ts';
import { assertCleanFailure, chaosStage, evidenceOf } from './chaos-run.ts';
import { forwardTo, hostileHttp, hostileHttps, hostileTcp, refusedUrl, tlsProxy } from './hostile-servers.ts';

// The auth service replaced by a server that misbehaves in one way; the backend is the healthy double.
describe('chaos: a hostile auth service', () => {
  const stage = chaosStage();
  let pki: TestPki;
  before(async () => {
    pki = makeTestPki();
  });
  after(async () => {
    rmSync(pki.dir, { recursive: true, force: true });
  });

  it('connection refused → LOGIN_UNAVAILABLE naming ECONNREFUSED', async () => {
    const out = await stage.run({ PROBE_AUTH_URL: await refusedUrl('http') });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /ECONNREFUSED/);
    assert.match(evidenceOf(out), /connection refused/i);
  });

  it('a host name that does not resolve → LOGIN_UNAVAILABLE naming the DNS failure', async () => {
    // A 64-character label is longer than DNS allows, so the resolver refuses it without sending a query:
    // the test stays on loopback (a name like x.invalid would go to the configured nameserver).
    const unresolvable = `${'no-such-auth-service-'.repeat(4).slice(0, 64)}.invalid`;
    const out = await stage.run({ PROBE_AUTH_URL: `http://${unresolvable}:8080` });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
    assert.ok(evidenceOf(out).includes(unresolvable), 'the evidence names the host');
  });

  it('TLS handshake failure (the port speaks plain text) → LOGIN_UNAVAILABLE naming TLS', async () => {
    const garbage = await stage.serve(
      hostileTcp('https', (s) => s.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n')),
    );
    const out = await stage.run({ PROBE_AUTH_URL: garbage.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /TLS/);
  });

  it('an untrusted certificate → LOGIN_UNAVAILABLE naming the certificate and NODE_EXTRA_CA_CERTS', async () => {
    const selfSigned = await stage.serve(
      hostileHttps({ key: pki.selfSignedKey, cert: pki.selfSignedCert }, (_q, r) => r.end('{}')),
    );
    const out = await stage.run({ PROBE_AUTH_URL: selfSigned.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /certificate/i);
    assert.match(evidenceOf(out), /NODE_EXTRA_CA_CERTS/);
    assert.equal(selfSigned.hits, 0, 'no request was sent over the untrusted connection');
  });

  it('a private CA is trusted through NODE_EXTRA_CA_CERTS: the run passes over TLS', async () => {
    const proxy = await stage.serve(tlsProxy({ key: pki.serverKey, cert: pki.serverCert }, stage.double.authUrl));
    const untrusted = await stage.run({ PROBE_AUTH_URL: proxy.url });
    assertCleanFailure(untrusted, 'login', 'LOGIN_UNAVAILABLE');
    const trusted = await stage.run({ PROBE_AUTH_URL: proxy.url, NODE_EXTRA_CA_CERTS: pki.caCertPath });
    assert.equal(trusted.code, 0, trusted.stderr.slice(-2000));
    assert.equal(trusted.report?.verdict.code, 'PASS');
    assert.ok(proxy.hits >= 2, 'login and /auth/validate went through the TLS proxy');
    // The hop report says where the login's time went, TLS handshake included.
    const [request] = trusted.report!.hops.find((h) => h.name === 'login')!.requests!;
    assert.equal(request?.reused, false);
    for (const phase of ['connectMs', 'tlsMs', 'firstByteMs'] as const) {
      assert.equal(typeof request?.[phase], 'number', phase);
    }
  });

  it('HTTP that never answers → LOGIN_UNAVAILABLE at the deadline, not a hang', async () => {
    const silent = await stage.serve(hostileHttp(() => undefined));
    const out = await stage.run({ PROBE_AUTH_URL: silent.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /no response before the deadline/);
  });

  it('a body that never ends → LOGIN_UNAVAILABLE saying the body did not finish', async () => {
    const endless = await stage.serve(
      hostileHttp((_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"access_token": "');
        const drip = setInterval(() => res.write('a'), 100);
        res.on('close', () => clearInterval(drip));
      }),
    );
    const out = await stage.run({ PROBE_AUTH_URL: endless.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /body did not finish/);
  });

  it('an HTML page with 200 → LOGIN_UNAVAILABLE saying something other than the auth API answered', async () => {
    const html = await stage.serve(
      hostileHttp((_q, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><html><body><h1>Sign in</h1></body></html>'),
      ),
    );
    const out = await stage.run({ PROBE_AUTH_URL: html.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /text\/html/);
  });

  it('non-JSON text with 200 → LOGIN_UNAVAILABLE', async () => {
    const text = await stage.serve(
      hostileHttp((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('OK')),
    );
    const out = await stage.run({ PROBE_AUTH_URL: text.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /not JSON/);
  });

  it('a 200 with the wrong JSON shape → LOGIN_UNAVAILABLE naming the missing access_token', async () => {
    const shape = await stage.serve(
      hostileHttp((_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":{"value":1}}')),
    );
    const out = await stage.run({ PROBE_AUTH_URL: shape.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /without an access_token/);
  });

  it('a redirect loop is not followed → LOGIN_UNAVAILABLE naming the redirect', async () => {
    const loop = await stage.serve(
      hostileHttp((req, res) => res.writeHead(302, { location: `${req.url}?again=1` }).end()),
    );
    const out = await stage.run({ PROBE_AUTH_URL: loop.url });
    assertCleanFailure(out, 'login', 'LOGIN_UNAVAILABLE');
    assert.match(evidenceOf(out), /redirect/i);
    assert.ok(loop.hits <= 4, `the probe did not follow the loop (${loop.hits} requests: login + triage)`);
  });

  it('a token that is not a JWT → TOKEN_INVALID at the token hop (the backend hops still give their evidence)', async () => {
    const junk = await stage.serve(
      hostileHttp((req, res) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(req.url === '/health' ? '{"status":"healthy"}' : '{"access_token":"not.a-jwt","token_type":"Bearer"}'),
      ),
    );
    const out = await stage.run({ PROBE_AUTH_URL: junk.url });
    assertCleanFailure(out, 'token', 'TOKEN_INVALID');
    assert.equal(
      out.report!.hops.find((h) => h.name === 'ws.connect')?.status,
      'fail',
      'the backend was still asked, and refused the junk token',
    );
  });

  it('/auth/validate answering HTML → LOGIN_UNAVAILABLE at service.auth; the login through the same host worked', async () => {
    const forward = forwardTo(stage.double.authUrl);
    const validateBroken = await stage.serve(
      hostileHttp((req, res) => {
        if (req.url === '/auth/validate')
          return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
        forward(req, res);
      }),
    );
    const out = await stage.run({ PROBE_AUTH_URL: validateBroken.url });
    assertCleanFailure(out, 'service.auth', 'LOGIN_UNAVAILABLE');
    assert.equal(out.report!.hops.find((h) => h.name === 'login')?.status, 'pass');
    assert.match(evidenceOf(out), /\/auth\/validate answered HTTP 200/);
  });
});
