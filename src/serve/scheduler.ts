// --every: a fixed-rate tick, the first one at start. What a tick does when a run is still going (skip it,
// and say so) is the caller's decision; the timer only keeps the rate.

export class IntervalScheduler {
  readonly #everyMs: number;
  readonly #onTick: () => void;
  #timer: NodeJS.Timeout | undefined;

  constructor(everyMs: number, onTick: () => void) {
    this.#everyMs = everyMs;
    this.#onTick = onTick;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(this.#onTick, this.#everyMs);
    this.#onTick();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
