// What GET /metrics shows: the run metrics of design §7 (with the meaning recordRunMetrics gives them over
// OTLP) plus serve mode's own: flaky runs, consecutive failures, alerting, the last verdict.
// A probe whose definition names several targets gets a `target` label on every per-run series; a probe
// with the one target of the flags has none, so `probe_success 1` reads as design §7 writes it.
import type { Report, RunResult } from '../report/types.ts';
import { ExpositionWriter, type Labels } from './exposition.ts';
import { EVENT_TYPE_LABEL, PROBE_METRICS as M } from '../telemetry/metric-definitions.ts';
import { Histogram } from './histogram.ts';


const RESULTS: readonly RunResult[] = ['pass', 'degraded', 'fail'];

export interface LastRun {
  result: RunResult;
  code: string;
  hop: string | null;
  probe: string;
  flaky: boolean;
  failed: boolean;
  durationMs: number;
  finishedAt: Date;
}

interface TargetState {
  labels: Labels;
  runs: Record<RunResult, number>;
  flakyRuns: number;
  consecutiveFailures: number;
  last: LastRun | undefined;
}

export class ServeMetrics {
  readonly #failAfter: number;
  /** Keyed by target name ('' for the single target of the flags). */
  readonly #targets = new Map<string, TargetState>();
  #skippedTicks = 0;
  #internalErrors = 0;
  readonly #hops = new Histogram(M.hopDuration.name, M.hopDuration.help, M.hopDuration.buckets);
  readonly #agentEvents = new Histogram(M.agentEvent.name, M.agentEvent.help, M.agentEvent.buckets);

  /** `targets`: this shard's target names (undefined: the one target of the flags), shown at 0 before any run. */
  constructor(failAfter: number, targets: ReadonlyArray<string | undefined> = []) {
    this.#failAfter = failAfter;
    for (const name of targets) this.#target(name);
  }

  /**
   * One finished run of one target. `failed` drives the consecutive-failure count: a failed result, or a
   * degraded one under --fail-on-degraded (the rule of `golden-probe run`'s exit code).
   */
  observe(report: Report, failed: boolean, finishedAt: Date): void {
    const state = this.#target(report.target.name);
    state.runs[report.result] += 1;
    if (report.flaky) state.flakyRuns += 1;
    state.consecutiveFailures = failed ? state.consecutiveFailures + 1 : 0;
    state.last = {
      result: report.result,
      code: report.verdict.code,
      hop: report.verdict.hop,
      probe: report.probe,
      flaky: report.flaky === true,
      failed,
      durationMs: report.durationMs,
      finishedAt,
    };
    for (const hop of report.hops) {
      if (hop.status === 'skip') continue;
      this.#hops.observe({ ...state.labels, hop: hop.name }, hop.durationMs / 1000);
      if (hop.name !== 'agent.run') continue;
      for (const event of hop.events ?? []) {
        if (EVENT_TYPE_LABEL.test(event.type)) this.#agentEvents.observe({ ...state.labels, event: event.type }, event.atMs / 1000);
      }
    }
  }

  skippedTick(): void {
    this.#skippedTicks += 1;
  }

  internalError(): void {
    this.#internalErrors += 1;
  }

  /** Per target: the last run, the failures in a row, whether it is alerting. */
  status(): Array<{ target: string | null; last: LastRun | undefined; consecutiveFailures: number; alerting: boolean }> {
    return [...this.#targets].map(([name, s]) => ({
      target: name === '' ? null : name,
      last: s.last,
      consecutiveFailures: s.consecutiveFailures,
      alerting: s.consecutiveFailures >= this.#failAfter,
    }));
  }

  render(): string {
    const out = new ExpositionWriter();
    const targets = [...this.#targets.values()];
    const withLast = targets.filter((t): t is TargetState & { last: LastRun } => t.last !== undefined);
    // Before the first run there is no truth to tell: no probe_success rather than a 0 that would page someone.
    if (withLast.length > 0) {
      out.family(M.success.name, 'gauge', M.success.help);
      for (const t of withLast) out.sample(M.success.name, t.labels, t.last.result === 'fail' ? 0 : 1);
    }
    out.family(M.runs.name, 'counter', M.runs.help);
    for (const t of targets) for (const result of RESULTS) out.sample(M.runs.name, { ...t.labels, result }, t.runs[result]);
    this.#hops.writeTo(out);
    this.#agentEvents.writeTo(out);
    out.family('probe_flaky_runs_total', 'counter', 'Runs that passed only after a failed attempt (--retries)');
    for (const t of targets) out.sample('probe_flaky_runs_total', t.labels, t.flakyRuns);
    out.family('probe_consecutive_failures', 'gauge', 'Failed runs in a row, up to the last one (0 after a passing run)');
    for (const t of targets) out.sample('probe_consecutive_failures', t.labels, t.consecutiveFailures);
    out.family('probe_alerting', 'gauge', `1 when at least ${this.#failAfter} run(s) failed in a row (--fail-after)`);
    for (const t of targets) out.sample('probe_alerting', t.labels, t.consecutiveFailures >= this.#failAfter ? 1 : 0);
    if (withLast.length > 0) {
      out.family('probe_last_run_timestamp_seconds', 'gauge', 'When the last run finished, in seconds since the Unix epoch');
      for (const t of withLast) out.sample('probe_last_run_timestamp_seconds', t.labels, t.last.finishedAt.getTime() / 1000);
      out.family('probe_last_run_duration_seconds', 'gauge', 'How long the last run took, in seconds');
      for (const t of withLast) out.sample('probe_last_run_duration_seconds', t.labels, t.last.durationMs / 1000);
      out.family('probe_last_verdict_info', 'gauge', "The last run's verdict: code, the hop it points at ('' for none), result, probe");
      for (const t of withLast) {
        out.sample('probe_last_verdict_info', { ...t.labels, code: t.last.code, hop: t.last.hop ?? '', result: t.last.result, probe: t.last.probe }, 1);
      }
    }
    out
      .family('probe_skipped_ticks_total', 'counter', 'Scheduled runs skipped because the previous run was still going (--every)')
      .sample('probe_skipped_ticks_total', {}, this.#skippedTicks);
    out
      .family('probe_internal_errors_total', 'counter', 'Runs that ended in a probe bug instead of a report')
      .sample('probe_internal_errors_total', {}, this.#internalErrors);
    return out.text();
  }

  #target(name: string | undefined): TargetState {
    const key = name ?? '';
    let state = this.#targets.get(key);
    if (!state) {
      state = { labels: name ? { target: name } : {}, runs: { pass: 0, degraded: 0, fail: 0 }, flakyRuns: 0, consecutiveFailures: 0, last: undefined };
      this.#targets.set(key, state);
    }
    return state;
  }
}
