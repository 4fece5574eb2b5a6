// What GET /metrics shows, through prom-client on a registry of this serve process's own: the run metrics
// (with the meaning recordRunMetrics gives them over OTLP), serve mode's own (flaky runs, consecutive
// failures, alerting, the last verdict), and prom-client's default process metrics (resident memory, heap,
// event-loop lag, handles), so a probe that runs for months shows its own health.
// A probe whose definition names several targets gets a `target` label on every per-run series; a probe
// with the one target of the flags has none, so `probe_success 1` reads as the contract writes it.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Report, RunResult } from '../report/types.ts';
import {
  EVENT_TYPE_LABEL,
  PROBE_METRICS as M,
  type MetricDefinition,
  prometheusName as prom,
  SERVE_METRICS as S,
} from '../telemetry/metric-definitions.ts';

const RESULTS: readonly RunResult[] = ['pass', 'degraded', 'fail', 'aborted'];

type Labels = Partial<Record<'target', string>>;

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
  consecutiveFailures: number;
  last: LastRun | undefined;
}

export class ServeMetrics {
  readonly #failAfter: number;
  /** Keyed by target name ('' for the single target of the flags). */
  readonly #targets = new Map<string, TargetState>();
  readonly #registry = new Registry();
  readonly #runs: Counter<'target' | 'result'>;
  readonly #flaky: Counter<'target'>;
  readonly #hops: Histogram<'target' | 'hop'>;
  readonly #agentEvents: Histogram<'target' | 'event'>;
  readonly #skippedTicks: Counter;
  readonly #internalErrors: Counter;

  /** `targets`: this shard's target names (undefined: the one target of the flags), shown at 0 before any run. */
  constructor(failAfter: number, targets: ReadonlyArray<string | undefined> = []) {
    this.#failAfter = failAfter;
    const registers = [this.#registry];
    const states = () => this.#targets.values();
    /** A gauge per target, set at scrape time from the target's state; undefined leaves the target out. */
    const perTarget = (def: MetricDefinition, value: (t: TargetState) => number | undefined, help = def.help) =>
      new Gauge({
        name: prom(def),
        help,
        labelNames: ['target'],
        registers,
        collect(this: Gauge<'target'>) {
          this.reset();
          for (const t of states()) {
            const v = value(t);
            if (v !== undefined) this.set(t.labels, v);
          }
        },
      });
    const histogram = <L extends string>(def: MetricDefinition & { buckets: readonly number[] }, label: L) =>
      new Histogram({
        name: prom(def),
        help: def.help,
        labelNames: ['target', label],
        buckets: [...def.buckets],
        registers,
      });
    // Before the first run there is no truth to tell: no probe_success rather than a 0 that would page someone.
    perTarget(M.success, (t) => t.last && (t.last.result === 'fail' ? 0 : 1));
    this.#runs = new Counter({ name: prom(M.runs), help: M.runs.help, labelNames: ['target', 'result'], registers });
    this.#hops = histogram(M.hopDuration, 'hop');
    this.#agentEvents = histogram(M.agentTimeToEvent, 'event');
    this.#flaky = new Counter({ name: prom(S.flakyRuns), help: S.flakyRuns.help, labelNames: ['target'], registers });
    perTarget(S.consecutiveFailures, (t) => t.consecutiveFailures);
    perTarget(
      S.alerting,
      (t) => (t.consecutiveFailures >= failAfter ? 1 : 0),
      `1 when at least ${failAfter} run(s) failed in a row (--fail-after)`,
    );
    perTarget(S.lastRunTimestamp, (t) => (t.last ? t.last.finishedAt.getTime() / 1000 : undefined));
    perTarget(S.lastRunDuration, (t) => (t.last ? t.last.durationMs / 1000 : undefined));
    new Gauge({
      name: prom(S.lastVerdict),
      help: S.lastVerdict.help,
      labelNames: ['target', 'code', 'hop', 'result', 'probe'],
      registers,
      collect(this: Gauge<'target' | 'code' | 'hop' | 'result' | 'probe'>) {
        this.reset();
        for (const t of states()) {
          if (!t.last) continue;
          const { code, hop, result, probe } = t.last;
          this.set({ ...t.labels, code, hop: hop ?? '', result, probe }, 1);
        }
      },
    });
    this.#skippedTicks = new Counter({ name: prom(S.skippedTicks), help: S.skippedTicks.help, registers });
    this.#internalErrors = new Counter({ name: prom(S.internalErrors), help: S.internalErrors.help, registers });
    collectDefaultMetrics({ register: this.#registry });
    for (const name of targets) this.#target(name);
  }

  /** The Content-Type of render()'s text. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /**
   * One finished run of one target. `failed` drives the consecutive-failure count: a failed result, or a
   * degraded one under --fail-on-degraded (the rule of `golden-probe run`'s exit code).
   */
  observe(report: Report, failed: boolean, finishedAt: Date): void {
    const state = this.#target(report.target.name);
    this.#runs.inc({ ...state.labels, result: report.result });
    // Stopped by a signal: no conclusion about staging, so the last result and the failure count stand.
    if (report.result === 'aborted') return;
    if (report.flaky) this.#flaky.inc(state.labels);
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
      if (hop.status === 'skip' || !(hop.durationMs >= 0)) continue;
      this.#hops.observe({ ...state.labels, hop: hop.name }, hop.durationMs / 1000);
      if (hop.name !== 'agent.run') continue;
      for (const event of hop.events ?? []) {
        if (!EVENT_TYPE_LABEL.test(event.type) || !(event.atMs >= 0)) continue;
        this.#agentEvents.observe({ ...state.labels, event: event.type }, event.atMs / 1000);
      }
    }
  }

  skippedTick(): void {
    this.#skippedTicks.inc();
  }

  internalError(): void {
    this.#internalErrors.inc();
  }

  /** Per target: the last run, the failures in a row, whether it is alerting. */
  status(): Array<{
    target: string | null;
    last: LastRun | undefined;
    consecutiveFailures: number;
    alerting: boolean;
  }> {
    return [...this.#targets].map(([name, s]) => ({
      target: name === '' ? null : name,
      last: s.last,
      consecutiveFailures: s.consecutiveFailures,
      alerting: s.consecutiveFailures >= this.#failAfter,
    }));
  }

  /** Prometheus text exposition. */
  render(): Promise<string> {
    return this.#registry.metrics();
  }

  #target(name: string | undefined): TargetState {
    const key = name ?? '';
    let state = this.#targets.get(key);
    if (!state) {
      state = { labels: name ? { target: name } : {}, consecutiveFailures: 0, last: undefined };
      this.#targets.set(key, state);
      // Counters show 0 from the start, so a rate() has a first point.
      for (const result of RESULTS) this.#runs.inc({ ...state.labels, result }, 0);
      this.#flaky.inc(state.labels, 0);
    }
    return state;
  }
}
