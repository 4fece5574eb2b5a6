// What a second shell needs to probe a running `golden-probe double`: its URLs, its credentials and its
// Google fakes, as `export NAME='value'` lines ready to `source`.
import { open, rm } from 'node:fs/promises';
import type { DoubleCredentials, RunningDouble, RunningGoogle } from '../double/index.ts';

/** The double's Google fakes as the probe's variables name them (hop config and the GCP log lookup). */
const GOOGLE_VARIABLES = [
  ['PROBE_GCP_PROJECT', 'project'],
  ['PROBE_GCP_REGION', 'region'],
  ['PROBE_BACKEND_SERVICE', 'backendService'],
  ['PROBE_AUTH_SERVICE', 'authService'],
  ['PROBE_GCP_RUN_URL', 'runUrl'],
  ['PROBE_GCP_SECRET_MANAGER_URL', 'secretManagerUrl'],
  ['PROBE_GCP_LOGGING_URL', 'loggingUrl'],
  ['PROBE_GCP_ACCESS_TOKEN', 'accessToken'],
] as const satisfies ReadonlyArray<readonly [string, keyof RunningGoogle]>;

export const GOOGLE_ENV_NAMES: readonly string[] = GOOGLE_VARIABLES.map(([name]) => name);

export function googleEnv(google: RunningGoogle): Array<[string, string]> {
  return GOOGLE_VARIABLES.map(([name, key]) => [name, google[key]]);
}

/** The variables, in the order a person reads them: where, who, then Google. */
export function doubleEnv(double: RunningDouble, credentials: DoubleCredentials): Array<[string, string]> {
  return [
    ['PROBE_API_URL', double.apiUrl],
    ['PROBE_AUTH_URL', double.authUrl],
    ['PROBE_WS_URL', double.wsUrl],
    ['PROBE_FRONTEND_URL', double.frontendUrl],
    ['PROBE_E2E_BYPASS_KEY', credentials.bypassKey],
    ['PROBE_USER_EMAIL', credentials.userEmail],
    ['PROBE_USER_PASSWORD', credentials.userPassword],
    ['PROBE_SERVICE_SECRET', credentials.serviceSecret],
    ...googleEnv(double.google),
  ];
}

/** POSIX shell single quotes: the value stays one word whatever it holds. */
function quoted(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function renderEnv(vars: ReadonlyArray<[string, string]>): string {
  return `${[
    '# golden-probe double: `source` this file in another shell, then run, preflight or serve against the double',
    ...vars.map(([name, value]) => `export ${name}=${quoted(value)}`),
  ].join('\n')}\n`;
}

export class EnvFileExists extends Error {}

/**
 * Writes the file for this double only: created exclusively (an existing file, or a link planted at the path,
 * is refused, never followed or overwritten) with mode 0600, since it holds the double's secrets.
 */
export async function writeEnvFile(path: string, text: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new EnvFileExists(path);
    throw err;
  }
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

/** The secrets die with the double: its file goes with it. */
export async function removeEnvFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
