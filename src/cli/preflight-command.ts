import { type FlagSpec, parsePositiveInt, showValue } from '../config/flag-values.ts';
import { GCP_FLAGS, loadGcpSettings } from '../config/gcp-settings.ts';
import { scrubDeep } from '../config/secret.ts';
import { HttpClient } from '../net/http-client.ts';
import { renderPreflight } from '../preflight/render-preflight.ts';
import { runPreflight } from '../preflight/run-preflight.ts';
import { writeReportFile } from '../report/write-report-file.ts';
import { help, parseOrThrow } from './cli-support.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { renderFlags } from './help.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';

const PREFLIGHT_FLAGS: readonly FlagSpec[] = [
  ...GCP_FLAGS,
  {
    name: 'auth-url',
    kind: 'string',
    valueName: 'URL',
    env: 'PROBE_AUTH_URL',
    description: "the auth service's public URL, also accepted as the backend's AUTH_SERVICE_URL",
    defaultText: "the auth service's Cloud Run URLs",
  },
  {
    name: 'timeout-ms',
    kind: 'int',
    valueName: 'MS',
    defaultText: '20000',
    description: 'deadline for all the Google calls',
  },
  {
    name: 'json',
    kind: 'string',
    valueName: 'PATH',
    description: 'write the findings (golden-path-probe/preflight@1) to PATH',
  },
  { name: 'help', kind: 'bool', description: 'show this help' },
];

const USAGE = `golden-probe preflight --gcp-project ID [flags]

Reads the deployed configuration of the backend and the auth service (Cloud Run Admin API v2: the revisions
serving traffic and their environment; Secret Manager: the versions behind each secret reference) and lists
what is wrong, each finding with its code, its evidence and the fix. Secret values are never read, unless
--compare-secret-values (then only SHA-256 fingerprints are compared, never shown).
Exit 0: nothing found · 1: findings, or the deployment could not be read · 2: usage.

`;

/** `golden-probe preflight`: the configuration pre-flight alone. */
export async function preflightCommand(life: ProcessLifecycle, argv: readonly string[]): Promise<number> {
  const { values, problems } = parseOrThrow(argv, PREFLIGHT_FLAGS);
  if (values.get('help')) return help(`${USAGE}${renderFlags(PREFLIGHT_FLAGS)}\n`);
  const settings = loadGcpSettings(values, process.env, problems);
  if (!settings && !problems.some((p) => p.includes('--gcp-project')))
    problems.push('--gcp-project / PROBE_GCP_PROJECT: required (the project of the Cloud Run services)');
  const authRaw = (values.get('auth-url') as string | undefined) ?? (process.env.PROBE_AUTH_URL?.trim() || undefined);
  let authUrl: string | undefined;
  if (authRaw !== undefined) {
    if (URL.canParse(authRaw) && /^https?:$/.test(new URL(authRaw).protocol)) authUrl = authRaw.replace(/\/+$/, '');
    else problems.push(`--auth-url / PROBE_AUTH_URL: ${showValue(authRaw)} is not an http(s) URL`);
  }
  const timeoutRaw = values.get('timeout-ms');
  const timeoutMs = typeof timeoutRaw === 'string' ? parsePositiveInt(timeoutRaw, '--timeout-ms', problems) : 20_000;
  if (!settings || problems.length > 0 || timeoutMs === undefined) throw new UsageError(problems);

  const http = new HttpClient();
  try {
    const signal = AbortSignal.any([life.stop, AbortSignal.timeout(timeoutMs)]);
    const result = scrubDeep(await runPreflight({ settings, http, authUrl, signal }));
    const jsonPath = values.get('json');
    if (typeof jsonPath === 'string') {
      const doc = {
        schema: 'golden-path-probe/preflight@1',
        project: settings.project,
        region: settings.region,
        services: { backend: settings.backendService, auth: settings.authService },
        ...result,
      };
      await writeReportFile(jsonPath, `${JSON.stringify(doc, null, 2)}\n`);
    }
    process.stdout.write(renderPreflight(settings, result));
    return result.findings.length > 0 || result.trouble.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await http.close();
  }
}
