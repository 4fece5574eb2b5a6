// Issue 7, item 3 — no leaks. The real CLI runs against the staging double (passing and failing) and
// against hostile servers that echo back everything the probe sends them, with known secret values. Every
// output channel is captured — stdout (the JSON log lines, at the most verbose level), stderr (the human
// summary, console-exported spans and metrics), the JSON, JUnit and HTML reports, and the spans and metrics
// received over OTLP (protobuf and JSON) — and none may hold a secret, an issued token, the token's
// signature part (or a 16-char piece of it), or the token's base64url (the `jwt.<b64url>` subprotocol).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { type FaultName, startDouble } from '../../src/double/index.ts';
import { spawnServe } from '../serve/serve-process.ts';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCli } from '../support/run-cli.ts';
import { testCredentials } from '../support/test-credentials.ts';
import {
  type AuthMode,
  type BackendMode,
  type Running,
  startAuthFront,
  startHostileBackend,
  startHostileWs,
  Witness,
  type WsMode,
} from './hostile-servers.ts';
import { type Channel, describeLeaks, findLeaks, formsOf, type Needle, tokenNeedles } from './leak-finder.ts';
import { jsonWithBigints, reportOutputs } from './report-outputs.ts';

const credentials = testCredentials('leak-canary');
const REDACTED = '[REDACTED]';

/** Every secret the probe is given (and the double's JWT key, which the probe never has). */
const SECRET_NEEDLES: Needle[] = [
  ...formsOf('bypass key', credentials.bypassKey, 16),
  ...formsOf('password', credentials.userPassword, 16),
  ...formsOf('service secret', credentials.serviceSecret, 16),
  ...formsOf('JWT signing key', credentials.jwtSecret, 16),
];

// Bounded: no hostile server stalls, but the agent and the run get short deadlines anyway.
const COMMON = [
  '--log-level',
  'trace',
  '--timeout-ms',
  '10000',
  '--agent-timeout-ms',
  '3000',
  '--agent-degraded-ms',
  '2500',
];

type Otel = 'otlp-protobuf' | 'otlp-json' | 'console';

interface Scenario {
  name: string;
  /** The double's fault; the double is the auth service (behind the recording front) unless `auth` says otherwise. */
  fault?: FaultName;
  auth?: AuthMode;
  backend?: BackendMode;
  ws?: WsMode;
  args?: string[];
  /** `golden-probe serve` instead of `run`: one POST /run, then GET /metrics and /healthz, then SIGTERM. */
  serve?: boolean;
  otel: Otel;
  /** What must be true for the scenario to mean anything. */
  expect: {
    /** Labels the test's servers must have received with the exact configured value. */
    sent: Array<'bypass key' | 'password' | 'service secret'>;
    /** At least one token issued (and so a needle) — false where the login is meant to fail. */
    token: boolean;
    /** A hostile server echoed secrets back and the report shows [REDACTED] where they were. */
    echoed: boolean;
    verdict?: string;
    /** A WebSocket opened, so the transcript outputs carry frames. */
    transcript?: boolean;
  };
}

