// Loaded only through import() from start-metrics.ts. Only the package for the configured protocol loads.
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { OtlpExport } from './telemetry-config.ts';

export async function createOtlpMetricExporter(otlp: OtlpExport): Promise<PushMetricExporter> {
  const options = {
    url: otlp.url,
    headers: otlp.headers.entries(),
    timeoutMillis: otlp.timeoutMs,
  };
  if (otlp.protocol === 'http/json') {
    const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
    return new OTLPMetricExporter(options);
  }
  const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-proto');
  return new OTLPMetricExporter(options);
}
