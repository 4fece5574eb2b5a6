import type { TracerProvider } from '@opentelemetry/api';
import { checkOtelEnv, startTelemetry, type TelemetryPlan } from '../telemetry/sdk/index.ts';
import { escapeControlChars } from '../text/control-chars.ts';

export interface CliTelemetry {
  /** Spans go to an exporter (not only trace ids on the wire). */
  tracing: boolean;
  providerFor(serviceName: string): TracerProvider | undefined;
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Checks OTEL_*; its problems join the command's other configuration problems (all reported at once). */
export function checkTelemetryEnv(env: Record<string, string | undefined>, problems: string[]): TelemetryPlan {
  const checked = checkOtelEnv(env);
  problems.push(...checked.problems);
  return checked.plan;
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
