// The CLI's telemetry bootstrap. Importing this module loads only @opentelemetry/api; the SDK loads inside
// startTelemetry, and only when a signal is exported.

export type { SignalExporter, TelemetryPlan } from './check-otel-env.ts';
export { checkOtelEnv } from './check-otel-env.ts';
export type { StartTelemetryOptions, Telemetry } from './start-telemetry.ts';
export { startTelemetry } from './start-telemetry.ts';
