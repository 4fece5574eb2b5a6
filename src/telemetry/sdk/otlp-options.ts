// The options every OTLP exporter gets from the plan: everything checkOtelEnv settled is passed explicitly, so the
// exporter does not re-read a value that was ignored. The exporters' CompressionAlgorithm enum has exactly the
// two string values the plan allows.
import type { OtlpPlan } from './check-otel-env.ts';

export function otlpExporterOptions(otlp: OtlpPlan) {
  return {
    url: otlp.url,
    timeoutMillis: otlp.timeoutMs,
    ...(otlp.compression ? { compression: otlp.compression as never } : {}),
  };
}
