import type WebSocket from 'ws';

export interface Frame {
  /** Parsed JSON, or undefined when the frame was not JSON. */
  json: unknown;
  /** performance.now() at arrival. */
  at: number;
}

export type Arrival = { kind: 'frame'; frame: Frame } | { kind: 'closed'; code: number; reason: string } | { kind: 'aborted' };

/**
 * Buffers a socket's frames from the moment it opens, so no frame is lost between hops, and lets a
 * hop wait for the next one under its own deadline.
 */
export class FrameQueue {
  readonly #frames: Frame[] = [];
  #closed: { code: number; reason: string } | undefined;
  #wake: (() => void) | undefined;

  constructor(socket: WebSocket) {
    socket.on('message', (data, isBinary) => {
      const at = performance.now();
      let json: unknown;
      if (!isBinary) {
        try {
          json = JSON.parse(data.toString());
        } catch {
          json = undefined;
        }
      }
      this.#frames.push({ json, at });
      this.#wake?.();
    });
    // A socket error is always followed by 'close', which is what the hops act on; without a listener
    // ws would turn a late error into an uncaught exception.
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      this.#closed = { code, reason: reason.toString() };
      this.#wake?.();
    });
  }

  /** The next frame; after the buffer is drained, the close (if any); or 'aborted' when the signal fires. */
  async next(signal: AbortSignal): Promise<Arrival> {
    for (;;) {
      const frame = this.#frames.shift();
      if (frame) return { kind: 'frame', frame };
      if (this.#closed) return { kind: 'closed', ...this.#closed };
      if (signal.aborted) return { kind: 'aborted' };
      await new Promise<void>((resolve) => {
        const done = () => {
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}
