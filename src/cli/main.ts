// The only module that reads argv and the environment, sets exit codes and starts the OTel SDK.
import { readFileSync } from 'node:fs';
import { loadRunConfig } from '../config/load-run-config.ts';
import { RUN_FLAGS } from '../config/run-flags.ts';
import { FAULTS, isFaultName, startDouble, type RunningDouble } from '../double/index.ts';
import { freshDemoCredentials } from './demo-credentials.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { renderFlags, TOP_HELP } from './help.ts';
import { parseArgs, parsePositiveInt, type FlagSpec } from './parse-args.ts';
import { ProcessLifecycle } from './process-lifecycle.ts';
import { prepareRun } from './run-command.ts';
import { serveCommand } from './serve-command.ts';
import { checkTelemetryEnv, startCliTelemetry } from './telemetry.ts';

const FAULT_FLAG: FlagSpec = { name: 'fault', kind: 'string', valueName: 'NAME', description: `the double's fault (${FAULTS.join(', ')})`, defaultText: 'healthy' };
const SLOW_FLAG: FlagSpec = { name: 'slow-agent-ms', kind: 'int', valueName: 'MS', description: "how long the double's agent takes under slow_agent" };
const DEMO_FLAGS: readonly FlagSpec[] = [
  FAULT_FLAG,
  SLOW_FLAG,
  { name: 'no-service-secret', kind: 'bool', description: 'do not give the probe the service secret (hop service.auth is skipped)' },
  ...RUN_FLAGS.filter((f) => !['api-url', 'auth-url', 'ws-url'].includes(f.name)),
];
const DOUBLE_FLAGS: readonly FlagSpec[] = [
  FAULT_FLAG,
  SLOW_FLAG,
  { name: 'auth-port', kind: 'int', valueName: 'PORT', description: 'auth service port', defaultText: 'a free port' },
  { name: 'api-port', kind: 'int', valueName: 'PORT', description: 'backend port', defaultText: 'a free port' },
  { name: 'help', kind: 'bool', description: 'show this help' },
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parseOrThrow(argv: readonly string[], specs: readonly FlagSpec[]) {
  const parsed = parseArgs(argv, specs);
  if (parsed.positionals.length > 0) parsed.problems.push(`unexpected argument '${parsed.positionals[0]}'`);
  return parsed;
}

function fault(flags: ReadonlyMap<string, string | boolean>, problems: string[]) {
  const raw = (flags.get('fault') as string | undefined) ?? 'healthy';
  if (isFaultName(raw)) return raw;
  problems.push(`--fault: '${raw}' is not a fault of the double (one of ${FAULTS.join(', ')})`);
  return 'healthy';
}

async function runCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, RUN_FLAGS);
  if (values.get('help')) return help(`golden-probe run [flags]\n\nOne run of the probe against a target.\n\n${renderFlags(RUN_FLAGS)}\n`);
  const otel = checkTelemetryEnv(process.env, problems);
  const prepared = await prepareRun({ flags: values, env: process.env, summaryTo: process.stderr, defaultLogLevel: 'info', stop: life.stop, problems });
  life.attachTelemetry(await startCliTelemetry(otel, version()));
  return (await prepared.run()).exitCode;
}

async function demoCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, DEMO_FLAGS);
  if (values.get('help')) {
    return help(`golden-probe demo [--fault NAME] [run flags]\n\nStarts the bundled staging double on free loopback ports, runs the probe against it, stops it.\n\n${renderFlags(DEMO_FLAGS)}\n`);
  }
  const chosen = fault(values, problems);
  const slowRaw = values.get('slow-agent-ms');
  const slow = typeof slowRaw === 'string' ? parsePositiveInt(slowRaw, '--slow-agent-ms', problems) : undefined;
  const otel = checkTelemetryEnv(process.env, problems);

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
  };
  const draft = loadRunConfig(values, env, { logLevel: 'silent' });
  problems.push(...draft.problems);
  if (!draft.config || problems.length > 0) throw new UsageError(problems);
  const { agentDegradedMs, agentTimeoutMs } = draft.config;
  const telemetry = await startCliTelemetry(otel, version());
  life.attachTelemetry(telemetry);
  const double: RunningDouble = await startDouble({
    fault: chosen,
    credentials,
    // Just past the degraded threshold and well before the agent deadline, so slow_agent shows as degraded.
    slowAgentMs: slow ?? Math.min(agentDegradedMs + 1_000, Math.floor((agentDegradedMs + agentTimeoutMs) / 2)),
    tracerProviders: { backend: telemetry.providerFor('netra-backend'), auth: telemetry.providerFor('netra-auth-service') },
  });
  try {
    env.PROBE_API_URL = double.apiUrl;
    env.PROBE_AUTH_URL = double.authUrl;
    env.PROBE_WS_URL = double.wsUrl;
    env.PROBE_FRONTEND_URL = double.frontendUrl;
    process.stdout.write(`staging double (fault ${chosen}): api ${double.apiUrl} · auth ${double.authUrl} · ws ${double.wsUrl}\n\n`);
    const prepared = await prepareRun({ flags: values, env, summaryTo: process.stdout, defaultLogLevel: 'silent', stop: life.stop });
    return (await prepared.run()).exitCode;
  } finally {
    await double.close();
  }
}

