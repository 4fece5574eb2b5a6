// Loaded only through start-sdk.ts, when traces are exported: what NodeSDK is handed for traces (the batch
// processor around the one span exporter the plan names, the sampler, the span limits), and the providers of
// other services in the same process (the double's, in demo mode) on the same processor.
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  type SpanLimits,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { type SamplerPlan, type TelemetryPlan, wholeNumber } from './check-otel-env.ts';
import { displayUrl } from './display-url.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { otlpExporterOptions } from './otlp-options.ts';
import { ReportingSpanExporter } from './reporting-span-exporter.ts';
import { ScrubbingSpanExporter } from './scrubbing-span-exporter.ts';
import { StderrSpanExporter } from './stderr-span-exporter.ts';

type Env = Readonly<Record<string, string | undefined>>;

export function tracesPipeline(plan: TelemetryPlan, env: Env, reporter: ExportFailureReporter) {
  const otlp = plan.traces === 'otlp' ? plan.otlp.traces : undefined;
  const target = otlp ? displayUrl(otlp.url) : 'stderr';
  const options = otlp && otlpExporterOptions(otlp);
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
  // One batch processor for every provider of the process (the probe's and, in demo mode, the double's
  // services), so a run's spans leave together, grouped by resource.
  const processor = new BatchSpanProcessor({ exporter, ...batchSettings(env, timeoutMs) });
  const spanLimits = spanLimitsFrom(env);
  const shared = sharedView(processor);
  return {
    processor,
    sampler: sdkSampler(plan.sampler),
    spanLimits,
    target,
    stop: () => processor.shutdown(),
    /** Another service's provider on the same processor (it never shuts the processor down). */
    providerFor: (own: Resource): ApiTracerProvider =>
      new TracerProvider({ resource: own, spanLimits, spanProcessors: [shared] }),
  };
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

/**
 * OTEL_BSP_* as the specification defines them. A shorter default delay than the specification's 5 s bounds what a
 * SIGKILL can lose in a long run; the export bounds itself (retries included), the processor only guards against
 * one that never calls back.
 */
function batchSettings(env: Env, exportTimeoutMs: number) {
  const read = positive(env);
  return {
    scheduledDelayMillis: read('OTEL_BSP_SCHEDULE_DELAY') ?? 2_000,
    exportTimeoutMillis: read('OTEL_BSP_EXPORT_TIMEOUT') ?? exportTimeoutMs + 1_000,
    ...defined({
      maxQueueSize: read('OTEL_BSP_MAX_QUEUE_SIZE'),
      maxExportBatchSize: read('OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    }),
  };
}

/**
 * The span limits of the specification's variables (the span's own form first, then the general one), as checkOtelEnv
 * accepted them: NodeSDK is handed these and does not see the variables (hide-settled-otel-env.ts).
 */
function spanLimitsFrom(env: Env): SpanLimits {
  const read = positive(env);
  return defined({
    attributeCountLimit: read('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? read('OTEL_ATTRIBUTE_COUNT_LIMIT'),
    attributeValueLengthLimit:
      read('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ?? read('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'),
    eventCountLimit: read('OTEL_SPAN_EVENT_COUNT_LIMIT'),
    linkCountLimit: read('OTEL_SPAN_LINK_COUNT_LIMIT'),
    attributePerEventCountLimit: read('OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT'),
    attributePerLinkCountLimit: read('OTEL_LINK_ATTRIBUTE_COUNT_LIMIT'),
  });
}

/** Read as checkOtelEnv read it: what it warned about and ignored is not used here either. */
function positive(env: Env) {
  return (name: string): number | undefined => {
    const n = wholeNumber(env[name]);
    return n !== undefined && n > 0 ? n : undefined;
  };
}

function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
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
