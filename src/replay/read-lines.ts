import { open } from 'node:fs/promises';
import { MAX_FRAME_BYTES } from '../net/frame-queue.ts';

/** A line may hold one frame as big as the probe accepts on the wire, and no more. */
const MAX_LINE_BYTES = MAX_FRAME_BYTES;
/** Far above any run's capture (the probe's own transcript is at most ~260 KiB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** What is wrong with the input, said without quoting any of it (it may hold tokens). */
export class CaptureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaptureError';
  }
}

export interface Line {
  /** 1-based. */
  n: number;
  text: string;
}

/**
 * The file's non-empty lines, read a chunk at a time: a line over MAX_LINE_BYTES is refused before it is
 * buffered whole, and a NUL byte or bytes that are not UTF-8 end the reading as binary input.
 */
export async function* readLines(path: string): AsyncGenerator<Line> {
  const file = await openFile(path);
  try {
    const stat = await file.stat();
    if (stat.isDirectory()) throw new CaptureError('is a directory, not a capture file');
    if (!stat.isFile()) throw new CaptureError('is not a regular file');
    if (stat.size > MAX_FILE_BYTES) throw new CaptureError(`is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let parts: Buffer[] = [];
    let pending = 0;
    let n = 0;
    let total = 0;
    const finish = (): Line | undefined => {
      n++;
      const bytes = Buffer.concat(parts, pending);
      parts = [];
      pending = 0;
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new CaptureError(`line ${n} is not UTF-8 text (binary input?)`);
      }
      if (n === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      text = text.replace(/\r$/, '');
      return text.trim() === '' ? undefined : { n, text };
    };
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // The file may grow while it is read; the bound holds for what is read.
      if (total > MAX_FILE_BYTES) throw new CaptureError(`is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`);
      const data = chunk.subarray(0, bytesRead);
      if (data.includes(0)) throw new CaptureError(`holds a NUL byte near line ${n + 1}: binary input, not a capture`);
      let start = 0;
      for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, start)) {
        take(data.subarray(start, nl));
        const line = finish();
        if (line) yield line;
        start = nl + 1;
      }
      take(data.subarray(start));
    }
    if (pending > 0) {
      const line = finish();
      if (line) yield line;
    }

    function take(piece: Buffer): void {
      if (piece.length === 0) return;
      pending += piece.length;
      if (pending > MAX_LINE_BYTES) {
        const limit = `${MAX_LINE_BYTES / 1024 / 1024} MiB`;
        throw new CaptureError(`line ${n + 1} is longer than ${limit} (the probe's limit for one frame)`);
      }
      parts.push(Buffer.from(piece)); // a copy: the chunk buffer is reused
    }
  } finally {
    await file.close();
  }
}

async function openFile(path: string) {
  try {
    return await open(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CaptureError(code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`);
  }
}
