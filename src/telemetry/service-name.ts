// The probe's service name as its resource says it (the SDK's env detector): OTEL_SERVICE_NAME, else service.name
// in OTEL_RESOURCE_ATTRIBUTES, else the default. Log lines carry the same name as spans and metrics.
type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_SERVICE_NAME = 'golden-path-probe';

export function serviceNameFrom(env: Env): string {
  const own = env.OTEL_SERVICE_NAME?.trim();
  if (own) return own;
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || pair.slice(0, eq).trim() !== 'service.name') continue;
    try {
      const value = decodeURIComponent(pair.slice(eq + 1)).trim();
      if (value) return value;
    } catch {
      // Malformed: the SDK ignores the variable, and so does this.
      return DEFAULT_SERVICE_NAME;
    }
  }
  return DEFAULT_SERVICE_NAME;
}
