// Loaded only through import() from start-metrics.ts.
// Wraps a metric exporter so that a failed export reaches the reporter (once per run) instead of the SDK's
// global error handler. The reader asks the exporter for temporality and aggregation: passed through.
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  AggregationTemporality,
  AggregationType,
  type AggregationOption,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

export class ReportingMetricExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  readonly #onFailure: (error: unknown) => void;

  constructor(inner: PushMetricExporter, onFailure: (error: unknown) => void) {
    this.#inner = inner;
    this.#onFailure = onFailure;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    try {
      this.#inner.export(metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) this.#onFailure(result.error);
        resultCallback(result);
      });
    } catch (error) {
      this.#onFailure(error);
      resultCallback({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.#inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.#inner.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}
