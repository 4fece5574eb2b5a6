// NodeSDK, started only when a signal is exported (import() from start-telemetry.ts), around exporters that
// scrub secrets and report a failure once; the SDK and each exporter read the OTEL_* variables themselves.
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TelemetryPlan } from './check-otel-env.ts';
import { cloudRunResourceAttributes } from './cloud-run-resource.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import type { Signal } from './export-target.ts';
import { DEFAULT_EXPORT_TIMEOUT_MS, otlpProtocol, otlpTarget, otlpTimeoutFromEnv } from './export-target.ts';
import { ReportingMetricExporter } from './reporting-metric-exporter.ts';
import { ReportingSpanExporter } from './reporting-span-exporter.ts';
import { ScrubbingMetricExporter } from './scrubbing-metric-exporter.ts';
import { ScrubbingSpanExporter } from './scrubbing-span-exporter.ts';
import { StderrMetricExporter } from './stderr-metric-exporter.ts';
import { StderrSpanExporter } from './stderr-span-exporter.ts';

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_SERVICE_NAME = 'golden-path-probe';
const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;

export interface StartedSdk {
  /** Undefined when traces are not exported (metrics only). */
  providerFor(serviceName: string): ApiTracerProvider | undefined;
  parts: { signal: Signal; target: string; stop(): Promise<void> }[];
}

