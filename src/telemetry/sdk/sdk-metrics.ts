// Loaded only through start-sdk.ts, when metrics are exported: the reader NodeSDK is handed, around the one metric
// exporter the plan names. One-shot runs record their metrics once and they leave at shutdown (the reader's last
// collection); a long-lived `serve` also exports every OTEL_METRIC_EXPORT_INTERVAL.
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { TelemetryPlan } from './check-otel-env.ts';
import { displayUrl } from './display-url.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { otlpExporterOptions } from './otlp-options.ts';
import { ReportingMetricExporter } from './reporting-metric-exporter.ts';
import { ScrubbingMetricExporter } from './scrubbing-metric-exporter.ts';
import { StderrMetricExporter } from './stderr-metric-exporter.ts';

export function metricsReader(plan: TelemetryPlan, reporter: ExportFailureReporter) {
  const otlp = plan.metrics === 'otlp' ? plan.otlp.metrics : undefined;
  const target = otlp ? displayUrl(otlp.url) : 'stderr';
  const options = otlp && otlpExporterOptions(otlp);
  const inner: PushMetricExporter = !options
    ? new StderrMetricExporter()
    : otlp!.protocol === 'grpc'
      ? new GrpcMetricExporter(options)
      : otlp!.protocol === 'http/json'
        ? new JsonMetricExporter(options)
        : new ProtoMetricExporter(options);
  const onFailure = (error: unknown) => reporter.failed('metrics', target, error, otlp?.timeoutMs ?? 0);
  const reader = new PeriodicExportingMetricReader({
    exporter: new ReportingMetricExporter(new ScrubbingMetricExporter(inner), onFailure),
    exportIntervalMillis: plan.metricExportIntervalMs,
    exportTimeoutMillis: plan.metricExportTimeoutMs,
  });
  return { reader, target, stop: () => reader.shutdown() };
}
