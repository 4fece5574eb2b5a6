// OTEL_* environment variables -> TelemetryConfig, every problem collected (design §5). Rules:
// - OTEL_SDK_DISABLED=true registers nothing.
// - A signal's exporter variable (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER) wins when set: otlp, console
//   or none. `otlp` without any endpoint goes to the specification's default http://localhost:4318.
// - Without an exporter variable, a signal is exported over OTLP only when an endpoint applies to it:
//   OTEL_EXPORTER_OTLP_ENDPOINT (a collector's base URL serves every signal) or the signal's own
//   OTEL_EXPORTER_OTLP_{TRACES,METRICS}_ENDPOINT. So a traces-only endpoint exports no metrics, and with no
//   endpoint and no exporter variable nothing is exported (trace context is still propagated).
// - Protocol, headers and timeout take the signal's own variable first, then the general one; they are
//   checked only for a signal that exports over OTLP, so an unused OTEL_EXPORTER_OTLP_PROTOCOL=grpc set for
//   other services in the same environment is no problem here.
// Header values are secrets: no problem message ever shows one.
import { ExportHeaders } from './export-headers.ts';
import { parseKeyValueList } from './key-value-list.ts';
import {
  DEFAULT_EXPORT_TIMEOUT_MS,
  DEFAULT_METRIC_EXPORT_INTERVAL_MS,
  DEFAULT_OTLP_BASE,
  DEFAULT_SERVICE_NAME,
  type OtlpProtocol,
  type SignalExport,
  type TelemetryConfig,
} from './telemetry-config.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Signal = 'traces' | 'metrics';

const SIGNAL_VAR: Record<Signal, string> = { traces: 'TRACES', metrics: 'METRICS' };
const EXPORTERS = ['otlp', 'console', 'none'] as const;
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseTelemetryEnv(env: Env): { config: TelemetryConfig; problems: string[] } {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const disabled = parseBoolean('OTEL_SDK_DISABLED', read('OTEL_SDK_DISABLED'), problems);
  const rawAttributes = read('OTEL_RESOURCE_ATTRIBUTES');
  const attributes = rawAttributes === undefined ? undefined : parseKeyValueList('OTEL_RESOURCE_ATTRIBUTES', rawAttributes, { secretValues: false });
  if (attributes) problems.push(...attributes.problems);
  // As the specification orders it: OTEL_SERVICE_NAME, then service.name in OTEL_RESOURCE_ATTRIBUTES.
  const serviceName = read('OTEL_SERVICE_NAME') ?? (attributes?.values.get('service.name') || undefined) ?? DEFAULT_SERVICE_NAME;

  const signal = (name: Signal): SignalExport => {
    const exporterVar = `OTEL_${SIGNAL_VAR[name]}_EXPORTER`;
    const endpointVar = `OTEL_EXPORTER_OTLP_${SIGNAL_VAR[name]}_ENDPOINT`;
    const exporter = parseExporter(exporterVar, read(exporterVar), problems);
    const ownEndpoint = read(endpointVar);
    const baseEndpoint = read('OTEL_EXPORTER_OTLP_ENDPOINT');
    const kind = exporter ?? (ownEndpoint !== undefined || baseEndpoint !== undefined ? 'otlp' : 'none');
    if (kind !== 'otlp') return { kind };

    const url =
      ownEndpoint !== undefined
        ? checkUrl(endpointVar, ownEndpoint, problems)
        : baseEndpoint !== undefined
          ? appendPath(checkUrl('OTEL_EXPORTER_OTLP_ENDPOINT', baseEndpoint, problems), `v1/${name}`)
          : `${DEFAULT_OTLP_BASE}/v1/${name}`;
    const protocol = firstSet(read, [`OTEL_EXPORTER_OTLP_${SIGNAL_VAR[name]}_PROTOCOL`, 'OTEL_EXPORTER_OTLP_PROTOCOL']);
    const timeout = firstSet(read, [`OTEL_EXPORTER_OTLP_${SIGNAL_VAR[name]}_TIMEOUT`, 'OTEL_EXPORTER_OTLP_TIMEOUT']);
    return {
      kind: 'otlp',
      url,
      protocol: protocol === undefined ? 'http/protobuf' : parseProtocol(protocol.name, protocol.value, problems),
      headers: parseHeaders(name, read, problems),
      timeoutMs: timeout === undefined ? DEFAULT_EXPORT_TIMEOUT_MS : parseMillis(timeout.name, timeout.value, problems, DEFAULT_EXPORT_TIMEOUT_MS),
    };
  };

  // Disabled means disabled: the exporter variables are then not even looked at.
  const traces: SignalExport = disabled ? { kind: 'none' } : signal('traces');
  const metrics: SignalExport = disabled ? { kind: 'none' } : signal('metrics');
  const interval = read('OTEL_METRIC_EXPORT_INTERVAL');
  const config: TelemetryConfig = {
    disabled,
    serviceName,
    resourceAttributes: Object.fromEntries(attributes?.values ?? []),
    traces,
    metrics,
    metricExportIntervalMs:
      interval === undefined
        ? DEFAULT_METRIC_EXPORT_INTERVAL_MS
        : parseMillis('OTEL_METRIC_EXPORT_INTERVAL', interval, problems, DEFAULT_METRIC_EXPORT_INTERVAL_MS),
  };
  return { config, problems: [...new Set(problems)] };
}