const SCENARIOS: Scenario[] = [
  // The double: passing and failing runs.
  {
    name: 'double healthy (e2e, Authorization header)',
    fault: 'healthy',
    otel: 'otlp-protobuf',
    expect: { transcript: true, sent: ['bypass key', 'service secret'], token: true, echoed: false, verdict: 'PASS' },
  },
  {
    name: 'double healthy (--login password, --ws-auth subprotocol)',
    fault: 'healthy',
    args: ['--login', 'password', '--ws-auth', 'subprotocol'],
    otel: 'otlp-json',
    expect: { transcript: true, sent: ['password', 'service secret'], token: true, echoed: false, verdict: 'PASS' },
  },
  {
    name: 'double bad_bypass_key',
    fault: 'bad_bypass_key',
    otel: 'otlp-protobuf',
    expect: { sent: ['bypass key'], token: false, echoed: false, verdict: 'LOGIN_REJECTED' },
  },
  {
    name: 'double service_secret_mismatch',
    fault: 'service_secret_mismatch',
    otel: 'otlp-protobuf',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: false, verdict: 'SERVICE_SECRET_MISMATCH' },
  },
  {
    name: 'double rest_403',
    fault: 'rest_403',
    otel: 'console',
    expect: {
      sent: ['bypass key', 'service secret'],
      token: true,
      echoed: false,
      verdict: 'BACKEND_REJECTS_VALID_TOKEN',
    },
  },
  {
    name: 'double ws_auth_failed',
    fault: 'ws_auth_failed',
    otel: 'otlp-protobuf',
    expect: {
      sent: ['bypass key', 'service secret'],
      token: true,
      echoed: false,
      verdict: 'BACKEND_REJECTS_VALID_TOKEN',
    },
  },
  {
    name: 'double agent_error',
    fault: 'agent_error',
    otel: 'otlp-json',
    expect: {
      transcript: true,
      sent: ['bypass key', 'service secret'],
      token: true,
      echoed: false,
      verdict: 'AGENT_FAILED',
    },
  },
  {
    name: 'double jwt_secret_drift',
    fault: 'jwt_secret_drift',
    otel: 'otlp-protobuf',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: false, verdict: 'TOKEN_REJECTED_BY_AUTH' },
  },
  // A hostile auth service.
  {
    name: 'auth echoes the bypass key in a 401 and its headers',
    auth: 'reject',
    otel: 'console',
    expect: { sent: ['bypass key'], token: false, echoed: true },
  },
  {
    name: 'auth echoes the password in a 500 and its headers',
    auth: 'error',
    args: ['--login', 'password'],
    otel: 'otlp-protobuf',
    expect: { sent: ['password'], token: false, echoed: true },
  },
  {
    name: 'auth echoes the service secret, the token and the refresh token from /auth/validate',
    auth: 'validate-echo',
    otel: 'otlp-protobuf',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  // A hostile backend (REST and the upgrade), the double as auth service.
  {
    name: 'backend echoes the request in 403s (REST and upgrade), --retries 1',
    backend: 'reject',
    args: ['--retries', '1'],
    otel: 'otlp-protobuf',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  {
    name: 'backend echoes the request in 500s (REST and upgrade)',
    backend: 'error',
    otel: 'console',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  {
    name: 'backend answers 200 garbage echoing the token',
    backend: 'garbage',
    otel: 'otlp-json',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  // A hostile WebSocket endpoint, the double as auth service and REST backend.
  {
    name: 'ws error_message frame and close reason echo the token',
    ws: 'error-frame',
    otel: 'otlp-protobuf',
    expect: { transcript: true, sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  {
    name: 'ws user_id is the signature, agent_error echoes the jwt.* subprotocol',
    ws: 'user-id',
    args: ['--ws-auth', 'subprotocol'],
    otel: 'console',
    expect: { transcript: true, sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  {
    name: 'ws frame for the user "<signature>" (cross-user)',
    ws: 'cross-user',
    otel: 'otlp-protobuf',
    expect: {
      transcript: true,
      sent: ['bypass key', 'service secret'],
      token: true,
      echoed: true,
      verdict: 'CROSS_USER_EVENT',
    },
  },
  {
    name: 'ws closes 1011 with the signature as reason',
    ws: 'close-reason',
    otel: 'otlp-json',
    expect: { transcript: true, sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
  // serve mode: its answers (POST /run, /metrics, /healthz) are channels too.
  {
    name: 'serve: POST /run, /metrics and /healthz against a backend echoing the token, auth echoing /auth/validate',
    serve: true,
    auth: 'validate-echo',
    backend: 'garbage',
    otel: 'otlp-protobuf',
    expect: { sent: ['bypass key', 'service secret'], token: true, echoed: true },
  },
];

function otelEnv(otel: Otel, receiver: OtlpReceiver | undefined): Record<string, string> {
  if (otel === 'console') return { OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'console' };
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver!.url,
    ...(otel === 'otlp-json' ? { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } : {}),
  };
}

/**
 * `golden-probe serve`: one POST /run, then GET /metrics and /healthz (their bodies go to `channels`), then SIGTERM.
 */
async function serveOnce(
  args: string[],
  probeEnv: Record<string, string>,
  channels: Channel[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('PROBE_') && !k.startsWith('OTEL_') && k !== 'NODE_TEST_CONTEXT' && k !== 'PORT') env[k] = v;
  }
  const serve = await spawnServe(args, { ...env, ...probeEnv });
  try {
    const run = await fetch(`${serve.url}/run`, { method: 'POST', signal: AbortSignal.timeout(20_000) });
    channels.push({
      name: `serve POST /run answer (HTTP ${run.status}, headers and body)`,
      text: `${jsonWithBigints([...run.headers])}\n${await run.text()}`,
    });
    for (const path of ['/metrics', '/healthz']) {
      const res = await fetch(`${serve.url}${path}`, { signal: AbortSignal.timeout(5_000) });
      channels.push({ name: `serve GET ${path}`, text: await res.text() });
    }
    const stopped = await serve.stop('SIGTERM', 15_000);
    return { code: stopped.code, stdout: serve.stdout(), stderr: serve.stderr() };
  } finally {
    serve.kill();
  }
}

async function runScenario(s: Scenario, t: TestContext): Promise<void> {
  const witness = new Witness();
  const closers: Running[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'golden-probe-leaks-'));
  try {
    const double = await startDouble({ fault: s.fault ?? 'healthy', credentials });
    closers.push({ url: double.authUrl, close: () => double.close() });
    const auth = await startAuthFront(s.auth ?? 'proxy', double.authUrl, witness);
    closers.push(auth);
    const backend = s.backend ? await startHostileBackend(s.backend, witness) : undefined;
    if (backend) closers.push(backend);
    const ws = s.ws ? await startHostileWs(s.ws, witness) : undefined;
    if (ws) closers.push(ws);
    const receiver = s.otel === 'console' ? undefined : await startOtlpReceiver();
    if (receiver) closers.push(receiver);

    const { files, args: outputArgs } = reportOutputs(dir);
    const env = {
      PROBE_API_URL: backend?.url ?? double.apiUrl,
      PROBE_AUTH_URL: auth.url,
      ...(backend ? {} : { PROBE_WS_URL: ws?.wsUrl ?? double.wsUrl }),
      PROBE_E2E_BYPASS_KEY: credentials.bypassKey,
      PROBE_USER_EMAIL: credentials.userEmail,
      PROBE_USER_PASSWORD: credentials.userPassword,
      PROBE_SERVICE_SECRET: credentials.serviceSecret,
      ...otelEnv(s.otel, receiver),
    };
    const args = [...COMMON, ...(s.args ?? []), ...outputArgs];
    const served: Channel[] = [];
    const out = s.serve
      ? await serveOnce(args, env, served)
      : await runCli(['run', ...args], { env, timeoutMs: 30_000 });
    const read = async (path: string, what: string) => {
      try {
        return await readFile(path, 'utf8');
      } catch {
        assert.fail(`no ${what} was written (exit ${out.code}); stderr has ${out.stderr.length} chars`);
      }
    };
    const reportText = await read(files.json, 'JSON report');
    const channels: Channel[] = [
      { name: 'stdout (JSON log lines)', text: out.stdout },
      { name: 'stderr (summary, console spans and metrics, warnings)', text: out.stderr },
      { name: 'JSON report', text: reportText },
      { name: 'JUnit report', text: await read(files.junit, 'JUnit report') },
      { name: 'HTML report', text: await read(files.html, 'HTML report') },
      { name: 'WebSocket transcript JSONL (--transcript)', text: await read(files.transcript, 'transcript') },
      ...served,
    ];
    if (receiver) {
      channels.push({
        name: 'OTLP spans (attributes, events, status, resource)',
        text: jsonWithBigints(receiver.spans),
      });
      channels.push({ name: 'OTLP metrics (attributes, resource)', text: jsonWithBigints(receiver.metrics) });
    }

    const report = JSON.parse(reportText) as {
      verdict: { code: string };
      result: string;
      transcript?: { frames: unknown[] };
    };
    const needles = [
      ...SECRET_NEEDLES,
      ...[...witness.tokens].flatMap((tok, i) => tokenNeedles(`access token #${i + 1}`, tok)),
      ...[...witness.refreshTokens].flatMap((tok, i) => tokenNeedles(`refresh token #${i + 1}`, tok)),
    ];
    const leaks = findLeaks(channels, needles);
    const bytes = channels.reduce((n, c) => n + c.text.length, 0);
    t.diagnostic(
      `${report.result} ${report.verdict.code} · ${channels.length} channels, ${bytes} chars · ${needles.length} ` +
        `needles (${witness.tokens.size} access, ${witness.refreshTokens.size} refresh tokens) · echoes ` +
        `${witness.echoes} · leaks ${leaks.length}`,
    );
    assert.equal(leaks.length, 0, `secrets leaked (values not shown):\n${describeLeaks(leaks)}`);

    // Not vacuous (checked after the leaks, which say more when both fail): the probe really sent the
    // secrets (exactly these values), there were tokens to leak, hostile servers really echoed them, and
    // every channel really carried the run.
    assert.ok(
      out.code === 0 || out.code === 1,
      `exit ${out.code}: the run itself must finish (stderr has ${out.stderr.length} chars)`,
    );
    if (s.expect.verdict) assert.equal(report.verdict.code, s.expect.verdict);
    const configured = {
      'bypass key': credentials.bypassKey,
      password: credentials.userPassword,
      'service secret': credentials.serviceSecret,
    };
    for (const label of s.expect.sent) {
      assert.deepEqual(
        [...(witness.sent.get(label) ?? [])],
        [configured[label]],
        `the probe sent the ${label} to the test's servers`,
      );
    }
    if (s.expect.token) assert.ok(witness.tokens.size > 0, 'a token was issued or received');
    // Where a socket opened, the transcript really carried its frames into the report, the HTML and the JSONL.
    if (s.expect.transcript) {
      assert.ok((report.transcript?.frames.length ?? 0) > 0, 'the JSON report holds the transcript');
      assert.match(channels.find((c) => c.name === 'HTML report')!.text, /<table id="transcript">/);
      assert.ok(
        channels.find((c) => c.name.startsWith('WebSocket transcript'))!.text.split('\n').length > 2,
        'JSONL frames',
      );
    }
    if (s.expect.echoed) {
      assert.ok(witness.echoes > 0, 'the hostile server echoed something back');
      assert.ok(reportText.includes(REDACTED), 'the echo reached the report, scrubbed');
    }
    assert.ok(
      out.stdout.split('\n').some((l) => l.includes('"severity"')),
      'log lines on stdout',
    );
    if (receiver) {
      assert.ok(
        receiver.spans.some((sp) => sp.name === 'golden_path'),
        'the run’s spans arrived over OTLP',
      );
      assert.ok(receiver.metrics.length > 0, 'the run’s metrics arrived over OTLP');
      assert.deepEqual(receiver.errors, []);
    } else {
      assert.match(out.stderr, /"otel":"span"/, 'spans on stderr (console exporter)');
      assert.match(out.stderr, /"otel":"metric"/, 'metrics on stderr (console exporter)');
    }
  } finally {
    for (const c of closers.reverse()) await c.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

describe('no secret or token leaks through any output channel', { concurrency: 3 }, () => {
  for (const s of SCENARIOS) it(s.name, (t) => runScenario(s, t));
});

describe('the leak finder', () => {
  it('finds a secret in each of its forms and a clipped piece of a signature, and never shows the value', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1zZWNyZXQtcGFydA';
    const needles = [...formsOf('bypass key', credentials.bypassKey, 16), ...tokenNeedles('token', token)];
    const signature = token.split('.')[2]!;
    const channels: Channel[] = [
      { name: 'raw', text: `x-e2e-bypass-key: ${credentials.bypassKey}` },
      { name: 'b64url', text: `Sec-WebSocket-Protocol: jwt.${Buffer.from(token).toString('base64url')}` },
      { name: 'clipped', text: `${'p'.repeat(180)}${signature}`.slice(0, 200) },
      { name: 'clipped secret', text: `${'p'.repeat(190)}${credentials.bypassKey}`.slice(0, 210) },
      { name: 'clean', text: `Bearer ${REDACTED} ${token.split('.').slice(0, 2).join('.')}` },
    ];
    const leaks = findLeaks(channels, needles);
    assert.deepEqual(
      leaks.map((l) => [l.channel, l.needle.split(' (')[0]]),
      [
        ['raw', 'bypass key'],
        ['b64url', 'token'],
        ['clipped', 'signature of token'],
        ['clipped secret', 'bypass key'],
      ],
    );
    const shown = describeLeaks(leaks);
    for (const n of needles)
      assert.ok(!shown.includes(n.value.slice(0, 12)), `the report of leaks shows no part of ${n.name}`);
  });
});
