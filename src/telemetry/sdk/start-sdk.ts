// The OpenTelemetry SDK, started only when a signal is exported (import() from start-telemetry.ts): NodeSDK
// (@opentelemetry/sdk-node, the SDK the design names) registers the context manager, the propagator and the
// providers, from the parts the plan settles: an explicit resource and detectors, the sampler, the span
// processor and the metric reader around exporters that scrub secrets and report a failure once, no
// instrumentation, no OpenTelemetry logs. Each part is passed explicitly, so NodeSDK does not read
// OTEL_TRACES_EXPORTER, OTEL_PROPAGATORS and the like again; the few variables it and the exporters read
// regardless are hidden from them (hide-settled-otel-env.ts). Importing NodeSDK loads every exporter of every
// signal and protocol (~110 ms of an exporting run's start-up, docs/performance.md): the project keeps the
// library rather than hand-assembling its job.
import { randomUUID } from 'node:crypto';
import type { TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { DEFAULT_SERVICE_NAME } from '../service-name.ts';
import type { TelemetryPlan } from './check-otel-env.ts';
import { cloudRunResourceAttributes } from './cloud-run-resource.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { withSettledOtelEnvHidden } from './hide-settled-otel-env.ts';
import { buildPropagator } from './register-context.ts';
import { metricsReader } from './sdk-metrics.ts';
import { tracesPipeline } from './sdk-traces.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Signal = 'traces' | 'metrics';

export interface StartedSdk {
  /** Undefined when traces are not exported (metrics only). */
  providerFor(serviceName: string): ApiTracerProvider | undefined;
  parts: { signal: Signal; target: string; stop(): Promise<void> }[];
}

export async function startSdk(
  plan: TelemetryPlan,
  env: Env,
  reporter: ExportFailureReporter,
  serviceVersion?: string,
): Promise<StartedSdk> {
  const propagator = await buildPropagator(plan.propagators);
  const { traces, metrics } = withSettledOtelEnvHidden(() => {
    const traces = plan.traces === 'none' ? undefined : tracesPipeline(plan, env, reporter);
    const metrics = plan.metrics === 'none' ? undefined : metricsReader(plan, reporter);
    new NodeSDK({
      // Lowest priority first: the probe's defaults, then Cloud Run's variables; OTEL_RESOURCE_ATTRIBUTES and
      // OTEL_SERVICE_NAME (the env detector) win over both. service.instance.id is one random UUID per process,
      // so parallel shards and overlapping executions are separate series. No host or process detector, and no
      // GCP detector in the probe: the Collector sidecar's (resourcedetection: gcp) adds faas.instance,
      // cloud.region and cloud.account.id from the metadata server without costing a run its start-up.
      resource: probeResource(env, DEFAULT_SERVICE_NAME, serviceVersion),
      resourceDetectors: [serviceInstanceIdDetector, envDetector],
      // Read once by checkOtelEnv (an unsupported name is one warning there); null is "none".
      textMapPropagator: propagator ?? null,
      // Empty lists, not undefined: NodeSDK would otherwise build exporters from OTEL_*_EXPORTER itself.
      ...(traces
        ? { sampler: traces.sampler, spanLimits: traces.spanLimits, spanProcessors: [traces.processor] }
        : { spanProcessors: [] }),
      metricReaders: metrics ? [metrics.reader] : [],
      // The probe writes no OpenTelemetry logs (OTEL_LOGS_EXPORTER is one warning): no log exporter.
      logRecordProcessors: [],
      instrumentations: [],
    }).start();
    return { traces, metrics };
  });

  // The staging double's services in demo mode: the same processor under their own service.name.
  const doubles = new Map<string, ApiTracerProvider>();
  const providerFor = (serviceName: string): ApiTracerProvider | undefined => {
    if (!traces) return undefined;
    let provider = doubles.get(serviceName);
    if (!provider) {
      const own = probeResource(env, serviceName)
        .merge(detectResources({ detectors: [envDetector] }))
        .merge(resourceFromAttributes({ 'service.name': serviceName, 'service.instance.id': randomUUID() }));
      provider = traces.providerFor(own);
      doubles.set(serviceName, provider);
    }
    return provider;
  };
  // Each signal flushes and shuts down on its own: NodeSDK's shutdown() settles at the first signal whose export
  // failed, before the other's failure could join the one warning, and could not say which signal is unfinished.
  const parts = [
    ...(traces ? [{ signal: 'traces' as const, target: traces.target, stop: traces.stop }] : []),
    ...(metrics ? [{ signal: 'metrics' as const, target: metrics.target, stop: metrics.stop }] : []),
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
