// Issue 7, item 5 ("inputs from people"): every configuration mistake exits 2 with one line naming what to
// fix, never starts a run, and all problems are reported at once. Each case points the probe at a loopback
// server that counts requests: a mistake that got as far as a run would show up there.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { type CliResult, runCli } from '../support/run-cli.ts';

/** Valid for e2e login; every case checks it never appears in the output. */
const BYPASS_KEY = 'config-mistakes-bypass-key-7f3a9c';
/** Given where it does not belong (a flag, an argument, a URL); must never be echoed. */
const LEAKED = 'hunter2-config-mistakes-secret';

interface Case {
  name: string;
  /** The arguments, given the URL of this case's counting server. */
  args: (url: string) => string[];
  /** The environment on top of a clean one (no PROBE_*, no OTEL_*); defaults to a valid bypass key alone. */
  env?: Record<string, string | undefined>;
  /** One fragment per expected problem line, in any order; the count of problem lines must match. */
  problems: ReadonlyArray<string | RegExp>;
  /** Values that must not appear anywhere in the output. */
  secrets?: readonly string[];
}

const target = (url: string) => ['--api-url', url, '--auth-url', url];
const run =
  (...rest: string[]) =>
  (url: string) => ['run', ...target(url), ...rest];
const serve =
  (...rest: string[]) =>
  (url: string) => ['serve', ...target(url), '--port', '0', '--allow-unauthenticated', ...rest];

