// Loaded only through import() from start-tracing.ts. Only the package for the configured protocol loads.
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { OtlpExport } from './telemetry-config.ts';

export async function createOtlpSpanExporter(otlp: OtlpExport): Promise<SpanExporter> {
  const options = {
    url: otlp.url,
    headers: otlp.headers.entries(),
    timeoutMillis: otlp.timeoutMs,
  };
  if (otlp.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter(options);
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter(options);
}
