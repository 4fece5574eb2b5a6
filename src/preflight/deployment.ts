import type { RevisionView, ServiceView } from '../gcp/cloud-run.ts';
import type { SecretVersionView } from '../gcp/secret-manager.ts';

export type ServiceRole = 'backend' | 'auth';

/** A variable read from Secret Manager, with the versions that matter. */
export interface MountedSecret {
  variable: string;
  /** As the service names it (`service-secret-staging` or `projects/P/secrets/…`). */
  secret: string;
  /** `latest`, a number, or an alias, as deployed. */
  requested: string;
  /** What instances started with the revision hold: the pinned version, or the newest one at the revision's start. */
  held: SecretVersionView | undefined;
  /** The secret's newest version now (what `latest` gives an instance starting now). */
  newest: SecretVersionView | undefined;
  /** The versions could not be read (the trouble is in the snapshot's `trouble`). */
  unread: boolean;
}

/** One revision that serves traffic, with its environment split into plain values and secrets. */
export interface RevisionSnapshot {
  role: ServiceRole;
  service: string;
  revision: string;
  createTime: string;
  percent: number;
  plain: ReadonlyMap<string, string>;
  secrets: ReadonlyMap<string, MountedSecret>;
  /** Secrets mounted as files (secret => mount path). */
  secretFiles: ReadonlyMap<string, string>;
}

export interface DeploymentSnapshot {
  revisions: RevisionSnapshot[];
  services: Partial<Record<ServiceRole, ServiceView>>;
  /** One line per call that gave no usable answer (a missing role, a wrong name, Google down). */
  trouble: string[];
}

/** `service-secret-staging` for `projects/P/secrets/service-secret-staging` too. */
export function secretShortName(secret: string): string {
  return secret.slice(secret.lastIndexOf('/') + 1);
}

/** The version a `latest` reference gave an instance that started at `at`: the newest created by then. */
export function versionAt(versions: readonly SecretVersionView[], at: string): SecretVersionView | undefined {
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return versions[0];
  return versions.find((v) => Date.parse(v.createTime) <= t);
}

export function snapshotRevision(
  role: ServiceRole,
  service: string,
  percent: number,
  view: RevisionView,
  versionsOf: (secret: string) => SecretVersionView[] | undefined,
): RevisionSnapshot {
  const plain = new Map<string, string>();
  const secrets = new Map<string, MountedSecret>();
  for (const entry of view.env) {
    if ('value' in entry) {
      plain.set(entry.name, entry.value);
      continue;
    }
    const versions = versionsOf(entry.secret);
    const pinned = /^\d+$/.test(entry.version) ? Number(entry.version) : undefined;
    const held =
      versions === undefined
        ? undefined
        : pinned !== undefined
          ? versions.find((v) => v.number === pinned)
          : versionAt(versions, view.createTime);
    secrets.set(entry.name, {
      variable: entry.name,
      secret: entry.secret,
      requested: entry.version,
      held,
      newest: versions?.[0],
      unread: versions === undefined,
    });
  }
  const secretFiles = new Map((view.secretFiles ?? []).map((f) => [f.secret, f.mountPath]));
  return { role, service, revision: view.name, createTime: view.createTime, percent, plain, secrets, secretFiles };
}
