// The probe's metrics (docs/telemetry.md), defined once: the OTLP instruments (metrics.ts) and serve mode's
// Prometheus exposition (src/serve/serve-metrics.ts) take their names, units and buckets from here, so they
// never disagree. Names follow the OpenTelemetry naming conventions (dotted namespaces, the unit as a unit, no
// `_total`); the Prometheus name is derived by the specification's translation (prometheusName below), the same
// one a Collector's prometheus exporter or Google Managed Prometheus applies to the OTLP series.

// Seconds. The SDK's default boundaries (0…10000) are made for milliseconds; these span a fast hop on a
// warm backend up to the run's 180 s deadline (agent degraded at 100 s, its deadline 150 s: the one recorded
// healthy staging run took 85 s to agent_completed, docs/configuration.md), so a healthy real agent run lands in
// a bucket of its own, not in +Inf beside a stalled one.
const HOP_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60, 90, 120, 150, 180];
const AGENT_EVENT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 150, 180];

// Event types come from the backend's frames; anything not shaped like one is not a label value.
export const EVENT_TYPE_LABEL = /^[a-z][a-z0-9_]{0,63}$/;

export type MetricKind = 'gauge' | 'counter' | 'histogram';

export interface MetricDefinition {
  /** The OpenTelemetry instrument name. */
  name: string;
  kind: MetricKind;
  /** UCUM; `{run}`-style annotations count things and drop out of the Prometheus name. '' for none. */
  unit: string;
  help: string;
  buckets?: readonly number[];
}

const define = <T extends Record<string, MetricDefinition>>(defs: T) => defs;

/** Recorded by every run (OTLP when exported) and shown by serve's GET /metrics. */
export const PROBE_METRICS = define({
  success: {
    name: 'probe.success',
    kind: 'gauge',
    // A 0/1 state, not a ratio: no unit, so Prometheus keeps the name probe_success.
    unit: '',
    help: 'Whether the last golden-path run passed (1: pass or degraded, 0: fail; aborted runs leave it)',
  },
  runs: {
    name: 'probe.runs',
    kind: 'counter',
    unit: '{run}',
    help: 'Golden-path runs, by result (pass, degraded, fail, aborted)',
  },
  hopDuration: {
    name: 'probe.hop.duration',
    kind: 'histogram',
    unit: 's',
    help: 'Duration of each hop that ran',
    buckets: HOP_BUCKETS,
  },
  agentTimeToEvent: {
    // Like gen_ai.server.time_to_first_token: the time from the request to each event.
    name: 'probe.agent.time_to_event',
    kind: 'histogram',
    unit: 's',
    help: 'Time from sending start_agent to each agent event',
    buckets: AGENT_EVENT_BUCKETS,
  },
});

/** serve mode's own, on GET /metrics only (they describe the serving process, not one run). */
export const SERVE_METRICS = define({
  flakyRuns: {
    name: 'probe.flaky_runs',
    kind: 'counter',
    unit: '{run}',
    help: 'Runs that passed only after a failed attempt (--retries)',
  },
  consecutiveFailures: {
    name: 'probe.consecutive_failures',
    kind: 'gauge',
    unit: '{run}',
    help: 'Failed runs in a row, up to the last one (0 after a passing run)',
  },
  alerting: {
    name: 'probe.alerting',
    kind: 'gauge',
    unit: '',
    help: '1 when at least --fail-after runs failed in a row',
  },
  lastRunTimestamp: {
    name: 'probe.last_run.timestamp',
    kind: 'gauge',
    unit: 's',
    help: 'When the last run finished, in seconds since the Unix epoch',
  },
  lastRunDuration: { name: 'probe.last_run.duration', kind: 'gauge', unit: 's', help: 'How long the last run took' },
  lastVerdict: {
    name: 'probe.last_verdict.info',
    kind: 'gauge',
    unit: '',
    help: "The last run's verdict: code, the hop it points at ('' for none), result, probe",
  },
  skippedTicks: {
    name: 'probe.skipped_ticks',
    kind: 'counter',
    unit: '{tick}',
    help: 'Scheduled runs skipped because the previous run was still going (--every)',
  },
  internalErrors: {
    name: 'probe.internal_errors',
    kind: 'counter',
    unit: '{run}',
    help: 'Runs that ended in a probe bug instead of a report',
  },
});

const UNIT_WORDS: Record<string, string> = { s: 'seconds', ms: 'milliseconds', By: 'bytes', '%': 'percent' };

/**
 * The Prometheus name of an OpenTelemetry metric (specification: Prometheus and OpenMetrics compatibility): dots
 * become underscores, the unit is appended as a word (annotations in braces are dropped; `1` on a gauge is
 * `ratio`), and a counter ends in `_total`.
 */
export function prometheusName(def: Pick<MetricDefinition, 'name' | 'kind' | 'unit'>): string {
  let name = def.name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_+/g, '_');
  const bare = def.unit.replace(/\{[^}]*\}/g, '');
  const word = bare === '1' ? (def.kind === 'gauge' ? 'ratio' : '') : (UNIT_WORDS[bare] ?? bare);
  if (word && !name.endsWith(`_${word}`)) name += `_${word.replace(/[^a-zA-Z0-9_:]/g, '_')}`;
  if (def.kind === 'counter' && !name.endsWith('_total')) name += '_total';
  return name;
}
