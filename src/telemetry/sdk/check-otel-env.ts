// The OTEL_* variables as the probe reads them, once, into a plan that the bootstrap follows. The specification
// (sdk-environment-variables): a value the implementation does not recognise or support MUST produce a warning
// and be ignored. So nothing here stops a run: each such value is one warning, and the setting falls back to the
// probe's default (docs/telemetry.md lists where those differ from the specification's, and why).
type Env = Readonly<Record<string, string | undefined>>;

export type SignalExporter = 'none' | 'otlp' | 'console';
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi';
export type DiagLevelName = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

export interface SamplerPlan {
  /** Follow a valid parent's sampled flag (parentbased_*). */
  parentBased: boolean;
  /** How a trace with no parent is decided. */
  root: 'always_on' | 'always_off' | 'traceidratio';
  /** For traceidratio, 0..1. */
  ratio: number;
}

export interface OtlpPlan {
  /** The URL the exporter sends to (http: the signal's full path; grpc: scheme, host and port). */
  url: string;
  protocol: OtlpProtocol;
  /** One export's bound, retries included. */
  timeoutMs: number;
  compression?: 'gzip' | 'none';
}

export interface TelemetryPlan {
  /** OTEL_SDK_DISABLED=true: nothing is registered, not even trace-context propagation. */
  disabled: boolean;
  traces: SignalExporter;
  metrics: SignalExporter;
  sampler: SamplerPlan;
  /** Empty: no propagator (OTEL_PROPAGATORS=none). */
  propagators: PropagatorName[];
  /** OTEL_LOG_LEVEL, when set to a known level: the SDK's diagnostics, on stderr. */
  diagLevel?: DiagLevelName;
  otlp: { traces?: OtlpPlan; metrics?: OtlpPlan };
  metricExportIntervalMs: number;
  metricExportTimeoutMs: number;
}

/**
 * Deliberately below the specification's 10 s: a probe run every minute must not spend long on a collector
 * that is down, and the CLI gives shutdown 5 s in all. OTEL_EXPORTER_OTLP_[SIGNAL_]TIMEOUT wins.
 */
export const DEFAULT_EXPORT_TIMEOUT_MS = 3_000;
/** The CLI's bound on the flush at exit: no single export may take longer. */
export const MAX_EXPORT_TIMEOUT_MS = 5_000;
const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;

