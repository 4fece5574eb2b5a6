import { GoogleApiError } from './google-call.ts';

export type GoogleApi = 'run' | 'secrets' | 'secret-values' | 'logging';

/** The role that lets the probe make each kind of call; a 403 names it. */
const ROLE_FOR: Readonly<Record<GoogleApi, string>> = {
  run: 'roles/run.viewer',
  secrets: 'roles/secretmanager.viewer',
  'secret-values': 'roles/secretmanager.secretAccessor',
  logging: 'roles/logging.viewer',
};

const API_NAME: Readonly<Record<GoogleApi, string>> = {
  run: 'Cloud Run Admin API',
  secrets: 'Secret Manager',
  'secret-values': 'Secret Manager',
  logging: 'Cloud Logging',
};

/** One line a person can act on, for a Google call that gave no usable answer. Never throws. */
export function troubleLine(
  api: GoogleApi,
  what: string,
  err: unknown,
  opts: { project: string; notFound?: string; logView?: string },
): string {
  const name = API_NAME[api];
  if (!(err instanceof GoogleApiError)) {
    return `${name}: reading ${what} failed unexpectedly (${err instanceof Error ? err.message.slice(0, 160) : 'unknown error'})`;
  }
  switch (err.kind) {
    case 'permission':
      return `${name} refused to show ${what} (403${err.detail ? ` ${err.detail.split(':')[0]}` : ''}): grant the probe's service account ${
        api === 'logging' && opts.logView
          ? `roles/logging.viewAccessor on log view ${opts.logView}`
          : `${ROLE_FOR[api]} on project ${opts.project}`
      }`;
    case 'not_found':
      return `${name}: ${what} not found (404)${opts.notFound ? `: ${opts.notFound}` : ''}`;
    case 'rate_limited':
      return `${name} kept answering 429 (quota) for ${what}, after retries: try again later or raise the quota`;
    case 'unavailable':
      return `${name} answered HTTP ${err.status ?? '5xx'} for ${what}, after retries: Google's side, try again`;
    case 'unauthenticated':
      return err.status === 401
        ? `${name} rejected the access token (401) for ${what}: refresh the credentials or PROBE_GCP_ACCESS_TOKEN`
        : `${name}: ${err.message}`;
    case 'timeout':
      return `${name} did not answer for ${what} before the deadline`;
    case 'aborted':
      return `${name}: reading ${what} was stopped`;
    case 'garbage':
      return `${name} gave an unreadable answer for ${what}: ${err.message}`;
    case 'network':
      return `${name} unreachable for ${what}: ${err.message}`;
  }
}