function firstSet(read: (name: string) => string | undefined, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = read(name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function parseBoolean(name: string, value: string | undefined, problems: string[]): boolean {
  if (value === undefined) return false;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower !== 'false') problems.push(`${name}: '${value}' is not a boolean (use true or false)`);
  return false;
}

function parseExporter(name: string, value: string | undefined, problems: string[]): (typeof EXPORTERS)[number] | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  for (const known of EXPORTERS) if (lower === known) return known;
  problems.push(
    lower.includes(',')
      ? `${name}: '${value}' names several exporters; one is supported at a time (otlp, console or none)`
      : `${name}: '${value}' is not supported (use otlp, console or none)`,
  );
  return 'none';
}

function parseProtocol(name: string, value: string, problems: string[]): OtlpProtocol {
  const lower = value.toLowerCase();
  if (lower === 'http/protobuf' || lower === 'http/json') return lower;
  problems.push(
    lower === 'grpc'
      ? `${name}: 'grpc' is not supported; use http/protobuf (the default) or http/json, with the collector's OTLP/HTTP endpoint (port 4318, not 4317)`
      : `${name}: '${value}' is not supported (use http/protobuf or http/json)`,
  );
  return 'http/protobuf';
}

function parseMillis(name: string, value: string, problems: string[], fallback: number): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(ms) && ms > 0) return ms;
  problems.push(`${name}: '${value}' is not a positive whole number of milliseconds`);
  return fallback;
}

function checkUrl(name: string, value: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not echoed: a mangled value may be a pasted credential.
    problems.push(`${name}: not a valid URL (expected e.g. http://otel-collector:4318)`);
    return value;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name}: the scheme '${url.protocol}' is not supported (use http: or https:, e.g. http://otel-collector:4318)`);
  }
  return value;
}

/** OTEL_EXPORTER_OTLP_ENDPOINT is a base URL: the signal's path goes after its own path. */
function appendPath(base: string, path: string): string {
  try {
    const url = new URL(base);
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.pathname += path;
    return url.href;
  } catch {
    return base;
  }
}

function parseHeaders(signal: Signal, read: (name: string) => string | undefined, problems: string[]): ExportHeaders {
  const merged = new Map<string, string>();
  // General first, then the signal's own: the more specific variable wins key by key.
  for (const name of ['OTEL_EXPORTER_OTLP_HEADERS', `OTEL_EXPORTER_OTLP_${SIGNAL_VAR[signal]}_HEADERS`]) {
    const raw = read(name);
    if (raw === undefined) continue;
    const parsed = parseKeyValueList(name, raw, {
      secretValues: true,
      checkKey: (key) => (HTTP_TOKEN.test(key) ? undefined : 'is not a valid HTTP header name'),
      checkValue: (value) => (/[\r\n\0]/.test(value) ? 'contains a line break or NUL, which HTTP headers cannot carry' : undefined),
    });
    problems.push(...parsed.problems);
    for (const [key, value] of parsed.values) merged.set(key.toLowerCase(), value);
  }
  return new ExportHeaders(merged);
}

