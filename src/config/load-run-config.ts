import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { reportPathProblem } from '../report/report-path.ts';
import { parsePositiveInt, pickSetting, showValue } from './flag-values.ts';
import { loadGcpSettings } from './gcp-settings.ts';
import { resolveChain } from './ordered-defaults.ts';
import { RUN_FLAGS } from './run-flags.ts';
import { Secret } from './secret.ts';
import type { LoginMode, RunConfig, WsAuthMode } from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Flag value, else env value, else undefined. Flags win over the environment (docs/configuration.md). */
function pick(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  name: string,
): { value: string; source: string } | undefined {
  const spec = RUN_FLAGS.find((s) => s.name === name);
  if (spec) return pickSetting(flags, env, spec);
  const flag = flags.get(name);
  return typeof flag === 'string' ? { value: flag, source: `--${name}` } : undefined;
}

function secretFromEnv(env: Env, name: string): Secret | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : new Secret(raw.trim());
}

function checkUrl(raw: string, source: string, schemes: readonly string[], problems: string[]): string | undefined {
  const wanted = schemes.map((s) => s.replace(':', '')).join(' or ');
  const example = schemes.includes('ws:') ? 'wss://api.staging.example.com/ws' : 'https://api.staging.example.com';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${source}: ${showValue(raw)} is not a URL; give an absolute ${wanted} URL such as ${example}`);
    return undefined;
  }
  if (!schemes.includes(url.protocol)) {
    // localhost:8000 parses with the scheme "localhost:".
    const hint = raw.includes('://')
      ? `, e.g. ${example}`
      : ` and be written with its scheme, e.g. ${schemes[0]}//${raw}`;
    const wsHint =
      schemes.includes('ws:') && (url.protocol === 'http:' || url.protocol === 'https:')
        ? ' (ws:// for an http backend, wss:// for https)'
        : '';
    problems.push(`${source}: ${showValue(raw)} must use ${wanted}${wsHint || hint}`);
    return undefined;
  }
  if (url.username || url.password) {
    problems.push(`${source}: must not carry credentials in the URL (secrets come from the environment only)`);
    return undefined;
  }
  if (url.hostname === '') {
    problems.push(`${source}: ${showValue(raw)} has no host; give an absolute ${wanted} URL such as ${example}`);
    return undefined;
  }
  return raw.replace(/\/+$/, '');
}

/** HTTP header values: node:http refuses line breaks and other control characters (and chars above U+00FF). */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A secret that goes into an HTTP header; a problem names its variable and never shows the value. */
function checkHeaderSecret(secret: Secret | undefined, variable: string, header: string, problems: string[]): void {
  if (secret && !HEADER_SAFE.test(secret.reveal())) {
    problems.push(
      `${variable}: holds a line break, control character or non-Latin-1 character, which cannot be sent as the ` +
        `${header} header (check how the secret was stored; the value is not shown)`,
    );
  }
}

const REPORT_EXTENSIONS: Readonly<Record<string, string>> = { junit: 'xml', transcript: 'jsonl' };

/**
 * A --json/--junit/--html/--transcript path that cannot be written is a configuration problem, found before the run.
 */
function checkOutputPath(flag: string, path: string | undefined, problems: string[]): void {
  if (path === undefined) return;
  const problem = reportPathProblem(path, showValue);
  if (problem?.kind === 'directory') {
    problems.push(
      `--${flag}: ${showValue(path)} is a directory; give a file path, e.g. ${showValue(join(path, `report.${REPORT_EXTENSIONS[flag] ?? flag}`))}`,
    );
  } else if (problem) {
    problems.push(`--${flag}: ${showValue(path)} cannot be written: ${problem.why}`);
  }
}

/** The probe definition to run: --probe, else PROBE_DEFINITION, else the golden path. */
export function probeName(flags: ReadonlyMap<string, string | boolean>, env: Env): string {
  return pick(flags, env, 'probe')?.value ?? 'golden-path';
}

