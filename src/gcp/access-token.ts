import type { GcpSettings } from '../config/gcp-settings.ts';
import { Secret } from '../config/secret.ts';
import { GoogleApiError } from './google-call.ts';

/**
 * Cloud Run Admin and Secret Manager publish only the `cloud-platform` scope (no read-only one); what the
 * token may do is bounded by the viewer roles granted to the probe's service account.
 */
const SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

export type TokenSource = (signal: AbortSignal) => Promise<Secret>;

/**
 * PROBE_GCP_ACCESS_TOKEN when set, else Application Default Credentials (the metadata server on Cloud
 * Run, gcloud's ADC file locally). google-auth-library is imported only here, only when needed; the token
 * is fetched once per source.
 */
export function tokenSource(settings: GcpSettings): TokenSource {
  const given = settings.accessToken;
  if (given) return async () => given;
  let pending: Promise<Secret> | undefined;
  return async (signal) => {
    if (!pending) {
      pending = fromAdc();
      // Handled here too: a run that gave up waiting must not leave an unhandled rejection behind.
      pending.catch(() => undefined);
    }
    const aborted = new Promise<never>((_, reject) => {
      const fail = () =>
        reject(
          new GoogleApiError('timeout', 'no access token from Application Default Credentials before the deadline'),
        );
      if (signal.aborted) fail();
      else signal.addEventListener('abort', fail, { once: true });
    });
    return Promise.race([pending, aborted]);
  };
}

async function fromAdc(): Promise<Secret> {
  try {
    const { GoogleAuth } = await import('google-auth-library');
    const client = await new GoogleAuth({ scopes: SCOPES }).getClient();
    const { token } = await client.getAccessToken();
    if (!token) throw new Error('the credentials gave no access token');
    return new Secret(token);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 160) : 'unknown error';
    throw new GoogleApiError(
      'unauthenticated',
      `no Google credentials (${why}): run on Cloud Run with a service account, run \`gcloud auth ` +
        `application-default login\`, or set PROBE_GCP_ACCESS_TOKEN`,
      { cause: err },
    );
  }
}
