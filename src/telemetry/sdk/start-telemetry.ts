// The CLI's OpenTelemetry bootstrap. Whatever is exported, it registers AsyncLocalStorage context and W3C
// trace-context propagation, so every run has trace ids and sends traceparent. The SDK packages load
// (lazily) only for a signal that is exported: a probe started every minute pays start-up on every run.
import { metrics, trace, type TracerProvider } from '@opentelemetry/api';
import { ExportFailureReporter, type SignalName } from './export-failure-reporter.ts';
import { IdOnlyTracerProvider } from './id-only-tracer-provider.ts';
import { registerContext } from './register-context.ts';
import type { Metrics } from './start-metrics.ts';
import type { Tracing } from './start-tracing.ts';
import type { TelemetryConfig } from './telemetry-config.ts';

export interface Telemetry {
  /** A tracer provider with a real exporter (otlp or console) is registered. */
  tracing: boolean;
  /** A meter provider with an exporter is registered. */
  metrics: boolean;
  /**
   * A provider for another service in the same process (the bundled staging double in demo mode), with
   * the same exporter and its own resource service.name; undefined when tracing is off.
   */
  providerFor(serviceName: string): TracerProvider | undefined;
  /**
   * Flushes spans and metrics and shuts down. Never throws, and resolves within timeoutMs even when the
   * collector is unreachable or never answers; an export failure is reported once through onWarning.
   * Idempotent: later calls return the first call's promise.
   */
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface StartTelemetryOptions {
  onWarning(message: string): void;
  serviceVersion?: string;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

/** Call once per process: the API's global registrations refuse a second provider. */
export async function startTelemetry(config: TelemetryConfig, opts: StartTelemetryOptions): Promise<Telemetry> {
  if (config.disabled) {
    return { tracing: false, metrics: false, providerFor: () => undefined, shutdown: async () => undefined };
  }
  const reporter = new ExportFailureReporter(opts.onWarning);
  await registerContext();

  let tracing: Tracing | undefined;
  if (config.traces.kind !== 'none') {
    try {
      const { startTracing } = await import('./start-tracing.ts');
      tracing = await startTracing(config, config.traces, reporter, opts.serviceVersion);
    } catch (error) {
      // The run matters more than its telemetry: go on with ids only.
      opts.onWarning(`traces will not be exported: the exporter could not start (${describe(error)})`);
    }
  }
  trace.setGlobalTracerProvider(tracing?.provider ?? new IdOnlyTracerProvider());

  let meters: Metrics | undefined;
  if (config.metrics.kind !== 'none') {
    try {
      const { startMetrics } = await import('./start-metrics.ts');
      meters = await startMetrics(config, config.metrics, reporter, opts.serviceVersion);
      metrics.setGlobalMeterProvider(meters.provider);
    } catch (error) {
      opts.onWarning(`metrics will not be exported: the exporter could not start (${describe(error)})`);
    }
  }

  let done: Promise<void> | undefined;
  return {
    tracing: tracing !== undefined,
    metrics: meters !== undefined,
    providerFor: (serviceName) => tracing?.providerFor(serviceName),
    shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      done ??= shutdownWithin(validTimeout(timeoutMs), reporter, [
        ...(tracing ? [{ signal: 'traces' as const, target: tracing.target, stop: tracing.shutdown }] : []),
        ...(meters ? [{ signal: 'metrics' as const, target: meters.target, stop: meters.shutdown }] : []),
      ]);
      return done;
    },
  };
}

interface Stoppable {
  signal: SignalName;
  target: string;
  stop(): Promise<void>;
}

async function shutdownWithin(timeoutMs: number, reporter: ExportFailureReporter, parts: Stoppable[]): Promise<void> {
  const pending = new Set(parts);
  let timer: NodeJS.Timeout | undefined;
  reporter.beginShutdown();
  try {
    const all = Promise.all(
      parts.map(async (part) => {
        try {
          await part.stop();
        } catch {
          // Failures were reported by the exporter wrappers.
        } finally {
          pending.delete(part);
        }
      }),
    );
    // Deliberately not unref'd: while shutdown waits, this timer keeps the event loop (and so the flush) alive.
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([all, deadline]);
    for (const part of pending) reporter.unfinished(part.signal, part.target, timeoutMs);
  } catch {
    // Never throws.
  } finally {
    clearTimeout(timer);
    reporter.close();
  }
}

function validTimeout(ms: number): number {
  return Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_SHUTDOWN_TIMEOUT_MS;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
