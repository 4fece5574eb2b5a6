import type { TracerProvider } from '@opentelemetry/api';
import { checkOtelEnv, startTelemetry, type TelemetryPlan } from '../telemetry/sdk/index.ts';
import { escapeControlChars } from '../text/control-chars.ts';

export interface CliTelemetry {
  /** Spans go to an exporter (not only trace ids on the wire). */
  tracing: boolean;
  providerFor(serviceName: string): TracerProvider | undefined;
  shutdown(timeoutMs?: number): Promise<void>;
}

/**
 * Reads OTEL_*. Telemetry never stops a run (docs/telemetry.md): a value the probe does not know or support is
 * one warning on stderr, and ignored, as the specification says.
 */
export function checkTelemetryEnv(
  env: Record<string, string | undefined>,
  write: (text: string) => void = (text) => process.stderr.write(text),
): TelemetryPlan {
  const { plan, warnings } = checkOtelEnv(env);
  for (const warning of warnings) write(`golden-probe: warning: ${escapeControlChars(warning)}\n`);
  return plan;
}

/** Starts the OTel SDK; an export failure is one warning on stderr, never a failed run. */
export async function startCliTelemetry(plan: TelemetryPlan, serviceVersion: string): Promise<CliTelemetry> {
  let warned = false;
  return startTelemetry(plan, {
    serviceVersion,
    onWarning: (message: string) => {
      if (warned) return;
      warned = true;
      process.stderr.write(`golden-probe: warning: ${escapeControlChars(message)}\n`);
    },
  });
}
