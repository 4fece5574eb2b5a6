// Loaded only through sdk-metrics.ts (start-sdk.ts, import() from start-telemetry.ts).
// The metrics' safety net, like ScrubbingSpanExporter's for spans: no data point leaves the process with a
// value the process holds as a Secret in its attributes. The probe's labels are hop names, results and
// event types, never text from a server; a batch that holds no secret is passed on as it is.
import type { ExportResult } from '@opentelemetry/core';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DelegatingMetricExporter } from './delegating-metric-exporter.ts';
import { scrubAttributes } from './scrubbing-span-exporter.ts';

export class ScrubbingMetricExporter extends DelegatingMetricExporter {
  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.inner.export(scrubResourceMetrics(metrics), resultCallback);
  }
}

/** The same object when no data point attribute holds a secret; else a copy with those attributes scrubbed. */
export function scrubResourceMetrics(metrics: ResourceMetrics): ResourceMetrics {
  let changed = false;
  const scopeMetrics = metrics.scopeMetrics.map((scope) => {
    const list = scope.metrics.map((metric) => {
      const dataPoints = (metric.dataPoints as MetricData['dataPoints']).map((point) => {
        const attributes = scrubAttributes(point.attributes);
        return attributes === point.attributes ? point : { ...point, attributes };
      });
      if (dataPoints.every((p, i) => p === metric.dataPoints[i])) return metric;
      changed = true;
      return { ...metric, dataPoints } as MetricData;
    });
    return list.every((m, i) => m === scope.metrics[i]) ? scope : { ...scope, metrics: list };
  });
  return changed ? { ...metrics, scopeMetrics } : metrics;
}
