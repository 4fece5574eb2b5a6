// The CLI's telemetry bootstrap (design §5-§7). Importing this module loads only @opentelemetry/api;
// SDK packages load inside startTelemetry, and only for what is exported.
export { parseTelemetryEnv } from './parse-telemetry-env.ts';
export { startTelemetry, DEFAULT_SHUTDOWN_TIMEOUT_MS } from './start-telemetry.ts';
export type { StartTelemetryOptions, Telemetry } from './start-telemetry.ts';
export type { OtlpExport, OtlpProtocol, SignalExport, TelemetryConfig } from './telemetry-config.ts';
export { ExportHeaders } from './export-headers.ts';