async function doubleCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, DOUBLE_FLAGS);
  if (values.get('help')) {
    return help(`golden-probe double [--fault NAME]\n\nStarts the Netra-compatible staging double on loopback and runs until interrupted.\nCredentials come from PROBE_E2E_BYPASS_KEY, PROBE_USER_EMAIL, PROBE_USER_PASSWORD and PROBE_SERVICE_SECRET;\nunset ones are generated at random (and not shown).\n\n${renderFlags(DOUBLE_FLAGS)}\n`);
  }
  const chosen = fault(values, problems);
  const port = (name: string) => {
    const raw = values.get(name);
    return typeof raw === 'string' ? parsePositiveInt(raw, `--${name}`, problems) : undefined;
  };
  const authPort = port('auth-port');
  const apiPort = port('api-port');
  const slow = port('slow-agent-ms');
  const otel = checkTelemetryEnv(process.env, problems);
  if (problems.length > 0) throw new UsageError(problems);
  const telemetry = await startCliTelemetry(otel, version());
  life.attachTelemetry(telemetry);

  const generated = freshDemoCredentials();
  const fromEnv = (name: string) => process.env[name]?.trim() || undefined;
  const credentials = {
    bypassKey: fromEnv('PROBE_E2E_BYPASS_KEY') ?? generated.bypassKey,
    userEmail: fromEnv('PROBE_USER_EMAIL') ?? generated.userEmail,
    userPassword: fromEnv('PROBE_USER_PASSWORD') ?? generated.userPassword,
    serviceSecret: fromEnv('PROBE_SERVICE_SECRET') ?? generated.serviceSecret,
    jwtSecret: generated.jwtSecret,
  };
  const double = await startDouble({
    fault: chosen,
    credentials,
    authPort,
    apiPort,
    ...(slow ? { slowAgentMs: slow } : {}),
    tracerProviders: { backend: telemetry.providerFor('netra-backend'), auth: telemetry.providerFor('netra-auth-service') },
  });
  const missing = ['PROBE_E2E_BYPASS_KEY', 'PROBE_USER_PASSWORD', 'PROBE_SERVICE_SECRET'].filter((n) => !fromEnv(n));
  process.stdout.write(
    [
      `staging double running, fault ${chosen}`,
      `  PROBE_API_URL=${double.apiUrl}`,
      `  PROBE_AUTH_URL=${double.authUrl}`,
      `  PROBE_WS_URL=${double.wsUrl}`,
      `  test user: ${credentials.userEmail}`,
      missing.length ? `  generated at random (not shown): ${missing.join(', ')}; set them in both shells to probe this double` : '',
      'Ctrl-C to stop.',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );
  await new Promise<void>((resolve) => life.stop.addEventListener('abort', () => resolve(), { once: true }));
  await double.close();
  return EXIT.ok;
}

function help(text: string): number {
  process.stdout.write(text);
  return EXIT.ok;
}

const [command, ...rest] = process.argv.slice(2);
const life = new ProcessLifecycle();
switch (command) {
  case 'run':
    await life.run('run', () => runCommand(life, rest));
    break;
  case 'demo':
    await life.run('demo', () => demoCommand(life, rest));
    break;
  case 'double':
    await life.run('double', () => doubleCommand(life, rest));
    break;
  case 'serve':
    await life.run('serve', () => serveCommand(life, rest));
    break;
  case '--version':
  case '-v':
  case 'version':
    process.stdout.write(`golden-path-probe ${version()}\n`);
    break;
  case undefined:
  case '--help':
  case '-h':
  case 'help':
    process.stdout.write(TOP_HELP);
    break;
  default:
    process.stderr.write(`golden-probe: unknown command '${command}'\n\n${TOP_HELP}`);
    process.exitCode = EXIT.usage;
}
