import type WebSocket from 'ws';
import { serverText } from './server-text.ts';

/** The probe's own limit on one WebSocket frame: a real agent result fits; a runaway server does not. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

export interface Frame {
  /** Parsed JSON, or undefined when the frame was binary or not JSON. */
  json: unknown;
  kind: 'json' | 'text' | 'binary';
  /** performance.now() at arrival. */
  at: number;
}

/** Who else sees the socket's traffic as it happens (the run's transcript, src/agent/ws-transcript.ts). */
export interface SocketObserver {
  opened(at: number): void;
  received(text: string | undefined, bytes: number, json: unknown, kind: Frame['kind'], at: number): void;
  sent(text: string, at?: number): void;
  closed(code: number, reason: string, error: string | undefined, at: number): void;
}

export type Arrival =
  | { kind: 'frame'; frame: Frame }
  /** `error` is ws's code when the probe's side ended the socket (a frame over the payload limit, broken framing). */
  | { kind: 'closed'; code: number; reason: string; error?: string }
  | { kind: 'aborted' };

/**
 * Buffers a socket's frames from the moment it opens, so no frame is lost between hops, and lets a
 * hop wait for the next one under its own deadline. The socket's maxPayload bounds each frame.
 */
export class FrameQueue {
  readonly #frames: Frame[] = [];
  #head = 0;
  #closed: { code: number; reason: string; error?: string } | undefined;
  #error: string | undefined;
  #wake: (() => void) | undefined;

  /** `transcript` sees every frame as it is parsed here, so a frame is parsed once. */
  constructor(socket: WebSocket, transcript?: SocketObserver) {
    socket.on('message', (data, isBinary) => {
      const at = performance.now();
      let json: unknown;
      let kind: Frame['kind'] = isBinary ? 'binary' : 'json';
      const text = isBinary ? undefined : data.toString();
      if (text !== undefined) {
        try {
          json = JSON.parse(text);
        } catch {
          kind = 'text';
        }
      }
      transcript?.received(text, byteLength(data), json, kind, at);
      this.#frames.push({ json, kind, at });
      this.#wake?.();
    });
    // A socket error is always followed by 'close', which is what the hops act on; without a listener
    // ws would turn a late error into an uncaught exception. The code says why the probe closed it.
    socket.on('error', (err: Error & { code?: string }) => {
      this.#error ??= err.code ?? err.message;
    });
    socket.on('close', (code, reason) => {
      this.#closed = { code, reason: reason.toString(), ...(this.#error ? { error: this.#error } : {}) };
      transcript?.closed(code, this.#closed.reason, this.#error, performance.now());
      this.#wake?.();
    });
  }

  /** The next frame; after the buffer is drained, the close (if any); or 'aborted' when the signal fires. */
  async next(signal: AbortSignal): Promise<Arrival> {
    for (;;) {
      const frame = this.#take();
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

  // A read index instead of shift(): a flood of tens of thousands of frames stays linear.
  #take(): Frame | undefined {
    if (this.#head >= this.#frames.length) return undefined;
    const frame = this.#frames[this.#head++];
    if (this.#head > 1024 && this.#head * 2 > this.#frames.length) {
      this.#frames.splice(0, this.#head);
      this.#head = 0;
    }
    return frame;
  }
}

function byteLength(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

/** Why a socket closed, said plainly when the probe's side ended it. */
export function describeClose(arrival: Extract<Arrival, { kind: 'closed' }>, before: string): string[] {
  const lines: string[] = [];
  if (arrival.error === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    lines.push(
      `the server sent a frame larger than the probe's limit (${MAX_FRAME_BYTES / 1024 / 1024} MiB); the probe ` +
        `closed the socket`,
    );
  } else if (arrival.error) {
    lines.push(`the server broke the WebSocket protocol (${arrival.error}); the probe closed the socket`);
  }
  const abnormal = arrival.code === 1006 ? ' (abnormal: the connection was cut without a close frame)' : '';
  lines.push(
    `socket closed ${arrival.code} ${JSON.stringify(serverText(arrival.reason, 123))}${abnormal} before ${before}`,
  );
  return lines;
}
