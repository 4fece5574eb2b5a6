// The OpenTelemetry SDK, started only when a signal is exported (import() from start-telemetry.ts): a TracerProvider
// (@opentelemetry/sdk-trace) and a MeterProvider (@opentelemetry/sdk-metrics) as checkOtelEnv's plan says, around
// exporters that scrub secrets and report a failure once. Not NodeSDK: it imports the exporters of every signal
// and protocol (gRPC, Zipkin, Prometheus) and a YAML parser for configuration files, ~110 ms of every exporting
// run's start-up before its first request (docs/performance.md), to assemble what is assembled here from the same
// packages; and the probe already set every part of it itself (resource, detectors, sampler, propagator,
// processors, readers). Each signal loads only its own exporter.
import { randomUUID } from 'node:crypto';
import { type TracerProvider as ApiTracerProvider, metrics as metricsApi, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  serviceInstanceIdDetector,
} from '@opentelemetry/resources';
import type { TelemetryPlan } from './check-otel-env.ts';
import { cloudRunResourceAttributes } from './cloud-run-resource.ts';
import type { ExportFailureReporter } from './export-failure-reporter.ts';
import { registerContext } from './register-context.ts';

type Env = Readonly<Record<string, string | undefined>>;
type Signal = 'traces' | 'metrics';

const DEFAULT_SERVICE_NAME = 'golden-path-probe';

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
  // Lowest priority first: the probe's defaults, then Cloud Run's variables; OTEL_RESOURCE_ATTRIBUTES and
  // OTEL_SERVICE_NAME (the env detector) win over both. service.instance.id is one random UUID per process, so
  // parallel shards and overlapping executions are separate series. No host or process detector, and no GCP
  // detector in the probe: the Collector sidecar's (resourcedetection: gcp) adds faas.instance, cloud.region and
  // cloud.account.id from the metadata server without costing a run its start-up.
  const resource = probeResource(env, DEFAULT_SERVICE_NAME, serviceVersion).merge(
    detectResources({ detectors: [serviceInstanceIdDetector, envDetector] }),
  );
  const [traces, metrics] = await Promise.all([
    plan.traces === 'none' ? undefined : import('./sdk-traces.ts'),
    plan.metrics === 'none' ? undefined : import('./sdk-metrics.ts'),
    registerContext(plan.propagators),
  ]);
  const tracing = traces && (await traces.startTraces(plan, env, resource, reporter));
  const metering = metrics && (await metrics.startMetrics(plan, resource, reporter));
  if (tracing) trace.setGlobalTracerProvider(tracing.provider);
  if (metering) metricsApi.setGlobalMeterProvider(metering.provider);

  // The staging double's services in demo mode: the same processor under their own service.name.
  const doubles = new Map<string, ApiTracerProvider>();
  const providerFor = (serviceName: string): ApiTracerProvider | undefined => {
    if (!tracing) return undefined;
    let provider = doubles.get(serviceName);
    if (!provider) {
      const own = probeResource(env, serviceName)
        .merge(detectResources({ detectors: [envDetector] }))
        .merge(resourceFromAttributes({ 'service.name': serviceName, 'service.instance.id': randomUUID() }));
      provider = tracing.providerFor(own);
      doubles.set(serviceName, provider);
    }
    return provider;
  };
  // Each signal flushes and shuts down on its own, so that both signals' failures can join the one warning.
  const parts = [
    ...(tracing ? [{ signal: 'traces' as const, target: tracing.target, stop: tracing.stop }] : []),
    ...(metering ? [{ signal: 'metrics' as const, target: metering.target, stop: metering.stop }] : []),
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
