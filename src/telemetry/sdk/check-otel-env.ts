// Which signals the probe exports, and the OTEL_* mistakes that the SDK would only whisper about on its
// diagnostic channel and ignore: here each is a configuration problem (exit 2). The SDK reads the values itself.
type Env = Readonly<Record<string, string | undefined>>;

export type SignalExporter = 'none' | 'otlp' | 'console';

export interface TelemetryPlan {
  /** OTEL_SDK_DISABLED=true: nothing is registered, not even trace-context propagation. */
  disabled: boolean;
  traces: SignalExporter;
  metrics: SignalExporter;
}

const EXPORTERS = ['otlp', 'console', 'none'];
const PROTOCOLS = ['grpc', 'http/protobuf', 'http/json'];
const COMPRESSIONS = ['gzip', 'none'];
const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const PROPAGATORS = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'];

/**
 * A signal is exported when its exporter variable names otlp or console, or, without one, when an OTLP
 * endpoint applies to it (OTEL_EXPORTER_OTLP_ENDPOINT, or the signal's own). With neither, nothing is
 * exported: trace ids and traceparent still work.
 */
export function checkOtelEnv(env: Env): { plan: TelemetryPlan; problems: string[] } {
  const problems: string[] = [];
  const read = (name: string): string | undefined => env[name]?.trim() || undefined;
  const oneOf = (name: string, allowed: readonly string[], value = read(name)): string | undefined => {
    if (value === undefined) return undefined;
    const lower = value.toLowerCase();
    if (allowed.includes(lower)) return lower;
    problems.push(`${name}: '${value}' is not supported (use ${allowed.join(', ')})`);
    return undefined;
  };

  const disabledRaw = oneOf('OTEL_SDK_DISABLED', ['true', 'false']);
  const disabled = disabledRaw === 'true';

  const signal = (name: 'TRACES' | 'METRICS'): SignalExporter => {
    const exporterVar = `OTEL_${name}_EXPORTER`;
    const raw = read(exporterVar);
    const several = raw?.includes(',') === true;
    if (several) {
      const one = 'the probe exports to one (otlp, console or none)';
      problems.push(`${exporterVar}: '${raw}' names several exporters; ${one}`);
    }
    const exporter = several ? undefined : (oneOf(exporterVar, EXPORTERS, raw) as SignalExporter | undefined);
    const endpoints = [`OTEL_EXPORTER_OTLP_${name}_ENDPOINT`, 'OTEL_EXPORTER_OTLP_ENDPOINT'];
    const endpointSet = endpoints.some((v) => read(v) !== undefined);
    const chosen: SignalExporter = exporter ?? (raw === undefined && endpointSet ? 'otlp' : 'none');
    if (chosen !== 'otlp' || disabled) return disabled ? 'none' : chosen;
    // Checked only for a signal exported over OTLP: settings made for other services in the same
    // environment are no concern of the probe's.
    const both = (setting: string) => [`OTEL_EXPORTER_OTLP_${name}_${setting}`, `OTEL_EXPORTER_OTLP_${setting}`];
    for (const v of both('ENDPOINT')) checkUrl(v, read(v), problems);
    for (const v of both('PROTOCOL')) oneOf(v, PROTOCOLS);
    for (const v of both('COMPRESSION')) oneOf(v, COMPRESSIONS);
    for (const v of both('TIMEOUT')) checkMillis(v, read(v), problems);
    return chosen;
  };
  const traces = signal('TRACES');
  const metrics = signal('METRICS');

  if (traces !== 'none') {
    const sampler = oneOf('OTEL_TRACES_SAMPLER', SAMPLERS);
    const arg = read('OTEL_TRACES_SAMPLER_ARG');
    if (sampler?.endsWith('traceidratio') && arg !== undefined && !(Number(arg) >= 0 && Number(arg) <= 1)) {
      problems.push(`OTEL_TRACES_SAMPLER_ARG: '${arg}' is not a ratio between 0 and 1`);
    }
  }
  if (metrics !== 'none') checkMillis('OTEL_METRIC_EXPORT_INTERVAL', read('OTEL_METRIC_EXPORT_INTERVAL'), problems);
  if (!disabled) {
    for (const name of (read('OTEL_PROPAGATORS') ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      oneOf('OTEL_PROPAGATORS', PROPAGATORS, name);
    }
  }
  return { plan: { disabled, traces, metrics }, problems: [...new Set(problems)] };
}

function checkUrl(name: string, value: string | undefined, problems: string[]): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Not echoed: a mangled value may be a pasted credential.
    problems.push(`${name}: not a valid URL (expected e.g. http://otel-collector:4318, or :4317 for grpc)`);
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const example = 'e.g. http://otel-collector:4318';
    problems.push(`${name}: the scheme '${url.protocol}' is not supported (use http: or https:, ${example})`);
  }
}

function checkMillis(name: string, value: string | undefined, problems: string[]): void {
  if (value === undefined) return;
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(ms) && ms > 0) return;
  problems.push(`${name}: '${value}' is not a positive whole number of milliseconds`);
}
