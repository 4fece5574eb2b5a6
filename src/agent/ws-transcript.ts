import { withoutJwts } from '../net/jwt-shape.ts';
import { safeHeadOfCut, serverText } from '../net/server-text.ts';
import type { Transcript, TranscriptEntry } from '../report/types.ts';
import { agentEventOf } from './agent-events.ts';
import { frameIds, frameType } from './frame-ids.ts';

/** The bounds of one run's transcript: enough to read what the backend said, never a runaway report. */
export const TRANSCRIPT_LIMITS = { frameChars: 2048, frames: 200, chars: 256 * 1024 } as const;

// Only this much of a frame is scrubbed: far more than is kept, and its end (where a secret may be cut in two)
// dropped, so scrubbing cannot pull a cut secret into view.
const SCAN_CHARS = 64 * 1024;
type Kept = { entries: TranscriptEntry[]; sizes: number[]; chars: number };

/**
 * Every frame the socket sent and received, from the upgrade on. The first half of the bounds keeps the
 * start of the conversation, the second half its end (a flood in between is counted, not kept).
 */
export class WsTranscript {
  #openedAt: number | undefined;
  readonly #head: Kept = { entries: [], sizes: [], chars: 0 };
  readonly #tail: Kept = { entries: [], sizes: [], chars: 0 };
  #omitted = 0;

  opened(at: number): void {
    this.#openedAt = at;
  }

  received(text: string | undefined, bytes: number, json: unknown, kind: 'json' | 'text' | 'binary', at: number): void {
    const entry: TranscriptEntry = {
      dir: 'received',
      atMs: this.#ms(at),
      bytes,
      readAs: readAs(json, kind),
      ...clean(text),
    };
    const ids = frameIds(json);
    if (ids.user !== undefined || ids.run !== undefined || ids.thread !== undefined) {
      entry.ids = Object.fromEntries(Object.entries(ids).map(([k, v]) => [k, clip(v, 120)]));
    }
    this.#keep(entry);
  }

  sent(text: string, at: number = performance.now()): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const bytes = Buffer.byteLength(text);
    this.#keep({ dir: 'sent', atMs: this.#ms(at), bytes, readAs: readAs(json, 'json'), ...clean(text) });
  }

  closed(code: number, reason: string, error: string | undefined, at: number): void {
    const entry: TranscriptEntry = {
      dir: 'closed',
      atMs: this.#ms(at),
      bytes: Buffer.byteLength(reason),
      readAs: 'close',
      code,
      ...clean(reason),
    };
    if (error) entry.error = clip(error, 120);
    this.#keep(entry);
  }

  snapshot(identity: { user: string | undefined; thread: string; threadSource?: 'created' | 'client' }): Transcript {
    return {
      user: identity.user ?? null,
      thread: identity.thread,
      ...(identity.threadSource ? { threadSource: identity.threadSource } : {}),
      frames: [...this.#head.entries, ...this.#tail.entries],
      omitted: this.#omitted,
    };
  }

  #ms(at: number): number {
    return Math.max(0, Math.round(at - (this.#openedAt ?? at)));
  }

  #keep(entry: TranscriptEntry): void {
    // Counted as written: the JSON report and the JSONL hold the entry as JSON, escapes included.
    const size = JSON.stringify(entry).length;
    const half = { frames: TRANSCRIPT_LIMITS.frames / 2, chars: TRANSCRIPT_LIMITS.chars / 2 };
    const head = this.#head;
    if (this.#tail.entries.length === 0 && head.entries.length < half.frames && head.chars + size <= half.chars) {
      head.entries.push(entry);
      head.sizes.push(size);
      head.chars += size;
      return;
    }
    const tail = this.#tail;
    tail.entries.push(entry);
    tail.sizes.push(size);
    tail.chars += size;
    while (tail.entries.length > half.frames || tail.chars > half.chars) {
      tail.entries.shift();
      tail.chars -= tail.sizes.shift()!;
      this.#omitted++;
    }
  }
}

function clean(text: string | undefined): Pick<TranscriptEntry, 'frame' | 'cut'> {
  if (text === undefined) return { frame: '' };
  const scrubbed = clip(safeHeadOfCut(text.slice(0, SCAN_CHARS), text.length > SCAN_CHARS), Number.MAX_SAFE_INTEGER);
  if (scrubbed.length <= TRANSCRIPT_LIMITS.frameChars && text.length <= SCAN_CHARS) return { frame: scrubbed };
  return { frame: scrubbed.slice(0, TRANSCRIPT_LIMITS.frameChars), cut: true };
}

/** Server text made fit to keep: every known secret, then anything JWT-shaped, taken out; then bounded. */
function clip(text: string, max: number): string {
  const clean = withoutJwts(serverText(text, Number.MAX_SAFE_INTEGER));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function readAs(json: unknown, kind: 'json' | 'text' | 'binary'): string {
  if (kind === 'binary') return 'binary';
  if (kind === 'text') return 'non-JSON';
  const event = agentEventOf(json);
  if (event) return event;
  const type = frameType(json);
  return type !== undefined ? clip(type, 60) : 'JSON without type';
}
