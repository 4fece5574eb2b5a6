// Loaded only through import() from start-telemetry.ts, and only when traces are exported: the SDK packages
// it pulls in are most of the bootstrap's start-up cost (bench/startup-tracing.mjs).
//
// One BatchSpanProcessor and one exporter serve every provider of the process (the probe's own, and in demo
// mode the staging double's services): a run's spans leave in one request per flush, grouped by resource.
// Batch rather than Simple: SimpleSpanProcessor sends one request per ended span (~30 per run) and the OTLP
// exporter refuses more than 30 concurrent exports, so a slow collector would lose spans; a batch loses
// nothing as long as shutdown() flushes it, which the CLI does on every exit path. The short schedule
// bounds what a SIGKILL can lose in a long run.
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { displayUrl } from './display-url.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { createOtlpSpanExporter } from './otlp-span-exporter.ts';
import { ReportingSpanExporter } from './reporting-span-exporter.ts';
import { ScrubbingSpanExporter } from './scrubbing-span-exporter.ts';
import { serviceResource } from './service-resource.ts';
import { StderrSpanExporter } from './stderr-span-exporter.ts';
import type { SignalExport, TelemetryConfig } from './telemetry-config.ts';

const SCHEDULED_DELAY_MS = 2_000;

export interface Tracing {
  /** The probe's own provider (OTEL_SERVICE_NAME). */
  provider: ApiTracerProvider;
  providerFor(serviceName: string): ApiTracerProvider;
  /** Where spans go, safe to show. */
  target: string;
  /** Flushes and shuts the processor down. Never rejects: failures went to the reporter. */
  shutdown(): Promise<void>;
}

export async function startTracing(
  config: TelemetryConfig,
  exportTo: Exclude<SignalExport, { kind: 'none' }>,
  reporter: ExportFailureReporter,
  serviceVersion: string | undefined,
): Promise<Tracing> {
  const target = exportTo.kind === 'otlp' ? displayUrl(exportTo.url) : 'stderr';
  const timeoutMs = exportTo.kind === 'otlp' ? exportTo.timeoutMs : 1_000;
  const inner: SpanExporter = exportTo.kind === 'otlp' ? await createOtlpSpanExporter(exportTo) : new StderrSpanExporter();
  const processor = new BatchSpanProcessor({
    // Scrubbed before any exporter (OTLP or console) sees a span: no remembered secret leaves the process.
    exporter: new ReportingSpanExporter(new ScrubbingSpanExporter(inner), (error) => reporter.failed('traces', target, error, timeoutMs)),
    scheduledDelayMillis: SCHEDULED_DELAY_MS,
    // The exporter bounds itself (retries included); this only guards against one that never calls back.
    exportTimeoutMillis: timeoutMs + 1_000,
  });
  const providers = new Map<string, TracerProvider>();
  const providerFor = (serviceName: string, serviceVersion?: string): TracerProvider => {
    let provider = providers.get(serviceName);
    if (provider === undefined) {
      provider = new TracerProvider({ resource: serviceResource(config, serviceName, serviceVersion), spanProcessors: [processor] });
      providers.set(serviceName, provider);
    }
    return provider;
  };
  const provider = providerFor(config.serviceName, serviceVersion);
  return {
    provider,
    providerFor: (serviceName) => providerFor(serviceName),
    target,
    // The providers' own shutdown() would only shut this shared processor down, once per provider.
    shutdown: () => processor.shutdown().catch(() => undefined),
  };
}
