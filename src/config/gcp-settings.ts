import type { FlagSpec } from './flag-values.ts';
import { pickSetting, showValue } from './flag-values.ts';
import { Secret } from './secret.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the deployed configuration is read from, and what it is checked against. */
export interface GcpSettings {
  project: string;
  region: string;
  /** Cloud Run service names: the two deploy paths name them differently. */
  backendService: string;
  authService: string;
  /** The ENVIRONMENT both services must run with. */
  expectedEnvironment: string;
  /** Read the two services' secret values and compare SHA-256 fingerprints (needs secretAccessor). */
  compareSecretValues: boolean;
  runUrl: string;
  secretManagerUrl: string;
  loggingUrl: string;
  /**
   * A log view the services' logs are read through (`projects/P/locations/L/buckets/B/views/V`,
   * `PROBE_GCP_LOG_VIEW`), so the job needs `roles/logging.viewAccessor` on that view only, not
   * `roles/logging.viewer` on every log of the project. Unset: the project's logs.
   */
  logView?: string;
  /** A bearer token used instead of Application Default Credentials. */
  accessToken: Secret | undefined;
}

export const GCP_FLAGS: readonly FlagSpec[] = [
  {
    name: 'gcp-project',
    kind: 'string',
    valueName: 'ID',
    env: 'PROBE_GCP_PROJECT',
    defaultText: 'none: no configuration pre-flight, no log lookup',
    description: 'GCP project of the Cloud Run services (turns on hop config and the error-log lookup)',
  },
  {
    name: 'gcp-region',
    kind: 'string',
    valueName: 'REGION',
    env: 'PROBE_GCP_REGION',
    defaultText: 'us-central1',
    description: 'Cloud Run region of both services',
  },
  {
    name: 'backend-service',
    kind: 'string',
    valueName: 'NAME',
    env: 'PROBE_BACKEND_SERVICE',
    defaultText: 'netra-backend-staging',
    description: "the backend's Cloud Run service name",
  },
  {
    name: 'auth-service',
    kind: 'string',
    valueName: 'NAME',
    env: 'PROBE_AUTH_SERVICE',
    defaultText: 'netra-auth-service',
    description: "the auth service's Cloud Run service name",
  },
  {
    name: 'expected-environment',
    kind: 'string',
    valueName: 'NAME',
    env: 'PROBE_EXPECTED_ENVIRONMENT',
    defaultText: 'staging',
    description: 'the ENVIRONMENT both services must have',
  },
  {
    name: 'compare-secret-values',
    kind: 'bool',
    description:
      "compare SHA-256 fingerprints of the two services' secret values (needs roles/secretmanager.secretAccessor; " +
      'values are never shown)',
  },
];

const DEFAULT_URLS = {
  PROBE_GCP_RUN_URL: 'https://run.googleapis.com',
  PROBE_GCP_SECRET_MANAGER_URL: 'https://secretmanager.googleapis.com',
  PROBE_GCP_LOGGING_URL: 'https://logging.googleapis.com',
} as const;

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const LOG_VIEW =
  /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/buckets\/[\w-]{1,100}\/views\/[\w-]{1,100}$/;
const SERVICE_NAME = /^[a-z](?:[-a-z0-9]{0,47}[a-z0-9])?$/;
const REGION = /^[a-z]+-[a-z]+[0-9]+$/;

function pick(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  spec: FlagSpec,
): { value: string; source: string } | undefined {
  const picked = pickSetting(flags, env, spec);
  return picked && { ...picked, value: picked.value.trim() };
}

function baseUrl(env: Env, name: keyof typeof DEFAULT_URLS, problems: string[]): string {
  const raw = env[name]?.trim();
  if (!raw) return DEFAULT_URLS[name];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name}: ${showValue(raw)} is not a URL; give a base URL such as ${DEFAULT_URLS[name]}`);
    return DEFAULT_URLS[name];
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search) {
    problems.push(`${name}: ${showValue(raw)} must be an http(s) base URL without credentials or query`);
  }
  return raw.replace(/\/+$/, '');
}

/**
 * The GCP side of a run (`--gcp-project` and friends), or undefined when no project is configured.
 * Every problem is added to `problems`; a setting that needs the project without it is one of them.
 */
export function loadGcpSettings(
  flags: ReadonlyMap<string, string | boolean>,
  env: Env,
  problems: string[],
): GcpSettings | undefined {
  const [projectSpec, regionSpec, backendSpec, authSpec, environmentSpec] = GCP_FLAGS;
  const project = pick(flags, env, projectSpec!);
  const others = [regionSpec!, backendSpec!, authSpec!, environmentSpec!].map((s) => pick(flags, env, s));
  const tokenRaw = env.PROBE_GCP_ACCESS_TOKEN?.trim();
  if (!project) {
    const orphan =
      others.find((o) => o !== undefined)?.source ??
      (flags.get('compare-secret-values') ? '--compare-secret-values' : undefined);
    if (orphan)
      problems.push(`${orphan}: needs --gcp-project / PROBE_GCP_PROJECT (the project of the Cloud Run services)`);
    return undefined;
  }
  if (!PROJECT_ID.test(project.value))
    problems.push(
      `${project.source}: ${showValue(project.value)} is not a GCP project id (6-30 lower-case letters, digits, ` +
        `hyphens)`,
    );
  const [region, backend, auth, environment] = others;
  if (region && !REGION.test(region.value))
    problems.push(`${region.source}: ${showValue(region.value)} is not a Cloud Run region such as us-central1`);
  for (const svc of [backend, auth]) {
    if (svc && !SERVICE_NAME.test(svc.value))
      problems.push(
        `${svc.source}: ${showValue(svc.value)} is not a Cloud Run service name (lower-case letters, digits, hyphens)`,
      );
  }
  if (tokenRaw !== undefined && tokenRaw !== '' && !/^[\x21-\x7e]+$/.test(tokenRaw)) {
    problems.push(
      'PROBE_GCP_ACCESS_TOKEN: holds a space or control character, so it cannot be sent as a bearer token (the ' +
        'value is not shown)',
    );
  }
  const logView = env.PROBE_GCP_LOG_VIEW?.trim();
  if (logView && !LOG_VIEW.test(logView))
    problems.push(
      `PROBE_GCP_LOG_VIEW: ${showValue(logView)} is not a log view name (projects/P/locations/global/buckets/B/views/V)`,
    );
  return {
    ...(logView ? { logView } : {}),
    project: project.value,
    region: region?.value ?? 'us-central1',
    backendService: backend?.value ?? 'netra-backend-staging',
    authService: auth?.value ?? 'netra-auth-service',
    expectedEnvironment: environment?.value ?? 'staging',
    compareSecretValues: flags.get('compare-secret-values') === true,
    runUrl: baseUrl(env, 'PROBE_GCP_RUN_URL', problems),
    secretManagerUrl: baseUrl(env, 'PROBE_GCP_SECRET_MANAGER_URL', problems),
    loggingUrl: baseUrl(env, 'PROBE_GCP_LOGGING_URL', problems),
    accessToken: tokenRaw ? new Secret(tokenRaw) : undefined,
  };
}
