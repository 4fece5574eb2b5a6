import { createHash } from 'node:crypto';
import type { GcpSettings } from '../config/gcp-settings.ts';
import type { HttpSender } from '../net/http-client.ts';
import type { TokenSource } from './access-token.ts';
import { callGoogle, GoogleApiError } from './google-call.ts';
import { googleText } from './google-text.ts';

export interface SecretVersionView {
  number: number;
  /** ENABLED, DISABLED or DESTROYED. */
  state: string;
  createTime: string;
}

export interface SecretManagerReader {
  /** The secret's versions, newest first (metadata only: roles/secretmanager.viewer). */
  versions(secret: string, signal: AbortSignal): Promise<SecretVersionView[]>;
  /** SHA-256 of one version's value (roles/secretmanager.secretAccessor); the value itself is dropped at once. */
  fingerprint(secret: string, version: number, signal: AbortSignal): Promise<string>;
}

/** `name` or `projects/P/secrets/name`, as Cloud Run's secretKeyRef writes it. */
function secretPath(project: string, secret: string): string {
  return secret.startsWith('projects/') ? secret : `projects/${project}/secrets/${secret}`;
}

const PAGE_SIZE = 50;

export function secretManagerReader(settings: GcpSettings, http: HttpSender, token: TokenSource): SecretManagerReader {
  const base = `${settings.secretManagerUrl}/v1`;
  return {
    async versions(secret, signal) {
      const url = `${base}/${secretPath(settings.project, secret)}/versions?pageSize=${PAGE_SIZE}`;
      const route = '/v1/projects/{project}/secrets/{secret}/versions';
      const body = await callGoogle(http, { method: 'GET', url, route, token: await token(signal), signal });
      const raw = Array.isArray(body.versions) ? (body.versions as unknown[]) : [];
      const versions: SecretVersionView[] = [];
      for (const v of raw) {
        const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
        const number = Number(
          String(o.name ?? '')
            .split('/')
            .pop(),
        );
        if (!Number.isInteger(number) || number < 1) continue;
        versions.push({
          number,
          state: googleText(o.state, 40) || 'STATE_UNSPECIFIED',
          createTime: googleText(o.createTime, 40),
        });
      }
      return versions.sort((a, b) => b.number - a.number);
    },
    async fingerprint(secret, version, signal) {
      const url = `${base}/${secretPath(settings.project, secret)}/versions/${version}:access`;
      const route = '/v1/projects/{project}/secrets/{secret}/versions/{version}:access';
      const body = await callGoogle(http, { method: 'GET', url, route, token: await token(signal), signal });
      const data = (body.payload as { data?: unknown } | undefined)?.data;
      if (typeof data !== 'string') throw new GoogleApiError('garbage', 'answered 200 without payload.data');
      return createHash('sha256').update(Buffer.from(data, 'base64')).digest('hex');
    },
  };
}
