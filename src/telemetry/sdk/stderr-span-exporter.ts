// Loaded only through sdk-traces.ts (start-sdk.ts, import() from start-telemetry.ts).
// OTEL_TRACES_EXPORTER=console: one JSON line per span on stderr. The SDK's ConsoleSpanExporter writes to
// stdout with console.dir, where it would corrupt the probe's JSON log lines and human summary.
import type { Attributes, HrTime } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

const KIND: Record<number, string> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};
const STATUS: Record<number, string> = {
  [SpanStatusCode.UNSET]: 'UNSET',
  [SpanStatusCode.OK]: 'OK',
  [SpanStatusCode.ERROR]: 'ERROR',
};

export class StderrSpanExporter implements SpanExporter {
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => process.stderr.write(line)) {
    this.#write = write;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.#write(spans.map((span) => `${JSON.stringify(spanLine(span))}\n`).join(''));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  async shutdown(): Promise<void> {}
}

function spanLine(span: ReadableSpan): Record<string, unknown> {
  const sc = span.spanContext();
  return {
    otel: 'span',
    service: span.resource.attributes['service.name'],
    name: span.name,
    kind: KIND[span.kind] ?? String(span.kind),
    traceId: sc.traceId,
    spanId: sc.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? '',
    start: new Date(hrToMs(span.startTime)).toISOString(),
    durationMs: round(hrToMs(span.duration)),
    status: STATUS[span.status.code] ?? String(span.status.code),
    ...(span.status.message ? { statusMessage: span.status.message } : {}),
    attributes: plain(span.attributes),
    events: span.events.map((e) => ({
      name: e.name,
      atMs: round(hrToMs(e.time) - hrToMs(span.startTime)),
      attributes: plain(e.attributes ?? {}),
    })),
  };
}

function hrToMs([seconds, nanos]: HrTime): number {
  return seconds * 1e3 + nanos / 1e6;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function plain(attributes: Attributes): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== undefined));
}
