import { serverText } from './server-text.ts';
import type { Arrival, Frame } from './frame-queue.ts';

/** The probe's own limit on one WebSocket frame: a real agent result fits; a runaway server does not. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Counts the frames a hop skipped, so the evidence says what a noisy or broken server sent. */
export class FrameTally {
  binary = 0;
  text = 0;
  /** JSON frames that were not what the hop waited for (heartbeats, progress updates, …). */
  other = 0;

  skip(frame: Frame): void {
    if (frame.kind === 'binary') this.binary++;
    else if (frame.kind === 'text') this.text++;
    else this.other++;
  }

  /** "ignored 1 binary and 2 non-JSON frames", or undefined when every frame was JSON. */
  unreadable(): string | undefined {
    const parts = [this.binary ? `${this.binary} binary` : '', this.text ? `${this.text} non-JSON` : ''].filter(Boolean);
    if (parts.length === 0) return undefined;
    return `ignored ${parts.join(' and ')} frame${this.binary + this.text === 1 ? '' : 's'}`;
  }
}

/** Why a socket closed, said plainly when the probe's side ended it. */
export function describeClose(arrival: Extract<Arrival, { kind: 'closed' }>, before: string): string[] {
  const lines: string[] = [];
  if (arrival.error === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    lines.push(`the server sent a frame larger than the probe's limit (${MAX_FRAME_BYTES / 1024 / 1024} MiB); the probe closed the socket`);
  } else if (arrival.error) {
    lines.push(`the server broke the WebSocket protocol (${arrival.error}); the probe closed the socket`);
  }
  const abnormal = arrival.code === 1006 ? ' (abnormal: the connection was cut without a close frame)' : '';
  lines.push(`socket closed ${arrival.code} ${JSON.stringify(serverText(arrival.reason, 123))}${abnormal} before ${before}`);
  return lines;
}
