// Where a signal's OTLP export goes, as a warning may show it, and the bound of one export. The exporter
// reads the same variables itself; this only names the place in a message.
import { displayUrl } from './display-url.ts';

type Env = Readonly<Record<string, string | undefined>>;
export type Signal = 'traces' | 'metrics';

/**
 * Deliberately below the specification's 10 s: a probe run every minute must not spend long on a
 * collector that is down, and the CLI gives shutdown 5 s in all. OTEL_EXPORTER_OTLP_[SIGNAL_]TIMEOUT wins.
 */
export const DEFAULT_EXPORT_TIMEOUT_MS = 3_000;

export function otlpProtocol(env: Env, signal: Signal): string {
  const own = read(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`);
  return (own ?? read(env, 'OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf').toLowerCase();
}

/** The timeout the environment sets for this signal's export, if any. */
export function otlpTimeoutFromEnv(env: Env, signal: Signal): number | undefined {
  const own = read(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_TIMEOUT`);
  const raw = own ?? read(env, 'OTEL_EXPORTER_OTLP_TIMEOUT');
  return raw === undefined ? undefined : Number(raw);
}

export function otlpTarget(env: Env, signal: Signal): string {
  const own = read(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`);
  if (own !== undefined) return displayUrl(own);
  const grpc = otlpProtocol(env, signal) === 'grpc';
  const base = read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? (grpc ? 'http://localhost:4317' : 'http://localhost:4318');
  if (grpc) return displayUrl(base);
  try {
    const url = new URL(base);
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.pathname += `v1/${signal}`;
    return displayUrl(url.href);
  } catch {
    return displayUrl(base);
  }
}

function read(env: Env, name: string): string | undefined {
  return env[name]?.trim() || undefined;
}
