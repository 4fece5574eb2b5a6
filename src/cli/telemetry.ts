import type { TracerProvider } from '@opentelemetry/api';
import { parseTelemetryEnv, startTelemetry } from '../telemetry/sdk/index.ts';

export interface CliTelemetry {
  providerFor(serviceName: string): TracerProvider | undefined;
  shutdown(timeoutMs?: number): Promise<void>;
}

const NONE: CliTelemetry = { providerFor: () => undefined, shutdown: async () => undefined };

/** Starts the OTel SDK from OTEL_* variables; problems join the command's other configuration problems. */
export async function startCliTelemetry(env: Record<string, string | undefined>, problems: string[], serviceVersion: string): Promise<CliTelemetry> {
  const parsed = parseTelemetryEnv(env);
  problems.push(...parsed.problems);
  if (problems.length > 0) return NONE;
  let warned = false;
  return startTelemetry(parsed.config, {
    serviceVersion,
    onWarning: (message) => {
      if (warned) return;
      warned = true;
      process.stderr.write(`golden-probe: warning: ${message}\n`);
    },
  });
}
