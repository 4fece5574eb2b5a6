import { type FlagSpec, parsePositiveInt, showValue } from '../config/flag-values.ts';
import { help, parseOrThrow, version } from './cli-support.ts';
import { freshDemoCredentials } from './demo-credentials.ts';
import { FAULT_EVERY_FLAG, FAULT_FLAG, fault, faultEvery, SLOW_FLAG } from './double-flags.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { renderFlags } from './help.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';
import { checkTelemetryEnv, startCliTelemetry } from './telemetry.ts';

const DOUBLE_FLAGS: readonly FlagSpec[] = [
  FAULT_FLAG,
  FAULT_EVERY_FLAG,
  SLOW_FLAG,
  {
    name: 'auth-port',
    kind: 'int',
    valueName: 'PORT',
    description: 'auth service port',
    defaultText: 'a free port (also 0)',
  },
  {
    name: 'api-port',
    kind: 'int',
    valueName: 'PORT',
    description: 'backend port',
    defaultText: 'a free port (also 0)',
  },
  { name: 'help', kind: 'bool', description: 'show this help' },
];

/** `golden-probe double`: the staging double alone on loopback, until interrupted. */
export async function doubleCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, DOUBLE_FLAGS);
  if (values.get('help')) {
    return help(
      `golden-probe double [--fault NAME [--fault-every K]]\n\nStarts the Netra-compatible staging double on ` +
        `loopback and runs until interrupted.\nCredentials come from PROBE_E2E_BYPASS_KEY, PROBE_USER_EMAIL, ` +
        `PROBE_USER_PASSWORD and PROBE_SERVICE_SECRET;\nunset ones are generated at random (and not ` +
        `shown).\n\n${renderFlags(DOUBLE_FLAGS)}\n`,
    );
  }
  const chosen = fault(values, problems);
  const every = faultEvery(values, chosen, problems);
  const port = (name: string) => {
    const raw = values.get(name);
    if (typeof raw !== 'string') return undefined;
    const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (Number.isInteger(n) && n <= 65_535) return n === 0 ? undefined : n;
    problems.push(
      `--${name}: ${showValue(raw)} is not a TCP port (1 to 65535; leave it out, or give 0, for a free one)`,
    );
    return undefined;
  };
  const authPort = port('auth-port');
  const apiPort = port('api-port');
  const slowRaw = values.get('slow-agent-ms');
  const slow = typeof slowRaw === 'string' ? parsePositiveInt(slowRaw, '--slow-agent-ms', problems) : undefined;
  const otel = checkTelemetryEnv(process.env);
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
  const { startDouble } = await import('../double/index.ts');
  const double = await startDouble({
    fault: chosen,
    faultEvery: every,
    credentials,
    authPort,
    apiPort,
    ...(slow ? { slowAgentMs: slow } : {}),
    tracerProviders: {
      backend: telemetry.providerFor('netra-backend'),
      auth: telemetry.providerFor('netra-auth-service'),
    },
  });
  const missing = ['PROBE_E2E_BYPASS_KEY', 'PROBE_USER_PASSWORD', 'PROBE_SERVICE_SECRET'].filter((n) => !fromEnv(n));
  process.stdout.write(
    `${[
      `staging double running, fault ${chosen}${every > 1 ? ` (one golden-path attempt in ${every}: the 1st, ${every + 1}th, …)` : ''}`,
      `  PROBE_API_URL=${double.apiUrl}`,
      `  PROBE_AUTH_URL=${double.authUrl}`,
      `  PROBE_WS_URL=${double.wsUrl}`,
      `  PROBE_FRONTEND_URL=${double.frontendUrl}   (web app, for --login browser)`,
      `  test user: ${credentials.userEmail}`,
      missing.length
        ? `  generated at random (not shown): ${missing.join(', ')}; set them in both shells to probe this double`
        : '',
      'Ctrl-C to stop.',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n')}\n`,
  );
  await new Promise<void>((resolve) => life.stop.addEventListener('abort', () => resolve(), { once: true }));
  await double.close();
  return EXIT.ok;
}
