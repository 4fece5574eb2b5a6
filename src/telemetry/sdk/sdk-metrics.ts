// Loaded only through import() from start-sdk.ts, when metrics are exported: the MeterProvider, its reader and the
// one metric exporter the plan names. One-shot runs record their metrics once and they leave at shutdown (the
// reader's last collection); a long-lived `serve` also exports every OTEL_METRIC_EXPORT_INTERVAL.
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { TelemetryPlan } from './check-otel-env.ts';
import { displayUrl } from './display-url.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { otlpExporterOptions } from './otlp-options.ts';
import { ReportingMetricExporter } from './reporting-metric-exporter.ts';
import { ScrubbingMetricExporter } from './scrubbing-metric-exporter.ts';
import { StderrMetricExporter } from './stderr-metric-exporter.ts';

export async function startMetrics(plan: TelemetryPlan, resource: Resource, reporter: ExportFailureReporter) {
  const otlp = plan.metrics === 'otlp' ? plan.otlp.metrics : undefined;
  const target = otlp ? displayUrl(otlp.url) : 'stderr';
  let inner: PushMetricExporter;
  if (!otlp) inner = new StderrMetricExporter();
  else {
    const options = otlpExporterOptions(otlp);
    if (otlp.protocol === 'grpc')
      inner = new (await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter(options);
    else if (otlp.protocol === 'http/json')
      inner = new (await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter(options);
    else inner = new (await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter(options);
  }
  const onFailure = (error: unknown) => reporter.failed('metrics', target, error, otlp?.timeoutMs ?? 0);
  const reader = new PeriodicExportingMetricReader({
    exporter: new ReportingMetricExporter(new ScrubbingMetricExporter(inner), onFailure),
    exportIntervalMillis: plan.metricExportIntervalMs,
    exportTimeoutMillis: plan.metricExportTimeoutMs,
  });
  const provider = new MeterProvider({ resource, readers: [reader] });
  return { provider, target, stop: () => reader.shutdown() };
}
