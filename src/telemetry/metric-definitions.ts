// The run metrics (docs/telemetry.md), defined once: the OTLP instruments (metrics.ts) and serve mode's Prometheus
// exposition (src/serve/serve-metrics.ts) must never disagree on a name or a bucket.

// Seconds. The SDK's default boundaries (0…10000) are made for milliseconds; these span a fast hop on a
// warm backend up to the run's 60 s deadline.
const HOP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];
const AGENT_EVENT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60];

// Event types come from the backend's frames; anything not shaped like one is not a label value.
export const EVENT_TYPE_LABEL = /^[a-z][a-z0-9_]{0,63}$/;

export const PROBE_METRICS = {
  success: {
    name: 'probe_success',
    help: 'Whether the last golden-path run passed (1: pass or degraded, 0: fail; aborted runs leave it)',
  },
  runs: { name: 'probe_runs_total', help: 'Golden-path runs, by result (pass, degraded, fail, aborted)' },
  hopDuration: {
    name: 'probe_hop_duration_seconds',
    help: 'Duration of each hop that ran, in seconds',
    buckets: HOP_BUCKETS,
  },
  agentEvent: {
    name: 'probe_agent_event_seconds',
    help: 'Time from sending start_agent to each agent event, in seconds',
    buckets: AGENT_EVENT_BUCKETS,
  },
} as const;
