// Loaded only through sdk-traces.ts (start-sdk.ts, import() from start-telemetry.ts).
// Wraps a span exporter so that a failed export reaches the reporter (once per run) instead of the SDK's
// global error handler; the SDK's own retries and timeouts are untouched.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

export class ReportingSpanExporter implements SpanExporter {
  readonly #inner: SpanExporter;
  readonly #onFailure: (error: unknown) => void;

  constructor(inner: SpanExporter, onFailure: (error: unknown) => void) {
    this.#inner = inner;
    this.#onFailure = onFailure;
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.#inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) this.#onFailure(result.error);
        resultCallback(result);
      });
    } catch (error) {
      this.#onFailure(error);
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  async forceFlush(): Promise<void> {
    await this.#inner.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.#inner.shutdown();
  }
}
