import type { GcpSettings } from '../config/gcp-settings.ts';
import type { HttpSender } from '../net/http-client.ts';
import type { TokenSource } from './access-token.ts';
import { callGoogle } from './google-call.ts';
import { googleText, googleObject as obj } from './google-text.ts';

/** A revision that receives traffic now. */
export interface ServingRevision {
  revision: string;
  percent: number;
}

export interface ServiceView {
  name: string;
  /** The service's own URLs (`uri`, `urls[]`). */
  urls: string[];
  serving: ServingRevision[];
}

export type EnvEntry = { name: string; value: string } | { name: string; secret: string; version: string };

/** A Secret Manager secret mounted as files (a `volumes[].secret` the container mounts). */
export interface SecretFileMount {
  secret: string;
  mountPath: string;
}

export interface RevisionView {
  name: string;
  createTime: string;
  env: EnvEntry[];
  /** Secrets mounted as files: the service may read variables from them (see findings.ts). */
  secretFiles?: SecretFileMount[];
}

export interface CloudRunReader {
  service(name: string, signal: AbortSignal): Promise<ServiceView>;
  revision(service: string, revision: string, signal: AbortSignal): Promise<RevisionView>;
}

const lastSegment = (name: string) => name.slice(name.lastIndexOf('/') + 1);
const str = (v: unknown) => googleText(v);
/**
 * The only plain values the checks read. Other variables are kept by name alone: a plain value may be a
 * secret someone set by hand, and it has no business in memory, let alone in a report.
 */
const VALUES_READ = new Set(['ENVIRONMENT', 'AUTH_SERVICE_URL', 'ENABLE_LOCAL_CONFIG_FILES']);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const ROUTE = '/v2/projects/{project}/locations/{location}/services/{service}';

/** Cloud Run Admin API v2: services and their revisions, read-only (roles/run.viewer). */
export function cloudRunReader(settings: GcpSettings, http: HttpSender, token: TokenSource): CloudRunReader {
  const base = `${settings.runUrl}/v2/projects/${settings.project}/locations/${settings.region}/services`;
  return {
    async service(name, signal) {
      const body = await callGoogle(http, {
        method: 'GET',
        url: `${base}/${encodeURIComponent(name)}`,
        route: ROUTE,
        token: await token(signal),
        signal,
      });
      return toServiceView(name, body);
    },
    async revision(service, revision, signal) {
      const url = `${base}/${encodeURIComponent(service)}/revisions/${encodeURIComponent(revision)}`;
      const route = `${ROUTE}/revisions/{revision}`;
      const body = await callGoogle(http, { method: 'GET', url, route, token: await token(signal), signal });
      return {
        name: revision,
        createTime: str(body.createTime),
        env: list(body.containers).flatMap((c) =>
          list(obj(c).env)
            .map(toEnvEntry)
            .filter((e) => e !== undefined),
        ),
        secretFiles: secretFiles(body),
      };
    },
  };
}

/** `trafficStatuses` is what Cloud Run actually routes; `traffic` what was asked for, used when the other is absent. */
function toServiceView(name: string, body: Record<string, unknown>): ServiceView {
  const latest = lastSegment(str(body.latestReadyRevision));
  const targets = list(body.trafficStatuses).length > 0 ? list(body.trafficStatuses) : list(body.traffic);
  const serving = new Map<string, number>();
  for (const raw of targets) {
    const t = obj(raw);
    const percent = typeof t.percent === 'number' ? t.percent : 0;
    const revision = str(t.revision) ? lastSegment(str(t.revision)) : str(t.type).endsWith('LATEST') ? latest : '';
    if (percent > 0 && revision) serving.set(revision, (serving.get(revision) ?? 0) + percent);
  }
  // A service with no traffic block serves its latest ready revision.
  if (serving.size === 0 && latest) serving.set(latest, 100);
  const urls = [str(body.uri), ...list(body.urls).map(str)].filter(Boolean);
  return { name, urls, serving: [...serving].map(([revision, percent]) => ({ revision, percent })) };
}

/** `volumes[].secret.secret` joined with the containers' `volumeMounts[]` by volume name. */
function secretFiles(body: Record<string, unknown>): SecretFileMount[] {
  const secretOf = new Map<string, string>();
  for (const v of list(body.volumes)) {
    const secret = str(obj(obj(v).secret).secret);
    if (secret) secretOf.set(str(obj(v).name), secret);
  }
  return list(body.containers).flatMap((c) =>
    list(obj(c).volumeMounts).flatMap((m) => {
      const secret = secretOf.get(str(obj(m).name));
      return secret ? [{ secret, mountPath: str(obj(m).mountPath) }] : [];
    }),
  );
}

function toEnvEntry(raw: unknown): EnvEntry | undefined {
  const e = obj(raw);
  const name = str(e.name);
  if (!name) return undefined;
  const ref = obj(obj(e.valueSource).secretKeyRef);
  if (str(ref.secret)) return { name, secret: str(ref.secret), version: str(ref.version) || 'latest' };
  return { name, value: VALUES_READ.has(name) ? str(e.value) : '' };
}
