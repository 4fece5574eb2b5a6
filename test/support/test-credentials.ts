import type { DoubleCredentials, RunningDouble } from '../../src/double/index.ts';

/** Credentials for a double started by a test; each value names its test, so a leak says where it came from. */
export function testCredentials(tag: string): DoubleCredentials {
  return {
    bypassKey: `${tag}-bypass-key-1a2b3c4d5e`,
    userEmail: `${tag}@staging.netrasystems.ai`,
    userPassword: `${tag}-user-password-9z8y7x`,
    serviceSecret: `${tag}-service-secret-q1w2e3r4`,
    jwtSecret: `${tag}-jwt-secret-that-is-long-enough-0123456789`,
  };
}

/** Every value that must never appear in any output. */
export function secretsOf(c: DoubleCredentials): string[] {
  return [c.bypassKey, c.userPassword, c.serviceSecret, c.jwtSecret];
}

/** The environment a `golden-probe run` needs to probe this double with these credentials. */
export function probeEnv(double: RunningDouble, c: DoubleCredentials): Record<string, string> {
  return {
    PROBE_API_URL: double.apiUrl,
    PROBE_AUTH_URL: double.authUrl,
    PROBE_E2E_BYPASS_KEY: c.bypassKey,
    PROBE_USER_EMAIL: c.userEmail,
    PROBE_USER_PASSWORD: c.userPassword,
    PROBE_SERVICE_SECRET: c.serviceSecret,
  };
}

/** The environment that points the probe's Google calls at the double's fakes, with the token they accept. */
export function googleEnv(double: RunningDouble): Record<string, string> {
  const g = double.google;
  return {
    PROBE_GCP_PROJECT: g.project,
    PROBE_GCP_RUN_URL: g.runUrl,
    PROBE_GCP_SECRET_MANAGER_URL: g.secretManagerUrl,
    PROBE_GCP_LOGGING_URL: g.loggingUrl,
    PROBE_GCP_ACCESS_TOKEN: g.accessToken,
  };
}