// Every value the specification lists for each variable; those the probe supports come first.
const EXPORTERS = { supported: ['otlp', 'console', 'none'], listed: ['zipkin', 'prometheus', 'logging', 'jaeger'] };
const PROTOCOLS = { supported: ['grpc', 'http/protobuf', 'http/json'], listed: [] };
const COMPRESSIONS = { supported: ['gzip', 'none'], listed: [] };
const SAMPLERS = {
  supported: [
    'always_on',
    'always_off',
    'traceidratio',
    'parentbased_always_on',
    'parentbased_always_off',
    'parentbased_traceidratio',
  ],
  listed: ['jaeger_remote', 'parentbased_jaeger_remote', 'xray'],
};
const PROPAGATORS = {
  supported: ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'],
  listed: ['jaeger', 'xray', 'ottrace'],
};
const LOG_LEVELS = { supported: ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'], listed: [] };
const EXEMPLAR_FILTERS = { supported: ['always_on', 'always_off', 'trace_based'], listed: [] };
const BOOLEANS = { supported: ['true', 'false'], listed: [] };

/** Numbers read for the span limits and the batch processor: a bad one is one clear warning here, then ignored. */
const COUNTS = [
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_SPAN_EVENT_COUNT_LIMIT',
  'OTEL_SPAN_LINK_COUNT_LIMIT',
  'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT',
];

/**
 * Reads every OTEL_* variable the probe acts on. A signal is exported when its exporter variable names otlp or
 * console, or, without one, when an OTLP endpoint applies to it (OTEL_EXPORTER_OTLP_ENDPOINT, or the signal's
 * own). With neither, nothing is exported: trace ids and traceparent still work.
 */
export function checkOtelEnv(env: Env): { plan: TelemetryPlan; warnings: string[] } {
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const pick = (name: string, values: { supported: string[]; listed: string[] }, raw = read(name)) => {
    if (raw === undefined) return undefined;
    const lower = raw.toLowerCase();
    if (values.supported.includes(lower)) return lower;
    const use = `the probe uses ${values.supported.join(', ')}`;
    warn(
      values.listed.includes(lower)
        ? `${name}: '${lower}' is not supported by the probe (${use}); ignored`
        : `${name}: '${shown(raw)}' is not a known value (${use}); ignored`,
    );
    return undefined;
  };

  const disabled = pick('OTEL_SDK_DISABLED', BOOLEANS) === 'true';

  if (read('OTEL_CONFIG_FILE') !== undefined) {
    warn('OTEL_CONFIG_FILE: declarative configuration files are not supported by the probe; ignored (OTEL_* apply)');
  }
  const diagLevel = pick('OTEL_LOG_LEVEL', LOG_LEVELS) as DiagLevelName | undefined;

  const signal = (name: 'TRACES' | 'METRICS'): { exporter: SignalExporter; otlp?: OtlpPlan } => {
    const exporterVar = `OTEL_${name}_EXPORTER`;
    const listed = (read(exporterVar) ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const known = listed.map((e) => pick(exporterVar, EXPORTERS, e)).filter((e) => e !== undefined);
    // The probe sends a signal to one place: the first exporter named (none wins over any other).
    const exporter = known.includes('none') ? 'none' : known[0];
    for (const extra of known.filter((e) => e !== exporter && e !== 'none')) {
      warn(`${exporterVar}: the probe exports each signal to one exporter ('${exporter}'); '${extra}' ignored`);
    }
    const own = `OTEL_EXPORTER_OTLP_${name}_`;
    const ownEndpoint = checkUrl(`${own}ENDPOINT`, read(`${own}ENDPOINT`), warn);
    const baseEndpoint = checkUrl('OTEL_EXPORTER_OTLP_ENDPOINT', read('OTEL_EXPORTER_OTLP_ENDPOINT'), warn);
    const chosen: SignalExporter = disabled
      ? 'none'
      : ((exporter as SignalExporter | undefined) ??
        (ownEndpoint !== undefined || baseEndpoint !== undefined ? 'otlp' : 'none'));
    // Checked only for a signal exported over OTLP: settings made for other services in the same
    // environment are no concern of the probe's.
    if (chosen !== 'otlp') return { exporter: chosen };
    const both = <T>(setting: string, parse: (v: string, raw: string | undefined) => T | undefined) =>
      parse(`${own}${setting}`, read(`${own}${setting}`)) ??
      parse(`OTEL_EXPORTER_OTLP_${setting}`, read(`OTEL_EXPORTER_OTLP_${setting}`));
    const protocol = (both('PROTOCOL', (v, raw) => pick(v, PROTOCOLS, raw)) ?? 'http/protobuf') as OtlpProtocol;
    const compression = both('COMPRESSION', (v, raw) => pick(v, COMPRESSIONS, raw)) as 'gzip' | 'none' | undefined;
    const timeoutMs = both('TIMEOUT', (v, raw) => exportTimeout(v, raw, warn)) ?? DEFAULT_EXPORT_TIMEOUT_MS;
    const signalPath = name === 'TRACES' ? 'v1/traces' : 'v1/metrics';
    const url =
      ownEndpoint ??
      (protocol === 'grpc'
        ? (baseEndpoint ?? 'http://localhost:4317')
        : withPath(baseEndpoint ?? 'http://localhost:4318', signalPath));
    return { exporter: 'otlp', otlp: { url, protocol, timeoutMs, ...(compression ? { compression } : {}) } };
  };
  const traces = signal('TRACES');
  const metrics = signal('METRICS');

  const samplerName = pick('OTEL_TRACES_SAMPLER', SAMPLERS) ?? 'parentbased_always_on';
  const root = samplerName.replace('parentbased_', '') as SamplerPlan['root'];
  let ratio = 1;
  const arg = read('OTEL_TRACES_SAMPLER_ARG');
  if (root === 'traceidratio' && arg !== undefined) {
    const n = Number(arg);
    if (n >= 0 && n <= 1) ratio = n;
    else warn(`OTEL_TRACES_SAMPLER_ARG: '${shown(arg)}' is not a ratio between 0 and 1; ignored (1 is used)`);
  }
  const sampler: SamplerPlan = { parentBased: samplerName.startsWith('parentbased_'), root, ratio };

  // Propagators act on the wire whether or not anything is exported; but with nothing exported the probe does
  // not warn about them: a platform-wide OTEL_PROPAGATORS=xray is then no concern of a run's output.
  const exporting = traces.exporter !== 'none' || metrics.exporter !== 'none';
  const names = (read('OTEL_PROPAGATORS') ?? 'tracecontext,baggage')
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  const propagators: PropagatorName[] = [];
  for (const name of new Set(names)) {
    const known = PROPAGATORS.supported.includes(name);
    if (!known && exporting) pick('OTEL_PROPAGATORS', PROPAGATORS, name);
    if (known && name !== 'none') propagators.push(name as PropagatorName);
  }
  if (names.includes('none')) propagators.length = 0;

  const interval = millis('OTEL_METRIC_EXPORT_INTERVAL', read('OTEL_METRIC_EXPORT_INTERVAL'), warn, false);
  const metricExportIntervalMs = interval ?? DEFAULT_METRIC_EXPORT_INTERVAL_MS;
  const metricTimeout = millis('OTEL_METRIC_EXPORT_TIMEOUT', read('OTEL_METRIC_EXPORT_TIMEOUT'), warn, true);
  // The exporter bounds itself (retries included); the reader requires its timeout to fit in the interval.
  const metricExportTimeoutMs = Math.min(
    metricTimeout === undefined || metricTimeout === 0
      ? (metrics.otlp?.timeoutMs ?? DEFAULT_EXPORT_TIMEOUT_MS) + 1_000
      : metricTimeout,
    metricExportIntervalMs,
  );

  for (const name of ['OTEL_BSP_SCHEDULE_DELAY', 'OTEL_BSP_EXPORT_TIMEOUT']) millis(name, read(name), warn, true);
  for (const name of COUNTS) count(name, read(name), warn);
  pick('OTEL_METRICS_EXEMPLAR_FILTER', EXEMPLAR_FILTERS);
  const logs = read('OTEL_LOGS_EXPORTER');
  if (logs !== undefined && logs.toLowerCase() !== 'none') {
    warn('OTEL_LOGS_EXPORTER: the probe writes its logs as JSON lines on stdout, not through an exporter; ignored');
  }
  checkResourceAttributes(read('OTEL_RESOURCE_ATTRIBUTES'), warn);

  const plan: TelemetryPlan = {
    disabled,
    traces: traces.exporter,
    metrics: metrics.exporter,
    sampler,
    propagators,
    ...(diagLevel ? { diagLevel } : {}),
    otlp: { ...(traces.otlp ? { traces: traces.otlp } : {}), ...(metrics.otlp ? { metrics: metrics.otlp } : {}) },
    metricExportIntervalMs,
    metricExportTimeoutMs,
  };
  return { plan, warnings };
}

/** A value as a warning may quote it: short, one line (the CLI escapes control characters too). */
function shown(value: string): string {
  const line = value.replace(/\s+/g, ' ');
  return line.length > 40 ? `${line.slice(0, 37)}...` : line;
}

function checkUrl(name: string, value: string | undefined, warn: (m: string) => void): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not echoed: a mangled value may be a pasted credential.
    warn(`${name}: not a valid URL (expected e.g. http://otel-collector:4318, or :4317 for grpc); ignored`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const example = 'e.g. http://otel-collector:4318';
    warn(`${name}: the scheme '${shown(url.protocol)}' is not supported (use http: or https:, ${example}); ignored`);
    return undefined;
  }
  return value;
}

function withPath(base: string, signalPath: string): string {
  const url = new URL(base);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  url.pathname += signalPath;
  return url.href;
}

/**
 * The one reading of a numeric OTEL_* value: decimal digits only (no '1e3', '0x10', '1.5'). What checks a value
 * here and what uses it (sdk-traces.ts) share it, so a value warned about as ignored is never used.
 */
export function wholeNumber(value: string | undefined): number | undefined {
  const n = value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Whole milliseconds; 0 (allowed only where the specification gives it a meaning) is returned as 0. */
function millis(name: string, value: string | undefined, warn: (m: string) => void, zeroOk: boolean) {
  if (value === undefined) return undefined;
  const ms = wholeNumber(value);
  if (ms !== undefined && (ms > 0 || (zeroOk && ms === 0))) return ms;
  warn(`${name}: '${shown(value)}' is not a ${zeroOk ? 'whole' : 'positive whole'} number of milliseconds; ignored`);
  return undefined;
}

/** An export timeout: 0 means "no limit" in the specification, which the probe's bounded flush cannot give. */
function exportTimeout(name: string, value: string | undefined, warn: (m: string) => void): number | undefined {
  const ms = millis(name, value, warn, true);
  if (ms !== 0) return ms;
  warn(
    `${name}: 0 (no limit) is not supported: the probe bounds its flush at exit; ${MAX_EXPORT_TIMEOUT_MS} ms is used`,
  );
  return MAX_EXPORT_TIMEOUT_MS;
}

function count(name: string, value: string | undefined, warn: (m: string) => void): void {
  if (value === undefined || wholeNumber(value) !== undefined) return;
  warn(`${name}: '${shown(value)}' is not a whole number; ignored`);
}

/**
 * OTEL_RESOURCE_ATTRIBUTES as key=value pairs (comma-separated, values percent-encoded), or undefined when one pair
 * is malformed: the SDK's env detector then drops the whole variable. The check below and the log lines' service
 * name (service-name.ts) read it alike.
 */
export function resourceAttributePairs(value: string): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = [];
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (eq <= 0 || key === '') return undefined;
    try {
      pairs.push([key, decodeURIComponent(pair.slice(eq + 1))]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}

function checkResourceAttributes(value: string | undefined, warn: (m: string) => void): void {
  if (value === undefined) return;
  // Not echoed: attribute values may name things that are nobody's business in a warning.
  if (!resourceAttributePairs(value))
    warn('OTEL_RESOURCE_ATTRIBUTES: not a list of key=value pairs (percent-encoded); ignored');
}
