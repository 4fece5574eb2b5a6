import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningDouble, startDouble } from '../../src/double/index.ts';
import { runCli } from '../support/run-cli.ts';
import { probeEnv, secretsOf, testCredentials } from '../support/test-credentials.ts';

const credentials = testCredentials('run-against-double');
const SECRETS = secretsOf(credentials);

describe('golden-probe run against a double started by the test', () => {
  let double: RunningDouble;
  let env: Record<string, string>;
  before(async () => {
    double = await startDouble({ fault: 'healthy', credentials });
    env = probeEnv(double, credentials);
  });
  after(() => double.close());

  it('passes in e2e mode, logs JSON lines per hop, and leaks no secret anywhere', async () => {
    const from = double.requests.length;
    const out = await runCli(['run'], { env });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.report?.verdict.code, 'PASS');
    assert.deepEqual(
      out.report?.hops.map((h) => [h.name, h.status]),
      [
        ['login', 'pass'],
        ['token', 'pass'],
        ['service.auth', 'pass'],
        ['thread.create', 'pass'],
        ['ws.connect', 'pass'],
        ['agent.run', 'pass'],
        ['chat.messages.list', 'pass'],
        ['chat.messages.create', 'pass'],
      ],
    );
    // Each HTTP hop reports its requests: the login opened the connection to auth, the REST hops share one
    // keep-alive connection to the backend (the list's opened it; the create's POST and read-back reuse it).
    const requestsOf = (name: string) => out.report!.hops.find((h) => h.name === name)!.requests ?? [];
    assert.deepEqual(
      requestsOf('login').map((r) => [r.method, r.path, r.status, r.reused]),
      [['POST', '/auth/e2e/test-auth', 200, false]],
    );
    assert.equal(typeof requestsOf('login')[0]!.firstByteMs, 'number');
    const create = requestsOf('chat.messages.create').map((r) => [r.method, r.reused]);
    assert.deepEqual(create, [
      ['POST', true],
      ['GET', true],
    ]);
    const agent = out.report!.hops.find((h) => h.name === 'agent.run')!;
    assert.deepEqual(
      [...new Set(agent.events!.map((e) => e.type))],
      ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'],
    );
    assert.ok(
      agent.events!.every((e, i, all) => i === 0 || e.atMs >= all[i - 1]!.atMs),
      'arrival times are monotonic',
    );

    const lines = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.filter((l) => typeof l.hop === 'string').map((l) => l.hop),
      out.report!.hops.map((h) => h.name),
    );
    assert.ok(lines.every((l) => typeof l.severity === 'string' && typeof l.message === 'string'));
    assert.match(out.stderr, /^PASS {2}\(\d+ ms\)$/m);

    const everything = out.stdout + out.stderr + JSON.stringify(out.report);
    for (const secret of SECRETS) assert.ok(!everything.includes(secret), 'a secret reached the output');
    assert.doesNotMatch(everything, /eyJ[\w-]+\.[\w-]+/);

    // Only the login call may carry the bypass key; nothing that switches on the backend's bypass is sent.
    const ours = double.requests.slice(from);
    const backend = ours.filter((r) => r.service === 'backend');
    assert.ok(backend.length >= 4, 'the backend saw the upgrade and the REST calls');
    for (const r of backend)
      assert.deepEqual(
        r.headerNames.filter((n) => /test|e2e/i.test(n)),
        [],
        `${r.method} ${r.path}`,
      );
    const keyCarriers = ours.filter((r) => r.headerNames.some((n) => n.toLowerCase() === 'x-e2e-bypass-key'));
    assert.deepEqual(
      keyCarriers.map((r) => r.path),
      ['/auth/e2e/test-auth'],
    );
  });

  it('logs in with a password and authenticates the socket with the jwt.<base64url> subprotocol', async () => {
    const out = await runCli(['run', '--login', 'password', '--ws-auth', 'subprotocol', '--log-level', 'silent'], {
      env,
    });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.report?.verdict.code, 'PASS');
    assert.equal(out.stdout, '', 'silent means no log lines');
    const ws = out.report!.hops.find((h) => h.name === 'ws.connect')!;
    assert.match(ws.evidence!.join(' '), /subprotocol echoed/);
  });

  it('fills traceUrl from the template only when there is a trace', async () => {
    const out = await runCli(
      ['run', '--trace-url-template', 'https://console.cloud.google.com/traces/list?tid={traceId}'],
      {
        env: { ...env, OTEL_TRACES_EXPORTER: 'console' },
      },
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.report!.traceId ?? '', /^[0-9a-f]{32}$/);
    assert.equal(out.report!.traceUrl, `https://console.cloud.google.com/traces/list?tid=${out.report!.traceId}`);
  });
});

describe('usage errors exit 2 and name the flag or variable', () => {
  it('lists every configuration problem at once', async () => {
    const out = await runCli(['run', '--timeout-ms', 'soon', '--bogus'], { env: {} });
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--bogus: unknown flag/);
    assert.match(out.stderr, /--timeout-ms: 'soon' is not a whole number/);
    assert.match(out.stderr, /--api-url \/ PROBE_API_URL: required/);
    assert.equal(out.report, undefined);
  });
  it('rejects an unknown flag even when the rest of the configuration is valid', async () => {
    const out = await runCli(['run', '--bogus'], {
      env: {
        PROBE_API_URL: 'http://127.0.0.1:9',
        PROBE_AUTH_URL: 'http://127.0.0.1:9',
        PROBE_E2E_BYPASS_KEY: 'k-123456',
      },
    });
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--bogus: unknown flag/);
    assert.equal(out.report, undefined, 'nothing ran');
  });
  it('demo refuses target URL flags: the double is the target', async () => {
    for (const flag of ['--api-url', '--frontend-url']) {
      const out = await runCli(['demo', flag, 'http://127.0.0.1:9']);
      assert.equal(out.code, 2, flag);
      assert.match(out.stderr, new RegExp(`${flag}: unknown flag`));
    }
  });
  it('rejects an unknown fault and an unknown command', async () => {
    const fault = await runCli(['demo', '--fault', 'nope']);
    assert.equal(fault.code, 2);
    assert.match(fault.stderr, /--fault: 'nope' is not a fault/);
    const command = await runCli(['frobnicate']);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command 'frobnicate'/);
  });
  it('an unsupported OTEL value is one warning, never a reason not to run (the specification: warn and ignore)', async () => {
    const out = await runCli(['demo'], { env: { OTEL_TRACES_EXPORTER: 'zipkin' } });
    assert.equal(out.code, 0, out.stderr);
    assert.equal(out.report?.verdict.code, 'PASS');
    assert.equal(out.stderr.match(/warning: OTEL_TRACES_EXPORTER: 'zipkin' is not supported/g)?.length, 1);
  });
  it('prints help for every command', async () => {
    for (const cmd of [['--help'], ['run', '--help'], ['demo', '--help'], ['double', '--help']]) {
      const out = await runCli(cmd);
      assert.equal(out.code, 0, cmd.join(' '));
      assert.match(out.stdout, /golden-probe/);
    }
    const run = await runCli(['run', '--help']);
    assert.match(run.stdout, /--agent-timeout-ms MS .*PROBE_AGENT_TIMEOUT_MS/);
  });
});
