// NodeSDK and the OTLP exporters read some OTEL_* variables themselves even when they are handed every setting, and
// act on what they read: OTEL_LOG_LEVEL makes NodeSDK register the API's DiagConsoleLogger, which writes to stdout
// (the JSON log stream) and takes an unknown level for "info"; OTEL_SDK_DISABLED, the span limits and the OTLP
// endpoint, timeout and compression are read again, a bad value warned about a second time ("invalid, expected
// number greater than 0"), a negative span limit used as it is. The probe has read each of them once
// (checkOtelEnv: one warning, then ignored) and passes what it decided; while the exporters and NodeSDK are built
// and started those variables are hidden from them. That is synchronous, so no other code sees process.env
// without them. What the probe does not read (OTLP headers, certificates) the libraries still read themselves.
const OTLP = ['', 'TRACES_', 'METRICS_'].flatMap((signal) =>
  ['ENDPOINT', 'TIMEOUT', 'COMPRESSION'].map((setting) => `OTEL_EXPORTER_OTLP_${signal}${setting}`),
);
const SETTLED_BY_THE_PROBE = [
  'OTEL_SDK_DISABLED',
  'OTEL_LOG_LEVEL',
  'OTEL_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT',
  'OTEL_SPAN_EVENT_COUNT_LIMIT',
  'OTEL_SPAN_LINK_COUNT_LIMIT',
  'OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT',
  'OTEL_LINK_ATTRIBUTE_COUNT_LIMIT',
  ...OTLP,
];

export function withSettledOtelEnvHidden<T>(make: () => T, env: NodeJS.ProcessEnv = process.env): T {
  const saved = new Map<string, string>();
  for (const name of SETTLED_BY_THE_PROBE) {
    const value = env[name];
    if (value === undefined) continue;
    saved.set(name, value);
    delete env[name];
  }
  try {
    return make();
  } finally {
    for (const [name, value] of saved) env[name] = value;
  }
}
