// Loaded only through sdk-metrics.ts (start-sdk.ts, import() from start-telemetry.ts).
// Wraps a metric exporter so that a failed export reaches the reporter (once per run) instead of the SDK's
// global error handler.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DelegatingMetricExporter } from './delegating-metric-exporter.ts';

export class ReportingMetricExporter extends DelegatingMetricExporter {
  readonly #onFailure: (error: unknown) => void;

  constructor(inner: PushMetricExporter, onFailure: (error: unknown) => void) {
    super(inner);
    this.#onFailure = onFailure;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    try {
      this.inner.export(metrics, (result) => {
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
}
