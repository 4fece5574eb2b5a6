import { type FlagSpec, parsePositiveInt } from '../config/flag-values.ts';
import { loadRunConfig, probeName } from '../config/load-run-config.ts';
import { RUN_FLAGS } from '../config/run-flags.ts';
import { loadDefinition } from '../runner/load-definition.ts';
import { help, parseOrThrow, version } from './cli-support.ts';
import { freshDemoCredentials } from './demo-credentials.ts';
import { GOOGLE_ENV_NAMES, googleEnv } from './double-env.ts';
import { FAULT_EVERY_FLAG, FAULT_FLAG, fault, faultEvery, SLOW_FLAG } from './double-flags.ts';
import { UsageError } from './exit-codes.ts';
import { renderFlags } from './help.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';
import { logFormat, prepareRun } from './run-command.ts';
import { checkTelemetryEnv, startCliTelemetry } from './telemetry.ts';

const TARGET_FLAGS = ['api-url', 'auth-url', 'ws-url', 'frontend-url'];
const REFUSED = Object.fromEntries(
  TARGET_FLAGS.map((f) => [f, 'demo runs against its own double (use golden-probe run for a real target)']),
);
const DEMO_FLAGS: readonly FlagSpec[] = [
  FAULT_FLAG,
  FAULT_EVERY_FLAG,
  SLOW_FLAG,
  {
    name: 'no-service-secret',
    kind: 'bool',
    description: 'do not give the probe the service secret (hop service.auth is skipped)',
  },
  {
    name: 'no-gcp',
    kind: 'bool',
    description: "do not point the probe at the double's Google fakes (no hop config, no log lookup)",
  },
  ...RUN_FLAGS.filter((f) => !TARGET_FLAGS.includes(f.name)),
];

/** `golden-probe demo`: the bundled double on free ports, one run against it, the double stopped. */
/**
 * The double's agent answers in milliseconds: without a deadline set by flag or environment, the demo runs with
 * the pre-issue-19 short ones (a stall ends in 30 s, not the 150 s a real agent is given). docs/configuration.md.
 */
const DEMO_DEADLINES = { PROBE_AGENT_DEGRADED_MS: '15000', PROBE_AGENT_TIMEOUT_MS: '30000', PROBE_TIMEOUT_MS: '60000' };

function demoDeadlines(
  flags: ReadonlyMap<string, string | boolean>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const names = ['agent-degraded-ms', 'agent-timeout-ms', 'timeout-ms'];
  const anySet = names.some((n) => flags.has(n)) || Object.keys(DEMO_DEADLINES).some((v) => env[v]?.trim());
  return anySet ? {} : DEMO_DEADLINES;
}

export async function demoCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, DEMO_FLAGS, { refused: REFUSED });
  if (values.get('help')) {
    return help(
      `golden-probe demo [--fault NAME [--fault-every K]] [run flags]\n\nStarts the bundled staging double on free ` +
        `loopback ports, runs the probe against it, stops it.\n\n${renderFlags(DEMO_FLAGS)}\n`,
    );
  }
  const chosen = fault(values, problems);
  const every = faultEvery(values, chosen, problems);
  const slowRaw = values.get('slow-agent-ms');
  const slow = typeof slowRaw === 'string' ? parsePositiveInt(slowRaw, '--slow-agent-ms', problems) : undefined;
  const otel = checkTelemetryEnv(process.env);

  const credentials = freshDemoCredentials();
  // The double's URLs and credentials replace the target's; everything else (flags, OTEL_*) still applies.
  const env: Record<string, string | undefined> = {
    ...process.env,
    PROBE_E2E_BYPASS_KEY: credentials.bypassKey,
    PROBE_USER_EMAIL: credentials.userEmail,
    PROBE_USER_PASSWORD: credentials.userPassword,
    PROBE_SERVICE_SECRET: values.get('no-service-secret') ? undefined : credentials.serviceSecret,
    PROBE_SERVICE_ID: undefined,
    PROBE_API_URL: 'http://127.0.0.1:1',
    PROBE_AUTH_URL: 'http://127.0.0.1:1',
    PROBE_WS_URL: undefined,
    PROBE_FRONTEND_URL: 'http://127.0.0.1:1',
    ...Object.fromEntries(GOOGLE_ENV_NAMES.map((name) => [name, undefined])),
    ...demoDeadlines(values, process.env),
  };
  const draft = loadRunConfig(values, env, { logLevel: 'silent' });
  problems.push(...draft.problems);
  // The definition too, before the double starts: every problem is reported at once, and nothing runs.
  const loaded = await loadDefinition(probeName(values, process.env));
  if (loaded.problem) problems.push(loaded.problem);
  if (!draft.config || problems.length > 0) throw new UsageError(problems);
  const { agentDegradedMs, agentTimeoutMs } = draft.config;
  const telemetry = await startCliTelemetry(otel, version());
  life.attachTelemetry(telemetry);
  // Loaded here, not at start-up: `run` never pays for the double.
  const { startDouble } = await import('../double/index.ts');
  const double = await startDouble({
    fault: chosen,
    faultEvery: every,
    credentials,
    // Just past the degraded threshold and well before the agent deadline, so slow_agent shows as degraded.
    slowAgentMs: slow ?? Math.min(agentDegradedMs + 1_000, Math.floor((agentDegradedMs + agentTimeoutMs) / 2)),
    tracerProviders: {
      backend: telemetry.providerFor('netra-backend'),
      auth: telemetry.providerFor('netra-auth-service'),
    },
  });
  try {
    env.PROBE_API_URL = double.apiUrl;
    env.PROBE_AUTH_URL = double.authUrl;
    env.PROBE_WS_URL = double.wsUrl;
    env.PROBE_FRONTEND_URL = double.frontendUrl;
    // The double plays Google too: hop config and the log lookup read its fakes, with its token.
    if (!values.get('no-gcp')) Object.assign(env, Object.fromEntries(googleEnv(double.google)));
    // The demo is for a person: the summary on stdout, logs only when --log-level asks. With --log-format json it
    // is laid out as run's is for machines: JSON log lines (info unless --log-level) on stdout, the rest on stderr.
    const json = logFormat(values, process.env) === 'json';
    const summaryTo = json ? process.stderr : process.stdout;
    // The URLs are on the run's target line, once.
    summaryTo.write(`staging double on loopback, fault ${chosen}${every > 1 ? `, one attempt in ${every}` : ''}\n\n`);
    const prepared = await prepareRun({
      flags: values,
      env,
      summaryTo,
      live: !json && process.stdout.isTTY === true,
      defaultLogLevel: json ? 'info' : 'silent',
      stop: life.stop,
    });
    return (await prepared.run({ traceExported: telemetry.tracing })).exitCode;
  } finally {
    await double.close();
  }
}
