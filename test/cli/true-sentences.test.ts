// Issue 22: every verdict sentence true for the mode and the path that ran. Real servers on loopback: the
// double, a server that accepts connections and never answers, a port nobody listens on.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { runCli } from '../support/run-cli.ts';
import { probeEnv, testCredentials } from '../support/test-credentials.ts';

const credentials = testCredentials('sentences');
let double: RunningDouble;
let hung: Server;
let hungUrl: string;
let closedUrl: string;
let hangUp: Server;
let hangUpUrl: string;
const sockets = new Set<Socket>();

before(async () => {
  double = await startDouble({ fault: 'healthy', credentials });
  // Accepts the connection, reads the request, never answers: a hung instance behind a load balancer.
  hung = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
  hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
  // Accepts, then drops the connection without a word: a crashing instance.
  hangUp = createServer((s) => s.destroy());
  await new Promise<void>((r) => hangUp.listen(0, '127.0.0.1', r));
  hangUpUrl = `http://127.0.0.1:${(hangUp.address() as { port: number }).port}`;
  // A port that was free a moment ago: nothing listens there (connection refused).
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise<void>((r) => probe.close(() => r()));
});
after(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => hung.close(() => r()));
  await new Promise<void>((r) => hangUp.close(() => r()));
  await double.close();
});

const count = (text: string, part: string) => text.split(part).length - 1;
const FAST = ['--timeout-ms', '4000'];