export function startNodeSdk(
  plan: TelemetryPlan,
  env: Env,
  reporter: ExportFailureReporter,
  serviceVersion?: string,
): StartedSdk {
  const traces = plan.traces === 'none' ? undefined : wrappedSpanExporter(plan.traces, env, reporter);
  const metrics = plan.metrics === 'none' ? undefined : wrappedMetricExporter(plan.metrics, env, reporter);
  const reader = metrics && metricReader(metrics.exporter, env);
  // One batch processor for every provider of the process (the probe's and, in demo mode, the double's
  // services), so a run's spans leave together, grouped by resource.
  const processor =
    traces && new BatchSpanProcessor({ exporter: traces.exporter, ...batchSettings(env, traces.timeout) });
  const sdk = new NodeSDK({
    // Lowest priority first: the probe's defaults, then Cloud Run's variables; OTEL_RESOURCE_ATTRIBUTES and
    // OTEL_SERVICE_NAME (the env detector) win over both. No host, process or cloud detector.
    resource: probeResource(env, DEFAULT_SERVICE_NAME, serviceVersion),
    resourceDetectors: [envDetector],
    spanProcessors: processor ? [processor] : [],
    metricReaders: reader ? [reader] : [],
    // The probe writes no OpenTelemetry logs: no logger provider, no OTLP log exporter.
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();

  // The staging double's services in demo mode: the same processor under their own service.name. They
  // never shut it down; the SDK's shutdown does.
  const doubles = new Map<string, TracerProvider>();
  const shared = processor && sharedView(processor);
  const providerFor = (serviceName: string): ApiTracerProvider | undefined => {
    if (!shared) return undefined;
    let provider = doubles.get(serviceName);
    if (!provider) {
      const resource = probeResource(env, serviceName).merge(detectResources({ detectors: [envDetector] }));
      provider = new TracerProvider({
        resource: resource.merge(resourceFromAttributes({ 'service.name': serviceName })),
        spanProcessors: [shared],
      });
      doubles.set(serviceName, provider);
    }
    return provider;
  };
  // Each signal flushes and shuts down on its own: NodeSDK's shutdown() settles at the first signal whose
  // export failed, before the other's failure could join the one warning.
  const parts = [
    ...(processor ? [{ signal: 'traces' as const, target: traces!.target, stop: () => processor.shutdown() }] : []),
    ...(reader ? [{ signal: 'metrics' as const, target: metrics!.target, stop: () => reader.shutdown() }] : []),
  ];
  return { providerFor, parts };
}

function probeResource(env: Env, serviceName: string, serviceVersion?: string): Resource {
  return defaultResource().merge(
    resourceFromAttributes({
      'service.name': serviceName,
      ...(serviceVersion === undefined ? {} : { 'service.version': serviceVersion }),
      ...cloudRunResourceAttributes(env),
    }),
  );
}

function exportTimeout(env: Env, signal: Signal): { timeoutMs: number; options: { timeoutMillis?: number } } {
  const fromEnv = otlpTimeoutFromEnv(env, signal);
  return fromEnv === undefined
    ? { timeoutMs: DEFAULT_EXPORT_TIMEOUT_MS, options: { timeoutMillis: DEFAULT_EXPORT_TIMEOUT_MS } }
    : { timeoutMs: fromEnv, options: {} };
}

function wrappedSpanExporter(kind: 'otlp' | 'console', env: Env, reporter: ExportFailureReporter) {
  const { timeoutMs, options } = exportTimeout(env, 'traces');
  const target = kind === 'console' ? 'stderr' : otlpTarget(env, 'traces');
  const protocol = otlpProtocol(env, 'traces');
  const inner: SpanExporter =
    kind === 'console'
      ? new StderrSpanExporter()
      : protocol === 'grpc'
        ? new GrpcTraceExporter(options)
        : protocol === 'http/json'
          ? new JsonTraceExporter(options)
          : new ProtoTraceExporter(options);
  // Scrubbed before any exporter sees a span: no remembered secret leaves the process.
  const onFailure = (error: unknown) => reporter.failed('traces', target, error, timeoutMs);
  const exporter = new ReportingSpanExporter(new ScrubbingSpanExporter(inner), onFailure);
  return { exporter, target, timeout: timeoutMs };
}

/**
 * OTEL_BSP_* as the specification defines them; NodeSDK reads them only for a processor it builds itself.
 * A shorter default delay than the specification's 5 s bounds what a SIGKILL can lose in a long run; the
 * export bounds itself (retries included), the processor only guards against one that never calls back.
 */
function batchSettings(env: Env, exportTimeoutMs: number) {
  const read = (name: string) => {
    const n = Number(env[name]?.trim() || Number.NaN);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  return {
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY') ?? 2_000,
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT') ?? exportTimeoutMs + 1_000,
    ...defined({
      maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE'),
      maxExportBatchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    }),
  };
}

function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function wrappedMetricExporter(kind: 'otlp' | 'console', env: Env, reporter: ExportFailureReporter) {
  const { timeoutMs, options } = exportTimeout(env, 'metrics');
  const target = kind === 'console' ? 'stderr' : otlpTarget(env, 'metrics');
  const protocol = otlpProtocol(env, 'metrics');
  const inner: PushMetricExporter =
    kind === 'console'
      ? new StderrMetricExporter()
      : protocol === 'grpc'
        ? new GrpcMetricExporter(options)
        : protocol === 'http/json'
          ? new JsonMetricExporter(options)
          : new ProtoMetricExporter(options);
  const onFailure = (error: unknown) => reporter.failed('metrics', target, error, timeoutMs);
  const exporter = new ReportingMetricExporter(new ScrubbingMetricExporter(inner), onFailure);
  return { exporter, target };
}

/**
 * One-shot runs record their metrics once and they leave at shutdown (the reader's last collection); a
 * long-lived `serve` also exports every OTEL_METRIC_EXPORT_INTERVAL. NodeSDK builds a reader from the
 * environment only around an exporter of its own choosing, so the wrapped one gets its reader here.
 */
function metricReader(exporter: PushMetricExporter, env: Env): PeriodicExportingMetricReader {
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL?.trim() || DEFAULT_METRIC_EXPORT_INTERVAL_MS);
  const timeout = otlpTimeoutFromEnv(env, 'metrics') ?? DEFAULT_EXPORT_TIMEOUT_MS;
  // The exporter bounds itself (retries included); the reader requires timeout <= interval.
  const exportTimeoutMillis = Math.min(timeout + 1_000, interval);
  return new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: interval, exportTimeoutMillis });
}

/** The processor as the double's providers see it: spans pass through, their shutdown only flushes. */
function sharedView(processor: SpanProcessor): SpanProcessor {
  return {
    onStart: (span, parent) => processor.onStart(span, parent),
    onEnd: (span) => processor.onEnd(span),
    forceFlush: () => processor.forceFlush(),
    shutdown: () => processor.forceFlush(),
  };
}