export function deriveWsUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/ws`;
  return url.toString();
}

function choice<T extends string>(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  name: string,
  problems: string[],
): T | undefined {
  const picked = pick(flags, env, name);
  if (!picked) return undefined;
  const choices = RUN_FLAGS.find((s) => s.name === name)?.choices ?? [];
  if (!choices.includes(picked.value)) {
    problems.push(`${picked.source}: ${showValue(picked.value)} is not one of ${choices.join(', ')}`);
    return undefined;
  }
  return picked.value as T;
}

/**
 * Degraded threshold < agent deadline < run deadline, each with its default. Sized for a real agent: the one
 * recorded healthy staging run took 85 s to agent_completed (netra-systems/zen README.md L83-125), so it
 * passes under 100 s; 150 s is ~1.75x that; the run keeps 30 s for its other hops. docs/configuration.md.
 */
export const DEADLINES = [
  { name: 'agent-degraded-ms', fallback: 100_000 },
  { name: 'agent-timeout-ms', fallback: 150_000 },
  { name: 'timeout-ms', fallback: 180_000, what: ", the whole run's deadline" },
] as const;

/**
 * The three nested deadlines. A default follows the values that were set (`--agent-timeout-ms 4000` alone
 * gives a 2000 ms degraded threshold, not 15000 and an error); only values set on purpose can contradict
 * each other (exit 2). An invalid value is reported and left to its default, so it is one problem.
 */
function nestedDeadlines(flags: ReadonlyMap<string, string | boolean>, env: Env, problems: string[]): number[] {
  // Read from the run deadline down, so its problems come first, as they always did.
  const set = [...DEADLINES]
    .reverse()
    .map(({ name }) => {
      const picked = pick(flags, env, name);
      return picked && { value: parsePositiveInt(picked.value, picked.source, problems), source: picked.source };
    })
    .reverse();
  set.forEach((lower, i) => {
    const upper = set.slice(i + 1).find((s) => s?.value !== undefined);
    if (lower?.value === undefined || upper?.value === undefined || lower.value < upper.value) return;
    const what = DEADLINES[set.indexOf(upper)]!;
    const why = 'what' in what ? what.what : '';
    problems.push(`${lower.source} (${lower.value}) must be below ${upper.source} (${upper.value})${why}`);
  });
  return resolveChain(DEADLINES.map(({ fallback }, i) => ({ set: set[i]?.value, fallback })));
}

function count(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const picked = pick(flags, env, name);
  if (!picked) return fallback;
  const n = /^\d+$/.test(picked.value) ? Number(picked.value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${picked.source}: ${showValue(picked.value)} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

/** --shard i/n, else Cloud Run's CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT (0-based index), else 0/1. */
function parseShard(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  problems: string[],
): { index: number; count: number } {
  const flag = flags.get('shard');
  let raw: { index: string; count: string; source: string } | undefined;
  if (typeof flag === 'string') {
    const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
    if (!m) {
      problems.push(`--shard: ${showValue(flag)} must look like I/N, e.g. 0/4`);
      return { index: 0, count: 1 };
    }
    raw = { index: m[1]!, count: m[2]!, source: '--shard' };
  } else if (env.CLOUD_RUN_TASK_COUNT?.trim()) {
    raw = {
      index: env.CLOUD_RUN_TASK_INDEX?.trim() || '0',
      count: env.CLOUD_RUN_TASK_COUNT.trim(),
      source: 'CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT',
    };
  }
  if (!raw) return { index: 0, count: 1 };
  const index = Number(raw.index);
  const n = Number(raw.count);
  if (!Number.isInteger(index) || !Number.isInteger(n) || n < 1 || index < 0 || index >= n) {
    problems.push(`${raw.source}: shard ${raw.index}/${raw.count} is not an index from 0 to count-1`);
    return { index: 0, count: 1 };
  }
  return { index, count: n };
}

/**
 * Turns flags + environment into a validated RunConfig, collecting every problem so the user can fix
 * them all at once. `defaults` lets `demo` supply the double's URLs and credentials.
 */
export function loadRunConfig(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  defaults: { logLevel: string; targetsInDefinition?: boolean } = { logLevel: 'info' },
): { config: RunConfig | undefined; problems: string[] } {
  const problems: string[] = [];

  for (const name of ['bypass-key', 'password', 'service-secret']) {
    if (flags.has(name)) problems.push(`--${name}: secrets are read from the environment only`);
  }

  const apiRaw = pick(flags, env, 'api-url');
  const authRaw = pick(flags, env, 'auth-url');
  if (!apiRaw && !defaults.targetsInDefinition)
    problems.push('--api-url / PROBE_API_URL: required (the backend base URL)');
  if (!authRaw && !defaults.targetsInDefinition)
    problems.push('--auth-url / PROBE_AUTH_URL: required (the auth service base URL)');
  const apiUrl = apiRaw && checkUrl(apiRaw.value, apiRaw.source, ['http:', 'https:'], problems);
  const authUrl = authRaw && checkUrl(authRaw.value, authRaw.source, ['http:', 'https:'], problems);
  const wsRaw = pick(flags, env, 'ws-url');
  const wsUrl = wsRaw
    ? checkUrl(wsRaw.value, wsRaw.source, ['ws:', 'wss:'], problems)
    : apiUrl
      ? deriveWsUrl(apiUrl)
      : undefined;

  const bypassKey = secretFromEnv(env, 'PROBE_E2E_BYPASS_KEY');
  const userPassword = secretFromEnv(env, 'PROBE_USER_PASSWORD');
  const serviceSecret = secretFromEnv(env, 'PROBE_SERVICE_SECRET');
  const userEmail = env.PROBE_USER_EMAIL?.trim() || undefined;

  const login = choice<LoginMode>(flags, env, 'login', problems) ?? (bypassKey ? 'e2e' : 'password');
  if (login === 'e2e' && !bypassKey)
    problems.push(
      'PROBE_E2E_BYPASS_KEY: required for --login e2e (or --login password, with PROBE_USER_EMAIL and PROBE_USER_PASSWORD)',
    );
  if (login !== 'e2e') {
    // The login mode was not chosen but followed from a missing bypass key: say which variable selects the other.
    const other =
      pick(flags, env, 'login') === undefined
        ? ' (or set PROBE_E2E_BYPASS_KEY: it selects the e2e login, which needs neither)'
        : '';
    if (!userEmail) problems.push(`PROBE_USER_EMAIL: required for --login ${login}${other}`);
    if (!userPassword) problems.push(`PROBE_USER_PASSWORD: required for --login ${login}${other}`);
  }

  checkHeaderSecret(bypassKey, 'PROBE_E2E_BYPASS_KEY', 'X-E2E-Bypass-Key', problems);
  checkHeaderSecret(serviceSecret, 'PROBE_SERVICE_SECRET', 'X-Service-Secret', problems);
  // Not a secret, but a credential: named, not shown.
  if (userEmail && !/^[^\s@]+@[^\s@]+$/.test(userEmail))
    problems.push('PROBE_USER_EMAIL: is not an email address (name@domain; the value is not shown)');

  const [agentDegradedMs, agentTimeoutMs, timeoutMs] = nestedDeadlines(flags, env, problems);

  const frontendRaw = pick(flags, env, 'frontend-url');
  const frontendUrl = frontendRaw && checkUrl(frontendRaw.value, frontendRaw.source, ['http:', 'https:'], problems);
  if (login === 'browser' && !frontendRaw)
    problems.push('--frontend-url / PROBE_FRONTEND_URL: required for --login browser');
  const chromiumPath = env.PROBE_CHROMIUM_PATH?.trim() || '/usr/bin/chromium';
  // A missing browser is the probe's environment, not staging: exit 2 rather than a failed login.
  if (login === 'browser' && !existsSync(chromiumPath)) {
    problems.push(
      `PROBE_CHROMIUM_PATH: no Chromium at ${chromiumPath} (install Debian's chromium, or point ` +
        `PROBE_CHROMIUM_PATH at one)`,
    );
  }

  // --log-format is read by the CLI (where the logs and the summary go); checked here with every other setting.
  choice<string>(flags, env, 'log-format', problems);
  const retries = count(flags, env, 'retries', 0, 0, 10, problems);
  const users = count(flags, env, 'users', 1, 1, 1000, problems);
  const shard = parseShard(flags, env, problems);

  const serviceId = pick(flags, env, 'service-id');
  if (serviceId && !HEADER_SAFE.test(serviceId.value)) {
    problems.push(
      `${serviceId.source}: ${showValue(serviceId.value)} cannot be sent as the X-Service-ID header (no line ` +
        `breaks or control characters)`,
    );
  }

  for (const flag of ['json', 'junit', 'html', 'transcript']) {
    checkOutputPath(flag, flags.get(flag) as string | undefined, problems);
  }

  const template = pick(flags, env, 'trace-url-template');
  if (template && !template.value.includes('{traceId}')) {
    problems.push(`${template.source}: must contain {traceId}`);
  }

  const gcp = loadGcpSettings(flags, env, problems);

  const config: RunConfig = {
    apiUrl: apiUrl ?? '',
    authUrl: authUrl ?? '',
    wsUrl: wsUrl ?? '',
    frontendUrl: frontendUrl || undefined,
    login,
    bypassKey,
    userEmail,
    userPassword,
    serviceId: serviceId?.value ?? 'netra-backend',
    serviceSecret,
    wsAuth: choice<WsAuthMode>(flags, env, 'ws-auth', problems) ?? 'header',
    timeoutMs: timeoutMs!,
    agentTimeoutMs: agentTimeoutMs!,
    agentDegradedMs: agentDegradedMs!,
    probe: probeName(flags, env),
    retries,
    users,
    shard,
    artifactsDir: pick(flags, env, 'artifacts')?.value,
    chromiumPath,
    jsonPath: flags.get('json') as string | undefined,
    junitPath: flags.get('junit') as string | undefined,
    htmlPath: flags.get('html') as string | undefined,
    transcriptPath: flags.get('transcript') as string | undefined,
    traceUrlTemplate: template?.value,
    failOnDegraded: flags.get('fail-on-degraded') === true,
    logLevel: choice<string>(flags, env, 'log-level', problems) ?? defaults.logLevel,
    gcp,
  };
  return { config: problems.length === 0 ? config : undefined, problems };
}