describe('verdict sentences against real servers', { concurrency: 3 }, () => {
  it('triage: a hung auth service does not make the healthy backend look down (checks run at once)', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_AUTH_URL: hungUrl };
    const out = await runCli(['run', '--timeout-ms', '2500'], { env });
    const v = out.report!.verdict;
    assert.equal(v.code, 'LOGIN_UNAVAILABLE', out.stderr);
    assert.ok(v.evidence.includes('triage: backend /health answered 200 (ok)'), v.evidence.join('\n'));
    assert.ok(v.evidence.some((e) => /^triage: auth service \/health got no answer/.test(e)));
    // Timed out, not refused: the advice is about a service that does not answer in time.
    assert.match(
      v.summary,
      /^The auth service at http:\/\/127\.0\.0\.1:\d+ did not answer at login before the deadline: check its Cloud Run revision/,
    );
    assert.deepEqual(out.report!.hops.find((h) => h.name === 'login')!.network, { kind: 'timeout', code: 'timeout' });
  });

  it('refused: "nothing listens", the URL named once in the sentence, no Cloud Run revision advice', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_AUTH_URL: closedUrl };
    const out = await runCli(['run', ...FAST], { env });
    const v = out.report!.verdict;
    assert.equal(v.code, 'LOGIN_UNAVAILABLE');
    assert.match(
      v.summary,
      /\(refused: ECONNREFUSED\): nothing listens at http:\/\/127\.0\.0\.1:\d+: check the URL and port/,
    );
    assert.equal(count(v.summary, closedUrl), 1, v.summary);
    assert.doesNotMatch(v.summary, /Cloud Run revision/);
    // The human summary: the target line names each URL once; the sentence once more; the evidence holds the request.
    assert.equal(count(out.stderr.split('\n').find((l) => l.startsWith('target:'))!, closedUrl), 1);
  });

  it('DNS: the host name does not resolve; the URL is to check, not the Cloud Run revision; named once', async () => {
    // A 64-character label is longer than DNS allows: the resolver refuses it without a query (loopback only).
    const host = `${'no-such-auth-service-'.repeat(4).slice(0, 64)}.invalid`;
    const env = { ...probeEnv(double, credentials), PROBE_AUTH_URL: `http://${host}:8080` };
    const out = await runCli(['run', ...FAST], { env });
    const v = out.report!.verdict;
    assert.equal(v.code, 'LOGIN_UNAVAILABLE');
    assert.match(
      v.summary,
      /^The auth service could not be reached at login \(DNS: (ENOTFOUND|EAI_AGAIN)\): the host name in http:\/\/no-such/,
    );
    assert.match(v.summary, /does not resolve: check the URL \(a typo, or a service that was deleted\) and DNS/);
    assert.doesNotMatch(v.summary, /Cloud Run revision/);
    assert.equal(count(v.summary, host), 1, v.summary);
  });

  it('TLS spoken to a plain-HTTP port: the TLS kind, about scheme and port', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_AUTH_URL: double.authUrl.replace('http:', 'https:') };
    const out = await runCli(['run', ...FAST], { env });
    const login = out.report!.hops.find((h) => h.name === 'login')!;
    assert.equal(login.network?.kind, 'tls', JSON.stringify(login));
    assert.match(
      out.report!.verdict.summary,
      /\(TLS: [A-Z_]+\): TLS with https:\/\/127\.0\.0\.1:\d+ failed: check the URL's scheme and port/,
    );
  });

  it('a connection dropped without an answer: the reset kind, about crashes and restarts', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_AUTH_URL: hangUpUrl };
    const out = await runCli(['run', ...FAST], { env });
    const login = out.report!.hops.find((h) => h.name === 'login')!;
    assert.equal(login.network?.kind, 'reset', JSON.stringify(login));
    assert.match(out.report!.verdict.summary, /dropped the connection: check its instances for crashes or restarts/);
  });

  it('the WebSocket refused is described as HTTP is (one description of a network error)', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_WS_URL: closedUrl.replace('http:', 'ws:') };
    const out = await runCli(['run', ...FAST], { env });
    const ws = out.report!.hops.find((h) => h.name === 'ws.connect')!;
    assert.deepEqual(ws.network, { kind: 'refused', code: 'ECONNREFUSED' });
    assert.match(ws.evidence![0]!, /connection refused \(ECONNREFUSED\): nothing listens at 127\.0\.0\.1:\d+/);
    assert.match(
      out.report!.verdict.summary,
      /^The backend could not be reached at ws\.connect \(refused: ECONNREFUSED\)/,
    );
  });

  it('swapped --api-url and --auth-url: triage reads the two /health bodies and says to swap them', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_API_URL: double.authUrl, PROBE_AUTH_URL: double.apiUrl };
    const out = await runCli(['run', ...FAST], { env });
    const v = out.report!.verdict;
    assert.match(
      v.summary,
      /^The two \/health answers say --api-url and --auth-url are the other way round: swap them/,
    );
    assert.ok(
      v.evidence.includes(
        'triage: the auth URL answers /health as the backend does and the api URL as the auth service does',
      ),
    );
  });

  it('a password login refused names the password, not the bypass key, and no swap', async () => {
    const env = {
      ...probeEnv(double, credentials),
      PROBE_USER_PASSWORD: 'not-the-password',
      PROBE_E2E_BYPASS_KEY: undefined,
    };
    const out = await runCli(['run', ...FAST], { env });
    const v = out.report!.verdict;
    // Password login refused: the password's variables, never the bypass key.
    assert.equal(v.code, 'LOGIN_REJECTED');
    assert.match(
      v.summary,
      /refused the test user's password login \(HTTP 401\): check PROBE_USER_EMAIL and PROBE_USER_PASSWORD/,
    );
    assert.doesNotMatch(v.summary, /BYPASS|E2E_OAUTH|no answer|other way round/);
  });

  it('an e2e login refused names the bypass key', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_E2E_BYPASS_KEY: 'not-the-bypass-key' };
    const out = await runCli(['run', ...FAST], { env });
    const v = out.report!.verdict;
    assert.equal(v.code, 'LOGIN_REJECTED');
    assert.match(
      v.summary,
      /refused the probe's e2e login \(HTTP 401\): check PROBE_E2E_BYPASS_KEY against the auth service's E2E_OAUTH_SIMULATION_KEY/,
    );
  });

  it('auth-only PASS claims only what ran: no agent, no chat messages created', async () => {
    const out = await runCli(['run', '--probe', 'auth-only', ...FAST], { env: probeEnv(double, credentials) });
    const v = out.report!.verdict;
    assert.equal(v.code, 'PASS', out.stderr);
    assert.equal(
      v.summary,
      "A user logged in through the e2e test login can get a well-formed token, open the WebSocket and list chat messages. The auth service accepts the backend's service credentials.",
    );
    assert.match(out.stderr, /^PASS {2}\(\d+ ms\)$/m);
    assert.doesNotMatch(out.stderr, /PASS PASS/);
  });

  it('a skipped hop is said as not checked, never as passed', async () => {
    const env = { ...probeEnv(double, credentials), PROBE_SERVICE_SECRET: undefined };
    const out = await runCli(['run', '--probe', 'auth-only', ...FAST], { env });
    const v = out.report!.verdict;
    assert.equal(v.code, 'PASS');
    assert.match(v.summary, /Not checked: service\.auth \(PROBE_SERVICE_SECRET is not set\)\.$/);
    assert.doesNotMatch(v.summary, /service credentials/);
  });
});
