// The CLI's OpenTelemetry bootstrap: NodeSDK (loaded lazily) when a signal is exported; else the API alone,
// with context, core's propagators and a tracer that gives ids without recording (traceparent still goes out).
import { type TracerProvider, trace } from '@opentelemetry/api';
import type { TelemetryPlan } from './check-otel-env.ts';
import { ExportFailureReporter, type SignalName } from './export-failure-reporter.ts';
import { IdOnlyTracerProvider } from './id-only-tracer-provider.ts';
import { registerContext } from './register-context.ts';
import { installStderrDiag } from './stderr-diag-logger.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface Telemetry {
  /** Spans go to an exporter (otlp or console), not only trace ids on the wire. */
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
  env?: Env;
}

const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

/** Call once per process: the API's global registrations refuse a second provider. */
export async function startTelemetry(plan: TelemetryPlan, opts: StartTelemetryOptions): Promise<Telemetry> {
  const env = opts.env ?? process.env;
  if (plan.disabled) {
    installStderrDiag(plan.diagLevel);
    return { tracing: false, metrics: false, providerFor: () => undefined, shutdown: async () => undefined };
  }
  const reporter = new ExportFailureReporter(opts.onWarning);
  let started: import('./start-sdk.ts').StartedSdk | undefined;
  installStderrDiag(plan.diagLevel);
  if (plan.traces !== 'none' || plan.metrics !== 'none') {
    try {
      const { startSdk } = await import('./start-sdk.ts');
      started = await startSdk(plan, env, reporter, opts.serviceVersion);
    } catch (error) {
      // The run matters more than its telemetry: go on with ids only.
      opts.onWarning(`telemetry will not be exported: the SDK could not start (${describe(error)})`);
    }
  }
  const tracing = started !== undefined && plan.traces !== 'none';
  if (!started) await registerContext(plan.propagators);
  if (!tracing) trace.setGlobalTracerProvider(new IdOnlyTracerProvider(plan.sampler));

  let done: Promise<void> | undefined;
  return {
    tracing,
    metrics: started !== undefined && plan.metrics !== 'none',
    providerFor: (serviceName) => started?.providerFor(serviceName),
    shutdown(timeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS) {
      done ??= shutdownWithin(validTimeout(timeoutMs), reporter, started?.parts ?? []);
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
