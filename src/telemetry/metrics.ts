// The run's metrics (design §7), through the OpenTelemetry API alone: without a registered meter provider
// (metrics not exported) every call is a no-op. The CLI decides whether an SDK sits behind it.
import { metrics, type Meter } from '@opentelemetry/api';
import type { Report } from '../report/types.ts';

const METER_NAME = 'golden-path-probe';

// Seconds. The SDK's default boundaries (0…10000) are made for milliseconds; these span a fast hop on a
// warm backend up to the run's 60 s deadline.
const HOP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];
const AGENT_EVENT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60];

// Event types come from the backend's frames; anything not shaped like one is not a label value.
const EVENT_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Records one run: probe_success (1 for pass and degraded, 0 for fail), probe_runs_total{result},
 * probe_hop_duration_seconds{hop} for every hop that ran (skipped hops have no duration), and
 * probe_agent_event_seconds{event} from start_agent to each agent event of the agent.run hop.
 * Instruments are looked up per call, so a meter provider registered after this module loaded is used.
 */
export function recordRunMetrics(report: Report): void {
  const meter = metrics.getMeter(METER_NAME);
  const { success, runs, hopDuration, agentEvent } = instruments(meter);

  success.record(report.result === 'fail' ? 0 : 1);
  runs.add(1, { result: report.result });

  for (const hop of report.hops) {
    if (hop.status === 'skip' || !Number.isFinite(hop.durationMs) || hop.durationMs < 0) continue;
    hopDuration.record(hop.durationMs / 1000, { hop: hop.name });
    if (hop.name !== 'agent.run') continue;
    for (const event of hop.events ?? []) {
      if (!EVENT_TYPE.test(event.type) || !Number.isFinite(event.atMs) || event.atMs < 0) continue;
      agentEvent.record(event.atMs / 1000, { event: event.type });
    }
  }
}

function instruments(meter: Meter) {
  return {
    success: meter.createGauge('probe_success', {
      description: 'Whether the last golden-path run passed (1: pass or degraded, 0: fail)',
    }),
    runs: meter.createCounter('probe_runs_total', {
      description: 'Golden-path runs, by result (pass, degraded, fail)',
    }),
    hopDuration: meter.createHistogram('probe_hop_duration_seconds', {
      description: 'Duration of each hop that ran',
      unit: 's',
      advice: { explicitBucketBoundaries: HOP_BUCKETS },
    }),
    agentEvent: meter.createHistogram('probe_agent_event_seconds', {
      description: 'Time from sending start_agent to each agent event',
      unit: 's',
      advice: { explicitBucketBoundaries: AGENT_EVENT_BUCKETS },
    }),
  };
}
