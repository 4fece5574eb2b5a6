// Loaded only through sdk-metrics.ts (start-sdk.ts, import() from start-telemetry.ts).
// OTEL_METRICS_EXPORTER=console: one JSON line per metric on stderr (the SDK's ConsoleMetricExporter writes
// to stdout, which carries the probe's own output).
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

const TYPE: Record<number, string> = {
  [DataPointType.GAUGE]: 'gauge',
  [DataPointType.SUM]: 'sum',
  [DataPointType.HISTOGRAM]: 'histogram',
  [DataPointType.EXPONENTIAL_HISTOGRAM]: 'exponential_histogram',
};

export class StderrMetricExporter implements PushMetricExporter {
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void = (line) => process.stderr.write(line)) {
    this.#write = write;
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    try {
      const service = metrics.resource.attributes['service.name'];
      const lines = metrics.scopeMetrics.flatMap((scope) =>
        scope.metrics.map((metric) => `${JSON.stringify(metricLine(service, metric))}\n`),
      );
      this.#write(lines.join(''));
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  selectAggregationTemporality(): AggregationTemporality {
    return AggregationTemporality.CUMULATIVE;
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}

function metricLine(service: unknown, metric: MetricData): Record<string, unknown> {
  return {
    otel: 'metric',
    service,
    name: metric.descriptor.name,
    type: TYPE[metric.dataPointType] ?? String(metric.dataPointType),
    ...(metric.descriptor.unit ? { unit: metric.descriptor.unit } : {}),
    points: metric.dataPoints.map((point) => ({ attributes: point.attributes, value: point.value })),
  };
}
