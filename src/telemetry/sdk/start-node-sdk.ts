// NodeSDK, started only when a signal is exported (import() from start-telemetry.ts), around exporters that
// scrub secrets and report a failure once; the SDK and each exporter read the OTEL_* variables themselves.
import { randomUUID } from 'node:crypto';
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { OtlpPlan, SamplerPlan, TelemetryPlan } from './check-otel-env.ts';
import { cloudRunResourceAttributes } from './cloud-run-resource.ts';
import { displayUrl } from './display-url.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { buildPropagator } from './register-context.ts';
import { ReportingMetricExporter } from './reporting-metric-exporter.ts';
import { ReportingSpanExporter } from './reporting-span-exporter.ts';
import { ScrubbingMetricExporter } from './scrubbing-metric-exporter.ts';
import { ScrubbingSpanExporter } from './scrubbing-span-exporter.ts';
import { installStderrDiag } from './stderr-diag-logger.ts';
import { StderrMetricExporter } from './stderr-metric-exporter.ts';
import { StderrSpanExporter } from './stderr-span-exporter.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Signal = 'traces' | 'metrics';

const DEFAULT_SERVICE_NAME = 'golden-path-probe';

export interface StartedSdk {
  /** Undefined when traces are not exported (metrics only). */
  providerFor(serviceName: string): ApiTracerProvider | undefined;
  parts: { signal: Signal; target: string; stop(): Promise<void> }[];
}

export async function startNodeSdk(
  plan: TelemetryPlan,
  env: Env,
  reporter: ExportFailureReporter,
  serviceVersion?: string,
): Promise<StartedSdk> {
  const traces = plan.traces === 'none' ? undefined : wrappedSpanExporter(plan.traces, plan.otlp.traces, reporter);
  const metrics =
    plan.metrics === 'none' ? undefined : wrappedMetricExporter(plan.metrics, plan.otlp.metrics, reporter);
  const reader =
    metrics &&
    // One-shot runs record their metrics once and they leave at shutdown (the reader's last collection); a
    // long-lived `serve` also exports every OTEL_METRIC_EXPORT_INTERVAL.
    new PeriodicExportingMetricReader({
      exporter: metrics.exporter,
      exportIntervalMillis: plan.metricExportIntervalMs,
      exportTimeoutMillis: plan.metricExportTimeoutMs,
    });
  // One batch processor for every provider of the process (the probe's and, in demo mode, the double's
  // services), so a run's spans leave together, grouped by resource.
  const processor =
    traces && new BatchSpanProcessor({ exporter: traces.exporter, ...batchSettings(env, traces.timeout) });
  const propagator = await buildPropagator(plan.propagators);
  const sdk = withoutLogLevel(
    () =>
      new NodeSDK({
        // Lowest priority first: the probe's defaults, then Cloud Run's variables; OTEL_RESOURCE_ATTRIBUTES and
        // OTEL_SERVICE_NAME (the env detector) win over both. service.instance.id is one random UUID per process,
        // so parallel shards and overlapping executions are separate series. No host or process detector, and no
        // GCP detector in the probe: the Collector sidecar's (resourcedetection: gcp) adds faas.instance,
        // cloud.region and cloud.account.id from the metadata server without costing a run its start-up.
        resource: probeResource(env, DEFAULT_SERVICE_NAME, serviceVersion),
        resourceDetectors: [serviceInstanceIdDetector, envDetector],
        // Read once by checkOtelEnv (an unsupported value is one warning there), not again by the SDK.
        textMapPropagator: propagator ?? null,
        sampler: sdkSampler(plan.sampler),
        spanProcessors: processor ? [processor] : [],
        metricReaders: reader ? [reader] : [],
        // The probe writes no OpenTelemetry logs: no logger provider, no OTLP log exporter.
        logRecordProcessors: [],
        instrumentations: [],
      }),
  );
  installStderrDiag(plan.diagLevel);
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
        resource: resource.merge(
          resourceFromAttributes({ 'service.name': serviceName, 'service.instance.id': randomUUID() }),
        ),
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

/**
 * NodeSDK's constructor registers the API's DiagConsoleLogger when OTEL_LOG_LEVEL is set, and that logger's first
 * line ("Registered a global for diag") already goes to stdout through console.debug. The variable is hidden for
 * that synchronous call only; the probe registers its own stderr logger at the same level (checkOtelEnv read it).
 */
function withoutLogLevel<T>(make: () => T): T {
  const saved = process.env.OTEL_LOG_LEVEL;
  delete process.env.OTEL_LOG_LEVEL;
  try {
    return make();
  } finally {
    if (saved !== undefined) process.env.OTEL_LOG_LEVEL = saved;
  }
}

function sdkSampler(plan: SamplerPlan): Sampler {
  const root =
    plan.root === 'always_on'
      ? new AlwaysOnSampler()
      : plan.root === 'always_off'
        ? new AlwaysOffSampler()
        : new TraceIdRatioBasedSampler(plan.ratio);
  return plan.parentBased ? new ParentBasedSampler({ root }) : root;
}

function wrappedSpanExporter(kind: 'otlp' | 'console', otlp: OtlpPlan | undefined, reporter: ExportFailureReporter) {
  const target = kind === 'console' || !otlp ? 'stderr' : displayUrl(otlp.url);
  const options = otlp && exporterOptions(otlp);
  const inner: SpanExporter = !options
    ? new StderrSpanExporter()
    : otlp!.protocol === 'grpc'
      ? new GrpcTraceExporter(options)
      : otlp!.protocol === 'http/json'
        ? new JsonTraceExporter(options)
        : new ProtoTraceExporter(options);
  const timeoutMs = otlp?.timeoutMs ?? 0;
  // Scrubbed before any exporter sees a span: no remembered secret leaves the process.
  const onFailure = (error: unknown) => reporter.failed('traces', target, error, timeoutMs);
  const exporter = new ReportingSpanExporter(new ScrubbingSpanExporter(inner), onFailure);
  return { exporter, target, timeout: timeoutMs };
}

/** Everything checkOtelEnv settled is passed explicitly: the exporter must not re-read a value that was ignored. */
function exporterOptions(otlp: OtlpPlan): ExporterOptions {
  return {
    url: otlp.url,
    timeoutMillis: otlp.timeoutMs,
    // The exporters' CompressionAlgorithm enum has exactly these two string values.
    ...(otlp.compression ? { compression: otlp.compression as NonNullable<ExporterOptions['compression']> } : {}),
  };
}

type ExporterOptions = NonNullable<ConstructorParameters<typeof ProtoTraceExporter>[0]>;

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

function wrappedMetricExporter(kind: 'otlp' | 'console', otlp: OtlpPlan | undefined, reporter: ExportFailureReporter) {
  const target = kind === 'console' || !otlp ? 'stderr' : displayUrl(otlp.url);
  const options = otlp && exporterOptions(otlp);
  const inner: PushMetricExporter = !options
    ? new StderrMetricExporter()
    : otlp!.protocol === 'grpc'
      ? new GrpcMetricExporter(options)
      : otlp!.protocol === 'http/json'
        ? new JsonMetricExporter(options)
        : new ProtoMetricExporter(options);
  const onFailure = (error: unknown) => reporter.failed('metrics', target, error, otlp?.timeoutMs ?? 0);
  const exporter = new ReportingMetricExporter(new ScrubbingMetricExporter(inner), onFailure);
  return { exporter, target };
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
