// Records what each server received, for tests of the probe: header names only (values can be
// secrets), the path without its query (`?token=` is a secret too).
import type { IncomingMessage } from 'node:http';
import type { RecordedRequest } from './types.ts';

export type Recorder = (entry: RecordedRequest) => void;

function headerNamesOf(req: IncomingMessage): string[] {
  const names: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = (req.rawHeaders[i] ?? '').toLowerCase();
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function pathOf(req: IncomingMessage): string {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  return q === -1 ? raw : raw.slice(0, q);
}

/** Starts a record; the returned function completes it with the status, once (later calls are ignored). */
export function startRecording(
  record: Recorder,
  service: RecordedRequest['service'],
  req: IncomingMessage,
  upgrade: boolean,
): (status: number) => void {
  const startedAt = Date.now();
  const t0 = performance.now();
  const tp = req.headers.traceparent;
  let done = false;
  return (status) => {
    if (done) return;
    done = true;
    record({
      service,
      method: req.method ?? 'GET',
      path: pathOf(req),
      headerNames: headerNamesOf(req),
      traceparent: (Array.isArray(tp) ? tp[0] : tp) ?? null,
      status,
      startedAt,
      durationMs: performance.now() - t0,
      upgrade,
    });
  };
}
