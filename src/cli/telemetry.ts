import type { TracerProvider } from '@opentelemetry/api';
import { parseTelemetryEnv, startTelemetry, type TelemetryConfig } from '../telemetry/sdk/index.ts';

export interface CliTelemetry {
  /** Spans go to an exporter (not only trace ids on the wire). */
  tracing: boolean;
  providerFor(serviceName: string): TracerProvider | undefined;
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Reads OTEL_*; its problems join the command's other configuration problems (all reported at once). */
export function checkTelemetryEnv(env: Record<string, string | undefined>, problems: string[]): TelemetryConfig {
  const parsed = parseTelemetryEnv(env);
  problems.push(...parsed.problems);
  return parsed.config;
}

/** Starts the OTel SDK; an export failure is one warning on stderr, never a failed run. */
export async function startCliTelemetry(config: TelemetryConfig, serviceVersion: string): Promise<CliTelemetry> {
  let warned = false;
  return startTelemetry(config, {
    serviceVersion,
    onWarning: (message: string) => {
      if (warned) return;
      warned = true;
      process.stderr.write(`golden-probe: warning: ${message}\n`);
    },
  });
}
