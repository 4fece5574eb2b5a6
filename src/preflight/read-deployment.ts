import type { GcpSettings } from '../config/gcp-settings.ts';
import type { CloudRunReader, RevisionView, ServiceView } from '../gcp/cloud-run.ts';
import type { SecretManagerReader, SecretVersionView } from '../gcp/secret-manager.ts';
import { troubleLine } from '../gcp/trouble-line.ts';
import { type DeploymentSnapshot, type RevisionSnapshot, type ServiceRole, snapshotRevision } from './deployment.ts';

export interface DeploymentReaders {
  run: CloudRunReader;
  secrets: SecretManagerReader;
}

/**
 * Reads both services' serving revisions and the Secret Manager versions behind their secret references.
 * Never throws: a call that fails becomes a line in `trouble`, and what could be read is still checked.
 */
export async function readDeployment(
  settings: GcpSettings,
  readers: DeploymentReaders,
  signal: AbortSignal,
): Promise<DeploymentSnapshot> {
  const trouble: string[] = [];
  const project = settings.project;
  const names: Record<ServiceRole, { name: string; source: string }> = {
    backend: { name: settings.backendService, source: '--backend-service / PROBE_BACKEND_SERVICE' },
    auth: { name: settings.authService, source: '--auth-service / PROBE_AUTH_SERVICE' },
  };
  const services: Partial<Record<ServiceRole, ServiceView>> = {};
  const views: Array<{ role: ServiceRole; percent: number; view: RevisionView }> = [];

  await Promise.all(
    (['backend', 'auth'] as const).map(async (role) => {
      const { name, source } = names[role];
      let service: ServiceView;
      try {
        service = await readers.run.service(name, signal);
      } catch (err) {
        const hint = `check ${source} (the Cloud Run service name) and --gcp-region / --gcp-project (${settings.region}, ${project})`;
        trouble.push(troubleLine('run', `service ${name}`, err, { project, notFound: hint }));
        return;
      }
      services[role] = service;
      await Promise.all(
        service.serving.map(async ({ revision, percent }) => {
          try {
            views.push({ role, percent, view: await readers.run.revision(name, revision, signal) });
          } catch (err) {
            trouble.push(troubleLine('run', `revision ${revision} of ${name}`, err, { project }));
          }
        }),
      );
    }),
  );

  const secretNames = new Set(views.flatMap(({ view }) => view.env.flatMap((e) => ('secret' in e ? [e.secret] : []))));
  const versions = new Map<string, SecretVersionView[]>();
  await Promise.all(
    [...secretNames].map(async (secret) => {
      try {
        versions.set(secret, await readers.secrets.versions(secret, signal));
      } catch (err) {
        trouble.push(troubleLine('secrets', `the versions of secret ${secret}`, err, { project }));
      }
    }),
  );

  const order = (r: RevisionSnapshot) => (r.role === 'backend' ? 0 : 1);
  const revisions = views
    .map(({ role, percent, view }) => snapshotRevision(role, names[role].name, percent, view, (s) => versions.get(s)))
    .sort((a, b) => order(a) - order(b) || b.percent - a.percent);
  return { revisions, services, trouble: trouble.sort() };
}
