import { Writable } from 'node:stream';

/** pino's own test habit: a sink that parses the NDJSON back into objects. */
export function logSink(): { stream: Writable; lines: Record<string, unknown>[]; raw: () => string } {
  let raw = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  return {
    stream,
    get lines() {
      return raw
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    raw: () => raw,
  };
}
