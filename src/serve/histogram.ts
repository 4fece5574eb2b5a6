// A Prometheus histogram with labels: cumulative buckets, _sum and _count per label set.
import type { ExpositionWriter, Labels } from './exposition.ts';

interface Series {
  labels: Labels;
  /** Non-cumulative counts per bucket; made cumulative when written. */
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram {
  readonly #name: string;
  readonly #help: string;
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, Series>();

  constructor(name: string, help: string, bounds: readonly number[]) {
    this.#name = name;
    this.#help = help;
    this.#bounds = [...bounds].sort((a, b) => a - b);
  }

  observe(labels: Labels, value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    const key = JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
    let s = this.#series.get(key);
    if (!s) {
      s = { labels: { ...labels }, counts: new Array<number>(this.#bounds.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    const i = this.#bounds.findIndex((b) => value <= b);
    if (i !== -1) s.counts[i]! += 1;
    s.sum += value;
    s.count += 1;
  }

  writeTo(out: ExpositionWriter): void {
    out.family(this.#name, 'histogram', this.#help);
    for (const [, s] of [...this.#series].sort(([a], [b]) => a.localeCompare(b))) {
      let cumulative = 0;
      this.#bounds.forEach((bound, i) => {
        cumulative += s.counts[i]!;
        out.sample(`${this.#name}_bucket`, { ...s.labels, le: String(bound) }, cumulative);
      });
      out.sample(`${this.#name}_bucket`, { ...s.labels, le: '+Inf' }, s.count);
      out.sample(`${this.#name}_sum`, s.labels, s.sum);
      out.sample(`${this.#name}_count`, s.labels, s.count);
    }
  }
}
