// The validated OpenTelemetry configuration of one process, as parseTelemetryEnv builds it from OTEL_*.
import type { ExportHeaders } from './export-headers.ts';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpExport {
  kind: 'otlp';
  /** The full signal URL (…/v1/traces or …/v1/metrics). May carry credentials: show it through displayUrl(). */
  url: string;
  protocol: OtlpProtocol;
  /** Secret values: they go on the wire and nowhere else. */
  headers: ExportHeaders;
  /** Bounds one export, retries included. */
  timeoutMs: number;
}

/** Where one signal goes. `console` writes JSON lines to stderr (stdout carries the probe's own output). */
export type SignalExport = { kind: 'none' } | { kind: 'console' } | OtlpExport;

export interface TelemetryConfig {
  /** OTEL_SDK_DISABLED=true: nothing is registered, not even trace-context propagation. */
  disabled: boolean;
  serviceName: string;
  /** From OTEL_RESOURCE_ATTRIBUTES, percent-decoded; service.name there is overridden by serviceName. */
  resourceAttributes: Readonly<Record<string, string>>;
  traces: SignalExport;
  metrics: SignalExport;
  /** OTEL_METRIC_EXPORT_INTERVAL: periodic export, for long-lived processes (serve); one-shot runs export at shutdown. */
  metricExportIntervalMs: number;
}

export const DEFAULT_SERVICE_NAME = 'golden-path-probe';
/** The OTLP/HTTP default of the specification, used when an exporter is asked for without an endpoint. */
export const DEFAULT_OTLP_BASE = 'http://localhost:4318';
/**
 * Deliberately below the specification's 10 s: a probe run every minute must not spend long on a
 * collector that is down, and the CLI gives shutdown 5 s in all.
 */
export const DEFAULT_EXPORT_TIMEOUT_MS = 3_000;
export const DEFAULT_METRIC_EXPORT_INTERVAL_MS = 60_000;
