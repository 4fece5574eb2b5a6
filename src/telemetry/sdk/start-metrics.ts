// Loaded only through import() from start-telemetry.ts, and only when metrics are exported.
// A periodic reader: a one-shot run records its metrics once and they leave at shutdown (the reader's
// final collection); a long-lived `serve` process also exports every OTEL_METRIC_EXPORT_INTERVAL.
// Temporality stays the OTLP exporter's default, cumulative: each run is a new process with a new start
// time, which cumulative backends (Prometheus, Cloud Monitoring) read as a reset, not as a jump.
import type { MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { displayUrl } from './display-url.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { createOtlpMetricExporter } from './otlp-metric-exporter.ts';
import { ReportingMetricExporter } from './reporting-metric-exporter.ts';
import { ScrubbingMetricExporter } from './scrubbing-metric-exporter.ts';
import { serviceResource } from './service-resource.ts';
import { StderrMetricExporter } from './stderr-metric-exporter.ts';
import type { SignalExport, TelemetryConfig } from './telemetry-config.ts';

export interface Metrics {
  provider: ApiMeterProvider;
  target: string;
  /** Collects, exports and shuts down. Never rejects: failures went to the reporter. */
  shutdown(): Promise<void>;
}

export async function startMetrics(
  config: TelemetryConfig,
  exportTo: Exclude<SignalExport, { kind: 'none' }>,
  reporter: ExportFailureReporter,
  serviceVersion: string | undefined,
): Promise<Metrics> {
  const target = exportTo.kind === 'otlp' ? displayUrl(exportTo.url) : 'stderr';
  const timeoutMs = exportTo.kind === 'otlp' ? exportTo.timeoutMs : 1_000;
  const inner: PushMetricExporter = exportTo.kind === 'otlp' ? await createOtlpMetricExporter(exportTo) : new StderrMetricExporter();
  const reader = new PeriodicExportingMetricReader({
    // Scrubbed before any exporter (OTLP or console) sees a data point.
    exporter: new ReportingMetricExporter(new ScrubbingMetricExporter(inner), (error) => reporter.failed('metrics', target, error, timeoutMs)),
    exportIntervalMillis: config.metricExportIntervalMs,
    // The exporter bounds itself (retries included); the reader requires timeout <= interval.
    exportTimeoutMillis: Math.min(timeoutMs + 1_000, config.metricExportIntervalMs),
  });
  const provider = new MeterProvider({ resource: serviceResource(config, config.serviceName, serviceVersion), readers: [reader] });
  return {
    provider,
    target,
    shutdown: () => provider.shutdown().catch(() => undefined),
  };
}
