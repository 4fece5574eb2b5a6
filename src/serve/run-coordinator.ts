// At most one run at a time. A scheduled tick during a run is skipped; a POST /run during a run joins it
// (it gets that run's reports) instead of starting a second one or being turned away.
import type { Report } from '../report/types.ts';

export type RunTrigger = 'schedule' | 'http';

/** One report per target of this shard; `failed` follows the exit-code rule of `golden-probe run`. */
export type TargetResult = { report: Report; failed: boolean };

export type RunOutcome = { ok: true; results: TargetResult[] } | { ok: false; error: unknown };

export interface InFlight {
  trigger: RunTrigger;
  startedAt: number;
  outcome: Promise<RunOutcome>;
}

export type RunOnce = (trigger: RunTrigger) => Promise<TargetResult[]>;

export class RunCoordinator {
  readonly #runOnce: RunOnce;
  #current: InFlight | undefined;
  #lastStartedAt: number | undefined;

  constructor(runOnce: RunOnce) {
    this.#runOnce = runOnce;
  }

  get current(): InFlight | undefined {
    return this.#current;
  }

  /** When the last run (of any trigger) started, Date.now() ms; undefined before the first. */
  get lastStartedAt(): number | undefined {
    return this.#lastStartedAt;
  }

  /** Starts a run, or returns the one in progress with `joined: true`. The outcome never rejects. */
  start(trigger: RunTrigger): { run: InFlight; joined: boolean } {
    if (this.#current) return { run: this.#current, joined: true };
    // Registered first, so #current is clear before anyone awaiting the outcome resumes.
    let clear = () => {};
    const outcome = this.#runOnce(trigger)
      .then(
        (results): RunOutcome => ({ ok: true, results }),
        (error: unknown): RunOutcome => ({ ok: false, error }),
      )
      .finally(() => clear());
    const run: InFlight = { trigger, startedAt: Date.now(), outcome };
    clear = () => {
      if (this.#current === run) this.#current = undefined;
    };
    this.#current = run;
    this.#lastStartedAt = run.startedAt;
    return { run, joined: false };
  }

  /** Resolves once no run is in progress. */
  async idle(): Promise<void> {
    while (this.#current) await this.#current.outcome;
  }
}
