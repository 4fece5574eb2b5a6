import type { GcpSettings } from '../config/gcp-settings.ts';
import { type TokenSource, tokenSource } from '../gcp/access-token.ts';
import { cloudRunReader } from '../gcp/cloud-run.ts';
import { secretManagerReader } from '../gcp/secret-manager.ts';
import type { HttpSender } from '../net/http-client.ts';
import type { ConfigFinding } from '../report/types.ts';
import { identifyAuthUrl } from './auth-url-identity.ts';
import { compareSecretValues } from './compare-values.ts';
import { findProblems, unprovenNotes } from './findings.ts';
import { readDeployment } from './read-deployment.ts';

export interface PreflightResult {
  findings: ConfigFinding[];
  /** Calls that gave no usable answer, one line each (the role to grant, the name to fix). */
  trouble: string[];
  /** What was read: one line per serving revision, and notes such as equal secret values. */
  read: string[];
}

export interface PreflightInput {
  settings: GcpSettings;
  http: HttpSender;
  /** The auth service URL the probe uses, accepted as the backend's AUTH_SERVICE_URL. */
  authUrl: string | undefined;
  signal: AbortSignal;
  /** Shared with the log lookup of the same run, so ADC is asked once. */
  token?: TokenSource;
}

/** The configuration pre-flight: read the deployment, find what is wrong. Never throws for Google's sake. */
export async function runPreflight(input: PreflightInput): Promise<PreflightResult> {
  const { settings, http, signal } = input;
  const token = input.token ?? tokenSource(settings);
  const secrets = secretManagerReader(settings, http, token);
  const snapshot = await readDeployment(settings, { run: cloudRunReader(settings, http, token), secrets }, signal);
  const backend = snapshot.revisions.find((r) => r.role === 'backend');
  const authUrlIdentity = backend
    ? await identifyAuthUrl({
        value: backend.plain.get('AUTH_SERVICE_URL'),
        known: [...(input.authUrl ? [input.authUrl] : []), ...(snapshot.services.auth?.urls ?? [])],
        authServiceRead: snapshot.services.auth !== undefined,
        backendUrls: snapshot.services.backend?.urls ?? [],
        environment: settings.expectedEnvironment,
        http,
        signal,
      })
    : undefined;
  let findings = findProblems(snapshot, {
    project: settings.project,
    environment: settings.expectedEnvironment,
    authUrl: input.authUrl,
    ...(authUrlIdentity ? { authUrlIdentity } : {}),
  });
  const read = snapshot.revisions.map(
    (r) =>
      `${r.service}: revision ${r.revision} serves ${r.percent}% of traffic, started ${r.createTime || 'at an unknown time'}`,
  );
  read.push(...unprovenNotes(snapshot));
  // A custom domain confirmed by asking it, or one that could not be asked: said, not a finding.
  if (authUrlIdentity?.kind === 'unconfirmed') read.push(authUrlIdentity.note);
  if (authUrlIdentity?.kind === 'auth' && authUrlIdentity.how.includes('/health'))
    read.push(`AUTH_SERVICE_URL ${authUrlIdentity.how}`);
  const trouble = [...snapshot.trouble];
  if (settings.compareSecretValues) {
    const compared = await compareSecretValues(snapshot, findings, secrets, settings.project, signal);
    findings = compared.findings;
    read.push(...compared.notes);
    trouble.push(...compared.trouble);
  }
  return { findings, trouble, read };
}
