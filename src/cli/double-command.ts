import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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
  // Not --env-file: Node itself reads --env-file from anywhere on its command line, after the script too, and
  // exits 9 when the file does not exist yet (nodejs/node#54232), before this code runs.
  {
    name: 'write-env',
    kind: 'string',
    valueName: 'PATH',
    description:
      "write the double's URLs, credentials and Google fakes as `export` lines to PATH (created new, mode 0600; " +
      'removed when the double stops): `source PATH` in a second shell, then run, preflight or serve',
  },
  {
    name: 'print-env',
    kind: 'bool',
    description: 'print the same `export` lines on stdout (they include the secrets: for a throw-away double only)',
  },
  { name: 'help', kind: 'bool', description: 'show this help' },
];

/** `golden-probe double`: the staging double alone on loopback, until interrupted. */
export async function doubleCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, DOUBLE_FLAGS);
  if (values.get('help')) {
    return help(
      `golden-probe double [--fault NAME [--fault-every K]] [--write-env PATH | --print-env]\n\nStarts the Netra-compatible staging double on ` +
        `loopback and runs until interrupted.\nCredentials come from PROBE_E2E_BYPASS_KEY, PROBE_USER_EMAIL, ` +
        `PROBE_USER_PASSWORD and PROBE_SERVICE_SECRET;\nunset ones are generated at random (shown only through ` +
        `--write-env or --print-env).\n\nIn a second shell:\n  golden-probe double --write-env /tmp/double.env      ` +
        `# shell 1\n  source /tmp/double.env && npx golden-probe run      # shell 2 (also: preflight, serve ` +
        `--allow-unauthenticated)\n\n${renderFlags(DOUBLE_FLAGS)}\n`,
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
  const envFile = values.get('write-env');
  const envPath = typeof envFile === 'string' ? resolve(envFile) : undefined;
  if (envPath && existsSync(envPath))
    problems.push(`--write-env: ${envPath} exists; remove it or choose another path (it is never overwritten)`);
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
  const { doubleEnv, EnvFileExists, removeEnvFile, renderEnv, writeEnvFile } = await import('./double-env.ts');
  const envText = renderEnv(doubleEnv(double, credentials));
  if (envPath) {
    try {
      await writeEnvFile(envPath, envText);
    } catch (err) {
      await double.close();
      if (err instanceof EnvFileExists)
        throw new UsageError([
          `--write-env: ${envPath} exists; remove it or choose another path (it is never overwritten)`,
        ]);
      throw new UsageError([
        `--write-env: ${envPath} could not be written (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      ]);
    }
  }
  const missing = ['PROBE_E2E_BYPASS_KEY', 'PROBE_USER_PASSWORD', 'PROBE_SERVICE_SECRET'].filter((n) => !fromEnv(n));
  const secondShell = envPath
    ? [
        `  in a second shell: source ${envPath} && npx golden-probe run`,
        '    (also: npx golden-probe preflight; npx golden-probe serve --allow-unauthenticated)',
      ]
    : [];
  process.stdout.write(
    `${[
      `staging double running, fault ${chosen}${every > 1 ? ` (one golden-path attempt in ${every}: the 1st, ${every + 1}th, …)` : ''}`,
      `  PROBE_API_URL=${double.apiUrl}`,
      `  PROBE_AUTH_URL=${double.authUrl}`,
      `  PROBE_WS_URL=${double.wsUrl}`,
      `  PROBE_FRONTEND_URL=${double.frontendUrl}   (web app, for --login browser)`,
      `  test user: ${credentials.userEmail}`,
      missing.length && !envPath && !values.get('print-env')
        ? `  generated at random (not shown): ${missing.join(', ')}; --write-env PATH writes them (and the Google ` +
          'fakes) for a second shell to source'
        : '',
      ...secondShell,
      'Ctrl-C to stop.',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n')}\n`,
  );
  if (values.get('print-env')) process.stdout.write(envText);
  await new Promise<void>((resolve) => life.stop.addEventListener('abort', () => resolve(), { once: true }));
  if (envPath) await removeEnvFile(envPath);
  await double.close();
  return EXIT.ok;
}