const CASES: Case[] = [
  // URLs
  {
    name: 'api url that is not a URL',
    args: (u) => ['run', '--api-url', 'not-a-url', '--auth-url', u],
    problems: [/--api-url: 'not-a-url' is not a URL; give an absolute http or https URL/],
  },
  {
    name: 'auth url with an ftp scheme',
    args: (u) => ['run', '--api-url', u, '--auth-url', 'ftp://x'],
    problems: [/--auth-url: 'ftp:\/\/x' must use http or https/],
  },
  {
    name: 'api url with a ws scheme',
    args: (u) => ['run', '--api-url', 'ws://127.0.0.1:9', '--auth-url', u],
    problems: [/--api-url: 'ws:\/\/127\.0\.0\.1:9' must use http or https/],
  },
  {
    name: 'api url without a scheme',
    args: (u) => ['run', '--api-url', 'localhost:8000', '--auth-url', u],
    problems: [
      /--api-url: 'localhost:8000' must use http or https and be written with its scheme, e\.g\. http:\/\/localhost:8000/,
    ],
  },
  {
    name: 'ws url with an http scheme',
    args: run('--ws-url', 'http://127.0.0.1:9/ws'),
    problems: [/--ws-url: 'http:\/\/127\.0\.0\.1:9\/ws' must use ws or wss \(ws:\/\/ for an http backend/],
  },
  {
    name: 'URL carrying a password (not echoed)',
    args: (u) => ['run', '--api-url', `https://probe:${LEAKED}@api.example`, '--auth-url', u],
    problems: [/--api-url: must not carry credentials in the URL/],
    secrets: [LEAKED],
  },
  {
    name: 'api url from the environment that is not a URL',
    args: (u) => ['run', '--auth-url', u],
    env: { PROBE_E2E_BYPASS_KEY: BYPASS_KEY, PROBE_API_URL: 'not-a-url' },
    problems: [/PROBE_API_URL: 'not-a-url' is not a URL/],
  },
  {
    name: 'no api url at all',
    args: (u) => ['run', '--auth-url', u],
    problems: [/--api-url \/ PROBE_API_URL: required/],
  },

  // The GCP side (hop config, the log lookup)
  {
    name: 'GCP access token as a flag (not echoed)',
    args: run('--gcp-access-token', LEAKED),
    problems: [
      /--gcp-access-token: unknown flag: secrets are read from the environment only; set PROBE_GCP_ACCESS_TOKEN/,
    ],
    secrets: [LEAKED],
  },
  {
    name: 'a service name without a project',
    args: run('--backend-service', 'netra-backend'),
    problems: [/--backend-service: needs --gcp-project \/ PROBE_GCP_PROJECT/],
  },
  {
    name: 'a GCP project id that is not one',
    args: run('--gcp-project', 'Netra Staging'),
    problems: [/--gcp-project: 'Netra Staging' is not a GCP project id/],
  },
  {
    name: 'a Google base URL that is not a URL',
    args: run('--gcp-project', 'netra-staging'),
    env: { PROBE_E2E_BYPASS_KEY: BYPASS_KEY, PROBE_GCP_RUN_URL: 'run.googleapis' },
    problems: [
      /PROBE_GCP_RUN_URL: 'run\.googleapis' is not a URL; give a base URL such as https:\/\/run\.googleapis\.com/,
    ],
  },

  // Flags
  {
    name: 'misspelt flag',
    args: run('--timout-ms', '5'),
    problems: [/--timout-ms: unknown flag; did you mean --timeout-ms\?/],
  },
  { name: 'unknown flag', args: run('--bogus'), problems: [/--bogus: unknown flag \(see --help\)/] },
  {
    name: 'one dash short',
    args: run('-timeout-ms', '5000'),
    problems: [/-timeout-ms: flags start with two dashes \(--timeout-ms\)/],
  },
  {
    name: 'flag missing its value at the end',
    args: (u) => ['run', '--auth-url', u, '--api-url'],
    problems: [/--api-url: needs a value \(URL\)/],
  },
  {
    name: 'flag missing its value before another flag',
    args: (u) => ['run', ...target(u), '--timeout-ms', '--log-level', 'silent'],
    problems: [/--timeout-ms: needs a value \(MS\)/],
  },
  { name: 'empty value', args: run('--timeout-ms='), problems: [/--timeout-ms: needs a value/] },
  {
    name: 'value given to a switch',
    args: run('--fail-on-degraded', 'true'),
    problems: [/--fail-on-degraded: takes no value/],
  },
  { name: 'stray argument', args: run('extra'), problems: [/unexpected argument 'extra'/] },
  {
    name: 'environment variable written after the command (value not echoed)',
    args: run(`PROBE_SERVICE_SECRET=${LEAKED}`),
    problems: [/unexpected argument PROBE_SERVICE_SECRET=…: environment variables go before the command/],
    secrets: [LEAKED],
  },

  // Secrets only from the environment
  {
    name: 'bypass key as a flag',
    args: run('--bypass-key', LEAKED),
    problems: [/--bypass-key: unknown flag: secrets are read from the environment only; set PROBE_E2E_BYPASS_KEY/],
    secrets: [LEAKED],
  },
  {
    name: 'password as a flag with =',
    args: run(`--password=${LEAKED}`),
    problems: [/--password: unknown flag: secrets are read from the environment only; set PROBE_USER_PASSWORD/],
    secrets: [LEAKED],
  },
  {
    name: 'service secret as a flag',
    args: run('--service-secret', LEAKED),
    problems: [/--service-secret: .*set PROBE_SERVICE_SECRET/],
    secrets: [LEAKED],
  },
  {
    name: 'secret that cannot go in a header (variable named, value not shown)',
    args: run(),
    env: { PROBE_E2E_BYPASS_KEY: BYPASS_KEY, PROBE_SERVICE_SECRET: `${LEAKED}\nsecond-line` },
    problems: [/PROBE_SERVICE_SECRET: holds a line break.*the value is not shown/],
    secrets: [LEAKED],
  },

  // Login mode and its secrets
  {
    name: 'e2e login without a bypass key',
    args: run('--login', 'e2e'),
    env: {},
    problems: [/PROBE_E2E_BYPASS_KEY: required for --login e2e/],
  },
  {
    name: 'password login without a password',
    args: run('--login', 'password'),
    env: { PROBE_USER_EMAIL: 'probe@staging.example' },
    problems: [/PROBE_USER_PASSWORD: required for --login password/],
  },
  {
    name: 'password login without email or password',
    args: run('--login', 'password'),
    env: {},
    problems: [/PROBE_USER_EMAIL: required for --login password/, /PROBE_USER_PASSWORD: required for --login password/],
  },
  {
    name: 'no credentials at all',
    args: run(),
    env: {},
    problems: [/PROBE_USER_EMAIL: required/, /PROBE_USER_PASSWORD: required/],
  },
  {
    name: 'unknown login mode',
    args: run('--login', 'sso'),
    problems: [/--login: 'sso' is not one of e2e, password, browser/],
  },
  {
    name: 'unknown login mode from the environment',
    args: run(),
    env: { PROBE_E2E_BYPASS_KEY: BYPASS_KEY, PROBE_LOGIN: 'sso' },
    problems: [/PROBE_LOGIN: 'sso' is not one of/],
  },
  {
    name: 'email that is not one (not echoed)',
    args: run('--login', 'password'),
    env: { PROBE_USER_EMAIL: 'probe-at-staging', PROBE_USER_PASSWORD: LEAKED },
    problems: [/PROBE_USER_EMAIL: is not an email address/],
    secrets: [LEAKED, 'probe-at-staging'],
  },
  {
    name: 'browser login without its frontend URL or Chromium',
    args: run('--login', 'browser'),
    env: {
      PROBE_USER_EMAIL: 'probe@staging.example',
      PROBE_USER_PASSWORD: LEAKED,
      PROBE_CHROMIUM_PATH: '/nonexistent/chromium',
    },
    problems: [
      /--frontend-url \/ PROBE_FRONTEND_URL: required for --login browser/,
      /PROBE_CHROMIUM_PATH: no Chromium at \/nonexistent\/chromium/,
    ],
    secrets: [LEAKED],
  },

  // Timeouts and counts
  {
    name: 'negative timeout',
    args: run('--timeout-ms', '-5'),
    problems: [/--timeout-ms: '-5' is not a whole number of milliseconds/],
  },
  {
    name: 'non-numeric timeout',
    args: run('--timeout-ms', 'abc'),
    problems: [/--timeout-ms: 'abc' is not a whole number of milliseconds/],
  },
  {
    name: 'zero agent timeout',
    args: run('--agent-timeout-ms', '0'),
    problems: [/--agent-timeout-ms: must be greater than 0 \(got 0\)/],
  },
  {
    name: 'timeout too long for a timer',
    args: run('--timeout-ms', '3000000000'),
    problems: [/--timeout-ms: must be at most 2147483647 milliseconds/],
  },
  {
    name: 'non-numeric timeout from the environment',
    args: run(),
    env: { PROBE_E2E_BYPASS_KEY: BYPASS_KEY, PROBE_TIMEOUT_MS: 'abc' },
    problems: [/PROBE_TIMEOUT_MS: 'abc' is not a whole number of milliseconds/],
  },
  {
    name: 'deadlines that do not nest',
    args: run('--agent-timeout-ms', '90000', '--timeout-ms', '60000'),
    problems: [/--agent-timeout-ms \(90000\) must be below --timeout-ms \(60000\)/],
  },
  {
    name: 'negative retries',
    args: run('--retries', '-1'),
    problems: [/--retries: '-1' must be a whole number from 0 to 10/],
  },
  { name: 'zero users', args: run('--users', '0'), problems: [/--users: '0' must be a whole number from 1 to 1000/] },
  { name: 'malformed shard', args: run('--shard', '3'), problems: [/--shard: '3' must look like I\/N/] },

  // Probe definitions and reports
  {
    name: 'unknown probe',
    args: run('--probe', 'nope'),
    problems: [/--probe \/ PROBE_DEFINITION: no probe definition at .*nope\.ts .*the probes are .*golden-path/],
  },
  {
    name: 'unknown probe from the environment',
    args: run(),
    env: { PROBE_E2E_BYPASS_KEY: BYPASS_KEY, PROBE_DEFINITION: 'nope' },
    problems: [/--probe \/ PROBE_DEFINITION: no probe definition/],
  },
  {
    name: 'report path that is a directory',
    args: run('--json', '/'),
    problems: [/--json: '\/' is a directory; give a file path/],
  },
  {
    name: 'report path under a file',
    args: run('--html', '/dev/null/report.html'),
    problems: [/--html: '\/dev\/null\/report\.html' cannot be written: '\/dev\/null' is a file/],
  },
  { name: 'bad log level', args: run('--log-level', 'loud'), problems: [/--log-level: 'loud' is not one of/] },

  // demo and double
  {
    name: 'demo: unknown fault',
    args: () => ['demo', '--fault', 'nope'],
    problems: [/--fault: 'nope' is not a fault of the double/],
  },
  {
    name: 'demo: a target URL flag',
    args: () => ['demo', '--api-url', 'http://127.0.0.1:9'],
    problems: [/--api-url: unknown flag for this command: demo runs against its own double/],
  },
  {
    name: 'double: unknown fault',
    args: () => ['double', '--fault', 'nope'],
    problems: [/--fault: 'nope' is not a fault of the double/],
  },
  {
    name: 'double: port out of range',
    args: () => ['double', '--api-port', '70000'],
    problems: [/--api-port: '70000' is not a TCP port/],
  },

  // serve
  {
    name: 'serve: --log-format (a server has one layout)',
    args: serve('--log-format', 'json'),
    problems: [/--log-format: unknown flag for this command: serve always writes JSON log lines on stdout/],
  },
  { name: 'serve: negative interval', args: serve('--every', '-1m'), problems: [/--every: '-1m' is not a duration/] },
  { name: 'serve: interval too short', args: serve('--every', '1ms'), problems: [/--every: '1ms' must be from/] },
  {
    name: 'serve: zero fail-after',
    args: serve('--fail-after', '0'),
    problems: [/--fail-after: '0' must be a whole number from 1/],
  },
  {
    name: 'serve: non-numeric fail-after',
    args: serve('--fail-after', 'x'),
    problems: [/--fail-after: 'x' must be a whole number from 1/],
  },
  {
    name: 'serve: port out of range',
    args: (u) => ['serve', ...target(u), '--port', '99999', '--allow-unauthenticated'],
    problems: [/--port: '99999' is not a TCP port/],
  },
  // Issue 21, item 5: serve is closed unless told otherwise.
  {
    name: 'serve: neither --oidc-audience nor --allow-unauthenticated',
    args: (u) => ['serve', ...target(u), '--port', '0'],
    problems: [/serve needs --oidc-audience AUD with --oidc-allow EMAIL\[,EMAIL\] .* or --allow-unauthenticated/],
  },
  {
    name: 'serve: --oidc-audience without --oidc-allow',
    args: (u) => ['serve', ...target(u), '--port', '0', '--oidc-audience', 'https://probe.example.test'],
    problems: [/--oidc-audience: needs --oidc-allow EMAIL\[,EMAIL\].*any Google account can mint an ID token/],
  },
  {
    name: 'serve: --oidc-audience and --allow-unauthenticated',
    args: serve('--oidc-audience', 'aud', '--oidc-allow', 'a@b.test'),
    problems: [/--allow-unauthenticated: contradicts --oidc-audience/],
  },
  {
    name: 'serve: a minimum run interval that is not a duration',
    args: serve('--min-run-interval', 'soon'),
    problems: [/--min-run-interval: 'soon' must be a duration from 0 to 1h/],
  },
  {
    name: 'serve: OIDC option without an audience',
    args: serve('--oidc-allow', 'a@b.c'),
    problems: [/--oidc-allow: only means something with --oidc-audience/],
  },

  // Several at once: all reported in one go, each on its own line.
  {
    name: 'run: eight mistakes at once',
    args: () => [
      'run',
      '--api-url',
      'not-a-url',
      '--auth-url',
      'ftp://x',
      '--timout-ms',
      '5',
      '--timeout-ms',
      '-5',
      '--agent-timeout-ms',
      '0',
      '--probe',
      'nope',
      '--login',
      'e2e',
      '--bypass-key',
      LEAKED,
    ],
    env: {},
    problems: [
      /--timout-ms: unknown flag; did you mean --timeout-ms\?/,
      /--bypass-key: unknown flag: secrets are read from the environment only/,
      /--api-url: 'not-a-url' is not a URL/,
      /--auth-url: 'ftp:\/\/x' must use http or https/,
      /PROBE_E2E_BYPASS_KEY: required for --login e2e/,
      /--timeout-ms: '-5' is not a whole number of milliseconds/,
      /--agent-timeout-ms: must be greater than 0/,
      /--probe \/ PROBE_DEFINITION: no probe definition/,
    ],
    secrets: [LEAKED],
  },
  {
    name: 'serve: its own mistakes and the run flags together',
    args: (u) => [
      'serve',
      ...target(u),
      '--port',
      '99999',
      '--every',
      '-1m',
      '--fail-after',
      '0',
      '--timeout-ms',
      'abc',
      '--users',
      '0',
    ],
    problems: [
      /--port: '99999'/,
      /--every: '-1m'/,
      /--fail-after: '0'/,
      /--timeout-ms: 'abc'/,
      /--users: '0'/,
      /serve needs --oidc-audience AUD with --oidc-allow .* or --allow-unauthenticated/,
    ],
  },
  {
    name: 'demo: flag, probe and fault mistakes together',
    args: () => ['demo', '--fault', 'nope', '--timeout-ms', '-5', '--probe', 'nope', '--retries', 'many'],
    problems: [
      /--fault: 'nope'/,
      /--timeout-ms: '-5'/,
      /--probe \/ PROBE_DEFINITION: no probe definition/,
      /--retries: 'many'/,
    ],
  },
  {
    name: 'double: fault and ports together',
    args: () => ['double', '--fault', 'nope', '--api-port', 'abc', '--auth-port', '70000', '--slow-agent-ms', '0'],
    problems: [
      /--fault: 'nope'/,
      /--api-port: 'abc'/,
      /--auth-port: '70000'/,
      /--slow-agent-ms: must be greater than 0/,
    ],
  },
];

/** A loopback server that counts every request and WebSocket upgrade it gets. */
async function countingServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = createServer((_req, res) => {
    count++;
    res.writeHead(503, { 'content-type': 'application/json' }).end('{}');
  });
  server.on('upgrade', (_req, socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The lines of the problem list ("  - …") in stderr. */
function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('  - '));
}

function assertNothingRan(out: CliResult, requests: number): void {
  assert.equal(requests, 0, 'no request reached the target');
  const all = `${out.stdout}\n${out.stderr}`;
  assert.doesNotMatch(all, /^\s*hop\s+status\s+time/m, 'no hop table');
  assert.doesNotMatch(out.stdout, /staging double/, 'the double did not start');
  assert.equal(out.report, undefined, 'no report was written');
}

describe('configuration mistakes: exit 2, one line each naming what to fix, nothing runs', { concurrency: 4 }, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const server = await countingServer();
      try {
        const env = c.env ?? { PROBE_E2E_BYPASS_KEY: BYPASS_KEY };
        const out = await runCli(c.args(server.url), { env, timeoutMs: 15_000 });
        const context = `stdout:\n${out.stdout}\nstderr:\n${out.stderr}`;
        assert.equal(out.code, 2, context);
        assert.doesNotMatch(out.stderr, /^\s+at /m, 'no stack trace');
        assert.match(
          out.stderr,
          c.problems.length === 1
            ? /: a problem with the configuration:\n/
            : new RegExp(`: ${c.problems.length} problems with the configuration:\\n`),
          context,
        );

        const lines = problemLines(out.stderr);
        assert.equal(lines.length, c.problems.length, context);
        for (const expected of c.problems) {
          const matching = lines.filter((l) =>
            typeof expected === 'string' ? l.includes(expected) : expected.test(l),
          );
          assert.equal(matching.length, 1, `exactly one line for ${expected}\n${context}`);
        }
        // Each problem is its own line: no line answers for two expectations.
        for (const line of lines) {
          const answers = c.problems.filter((e) => (typeof e === 'string' ? line.includes(e) : e.test(line)));
          assert.equal(answers.length, 1, `line answers for exactly one problem: ${line}`);
        }

        for (const secret of [BYPASS_KEY, ...(c.secrets ?? [])]) {
          assert.ok(!out.stdout.includes(secret) && !out.stderr.includes(secret), `the output must not show ${secret}`);
        }
        assertNothingRan(out, server.requests());
      } finally {
        await server.close();
      }
    });
  }
});
