import type { Frame } from './frame-queue.ts';

/** Counts the frames a hop skipped, so the evidence says what a noisy or broken server sent. */
export class FrameTally {
  binary = 0;
  text = 0;
  /** JSON frames that were not what the hop waited for (heartbeats, progress updates, …). */
  other = 0;

  skip(frame: Pick<Frame, 'kind'>): void {
    if (frame.kind === 'binary') this.binary++;
    else if (frame.kind === 'text') this.text++;
    else this.other++;
  }

  /** "ignored 1 binary and 2 non-JSON frames", or undefined when every frame was JSON. */
  unreadable(): string | undefined {
    const parts = [this.binary ? `${this.binary} binary` : '', this.text ? `${this.text} non-JSON` : ''].filter(
      Boolean,
    );
    if (parts.length === 0) return undefined;
    return `ignored ${parts.join(' and ')} frame${this.binary + this.text === 1 ? '' : 's'}`;
  }
}
