// The run's metrics (docs/telemetry.md), through the OpenTelemetry API alone: without a registered meter provider
// (metrics not exported) every call is a no-op. The CLI decides whether an SDK sits behind it.
import { type Meter, metrics } from '@opentelemetry/api';
import type { Report } from '../report/types.ts';
import { EVENT_TYPE_LABEL, PROBE_METRICS as M } from './metric-definitions.ts';

const METER_NAME = 'golden-path-probe';

/**
 * Records one run: probe.success (1 for pass and degraded, 0 for fail; an aborted run, stopped by a signal, says
 * nothing about staging and leaves it as it was), probe.runs{result} (result="aborted" included),
 * probe.hop.duration{hop} for every hop that ran (skipped hops have no duration), and
 * probe.agent.time_to_event{event} from start_agent to each agent event of the agent.run hop.
 * Instruments are looked up per call, so a meter provider registered after this module loaded is used.
 */
export function recordRunMetrics(report: Report): void {
  const meter = metrics.getMeter(METER_NAME);
  const { success, runs, hopDuration, agentEvent } = instruments(meter);

  if (report.result !== 'aborted') success.record(report.result === 'fail' ? 0 : 1);
  runs.add(1, { result: report.result });

  for (const hop of report.hops) {
    if (hop.status === 'skip' || !Number.isFinite(hop.durationMs) || hop.durationMs < 0) continue;
    hopDuration.record(hop.durationMs / 1000, { hop: hop.name });
    if (hop.name !== 'agent.run') continue;
    for (const event of hop.events ?? []) {
      if (!EVENT_TYPE_LABEL.test(event.type) || !Number.isFinite(event.atMs) || event.atMs < 0) continue;
      agentEvent.record(event.atMs / 1000, { event: event.type });
    }
  }
}

function instruments(meter: Meter) {
  const { success, runs, hopDuration, agentTimeToEvent } = M;
  return {
    success: meter.createGauge(success.name, { description: success.help, unit: success.unit }),
    runs: meter.createCounter(runs.name, { description: runs.help, unit: runs.unit }),
    hopDuration: meter.createHistogram(hopDuration.name, {
      description: hopDuration.help,
      unit: hopDuration.unit,
      advice: { explicitBucketBoundaries: [...hopDuration.buckets] },
    }),
    agentEvent: meter.createHistogram(agentTimeToEvent.name, {
      description: agentTimeToEvent.help,
      unit: agentTimeToEvent.unit,
      advice: { explicitBucketBoundaries: [...agentTimeToEvent.buckets] },
    }),
  };
}
