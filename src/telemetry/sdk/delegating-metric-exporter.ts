// Loaded only through sdk-metrics.ts (start-sdk.ts, import() from start-telemetry.ts).
// The base of the metric exporter wrappers: the reader asks the exporter for temporality and aggregation,
// and flushes and shuts it down; all of that passes through to the wrapped exporter. Subclasses change export().
import type { ExportResult } from '@opentelemetry/core';
import {
  type AggregationOption,
  AggregationTemporality,
  AggregationType,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

export abstract class DelegatingMetricExporter implements PushMetricExporter {
  protected readonly inner: PushMetricExporter;

  constructor(inner: PushMetricExporter) {
    this.inner = inner;
  }

  abstract export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void;

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.inner.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
