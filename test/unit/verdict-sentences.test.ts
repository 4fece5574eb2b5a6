// Issue 22: sentences by login mode and network-error kind, the PASS sentence per hop, for paths the
// loopback servers cannot reach (a browser sign-in, DNS, TLS, a reset).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOP_NAMES } from '../../src/domain/hops.ts';
import { networkErrorOf } from '../../src/net/network-error.ts';
import type { HopReport } from '../../src/report/types.ts';
import { passSentence } from '../../src/triage/pass-sentence.ts';
import { summaryFor } from '../../src/triage/summaries.ts';

const hop = (o: Partial<HopReport> & Pick<HopReport, 'name'>): HopReport => ({
  status: 'fail',
  durationMs: 1,
  startMs: 0,
  ...o,
});

describe('login advice by mode', () => {
  const refusedInBrowser = hop({
    name: 'login',
    code: 'LOGIN_REJECTED',
    evidence: [
      `the identity provider's sign-in page "Sign in" (http://idp/) did not accept the test user's password: "Wrong password"`,
    ],
  });
  it('browser: the user\'s credentials, never the bypass key; "refused" is not "no answer"', () => {
    const s = summaryFor('LOGIN_REJECTED', refusedInBrowser, { login: 'browser' });
    assert.match(s, /^The sign-in through the browser was refused \(the identity provider's sign-in page/);
    assert.match(s, /check PROBE_USER_EMAIL and PROBE_USER_PASSWORD/);
    assert.doesNotMatch(s, /BYPASS|E2E_OAUTH|no answer/);
  });
  it('password and e2e name their own variables', () => {
    const h = hop({ name: 'login', code: 'LOGIN_REJECTED', httpStatus: 401 });
    assert.match(summaryFor('LOGIN_REJECTED', h, { login: 'password' }), /PROBE_USER_PASSWORD/);
    assert.doesNotMatch(summaryFor('LOGIN_REJECTED', h, { login: 'password' }), /BYPASS/);
    assert.match(summaryFor('LOGIN_REJECTED', h, { login: 'e2e' }), /PROBE_E2E_BYPASS_KEY/);
    assert.doesNotMatch(summaryFor('LOGIN_REJECTED', h, { login: 'e2e' }), /PROBE_USER_PASSWORD/);
  });
});

describe('network errors: one description, advice by kind', () => {
  const url = new URL('https://auth.staging.example:8443/auth/login');
  const cases: Array<[string, string, RegExp]> = [
    ['ENOTFOUND', 'dns', /does not resolve: check the URL \(a typo, or a service that was deleted\) and DNS/],
    ['EAI_AGAIN', 'dns', /does not resolve/],
    ['ECONNREFUSED', 'refused', /nothing listens at https:\/\/a\.example: check the URL and port/],
    ['ECONNRESET', 'reset', /dropped the connection: check its instances for crashes/],
    ['UND_ERR_SOCKET', 'reset', /dropped the connection/],
    [
      'CERT_HAS_EXPIRED',
      'tls',
      /TLS with https:\/\/a\.example failed: check the URL's scheme and port, and the service's certificate/,
    ],
    ['EPROTO', 'tls', /TLS with/],
    ['ETIMEDOUT', 'timeout', /did not answer in time/],
  ];
  for (const [code, kind, advice] of cases) {
    it(`${code} → ${kind}`, () => {
      const err = Object.assign(new Error('server-chosen words'), { code });
      const net = networkErrorOf(err, url);
      assert.equal(net.kind, kind);
      assert.doesNotMatch(net.text, /server-chosen/);
      const s = summaryFor(
        'LOGIN_UNAVAILABLE',
        hop({ name: 'login', code: 'LOGIN_UNAVAILABLE', network: { kind: net.kind, code }, evidence: ['x'] }),
        { login: 'e2e', authUrl: 'https://a.example' },
      );
      assert.match(s, advice);
      // DNS is not a Cloud Run revision problem: only "no answer in time" and unknown kinds say look at the revision.
      if (kind !== 'timeout') assert.doesNotMatch(s, /Cloud Run revision/);
    });
  }
  it('an error code made of other characters is not quoted', () => {
    assert.equal(networkErrorOf({ code: 'E<script>' }, url).code, 'network error');
  });
});

describe('the PASS sentence is built from the hops that ran', () => {
  const passed = (name: HopReport['name']) => hop({ name, status: 'pass' });
  it('has a phrase for every hop', () => {
    for (const name of HOP_NAMES) assert.notEqual(passSentence([passed(name)]), 'No hop ran.', name);
  });
  it('the golden path', () => {
    const s = passSentence(
      ['login', 'token', 'ws.connect', 'agent.run', 'chat.messages.list', 'chat.messages.create'].map((n) =>
        passed(n as HopReport['name']),
      ),
    );
    assert.equal(
      s,
      'A real user can log in, get a well-formed token, open the WebSocket, run an agent and see its events in order and use chat messages.',
    );
  });
  it('a failed hop is never claimed (it cannot PASS, but a degraded one can)', () => {
    const s = passSentence([passed('login'), hop({ name: 'agent.run', status: 'degraded' })]);
    assert.equal(s, 'A real user can log in and run an agent and see its events in order.');
  });
  it('the login is said as the mode that ran it: the e2e bypass is no real user, a browser sign-in is one', () => {
    const hops = [passed('login'), passed('token')];
    assert.equal(
      passSentence(hops, { login: 'e2e' }),
      'A user logged in through the e2e test login can get a well-formed token.',
    );
    assert.equal(
      passSentence(hops, { login: 'browser' }),
      'A real user can sign in through the browser and get a well-formed token.',
    );
    assert.equal(passSentence(hops, { login: 'password' }), 'A real user can log in and get a well-formed token.');
  });
});

describe('the database sentence by what the probe can read', () => {
  const refused = hop({ name: 'thread.create', code: 'DB_SESSION_REFUSED', httpStatus: 403 });
  it('without a GCP project it says how to let the probe read the logs', () => {
    assert.match(summaryFor('DB_SESSION_REFUSED', refused), /\(give the probe --gcp-project to read them itself\)\.$/);
  });
  it('with one (the probe read them) it does not tell the reader to give it', () => {
    const s = summaryFor('DB_SESSION_REFUSED', refused, { gcpProject: true });
    assert.doesNotMatch(s, /--gcp-project/);
    assert.match(s, /create_request_scoped_db_session\.$/);
  });
});

describe('AGENT_EVENTS_MISSING names what to chase', () => {
  const missing = (m: string[]) => hop({ name: 'agent.run', code: 'AGENT_EVENTS_MISSING', missing: m });
  it('no tool event at all: only what the run owed (a run without a tool sends none), not the tool bridge', () => {
    const s = summaryFor('AGENT_EVENTS_MISSING', missing(['tool_executing', 'tool_completed', 'agent_completed']));
    assert.match(s, /^The agent run did not deliver agent_completed in time/);
  });
  it('half a tool pair: the tool event that did not come is named', () => {
    const s = summaryFor('AGENT_EVENTS_MISSING', missing(['tool_completed', 'agent_completed']));
    assert.match(s, /^The agent run did not deliver tool_completed, agent_completed in time/);
  });
});
