import type { JudgeInput } from '../agent/agent-run-judge.ts';
import { TRANSCRIPT_SCHEMA } from '../report/transcript-jsonl.ts';
import type { TranscriptEntry } from '../report/types.ts';
import { CaptureError, type Line } from './read-lines.ts';

/** One frame of a capture, before the agent.run rules see it. */
export type CaptureItem =
  | { kind: 'sent'; json: unknown; atMs: number | undefined }
  | { kind: 'received'; input: Extract<JudgeInput, { kind: 'frame' }> }
  | { kind: 'closed'; input: Extract<JudgeInput, { kind: 'closed' }>; atMs: number | undefined };

export interface CaptureHeader {
  form: 'transcript' | 'frames';
  runId?: string;
  user?: string;
  thread?: string;
  /** `created`: the run's thread was made by the backend (POST /api/threads); `client`: the probe made it up. */
  threadSource?: 'created' | 'client';
}

/**
 * The two forms `replay` reads: the probe's own `--transcript` JSONL (a header line, then one entry per
 * frame) and plain captured frames, one JSON frame per line as devtools or wscat show them (wscat's
 * `< ` and `> ` mark received and sent).
 */
export function headerOf(first: Line): { header: CaptureHeader; isFrame: boolean } {
  const parsed = tryJson(first.text);
  if (isObject(parsed) && parsed.schema === TRANSCRIPT_SCHEMA) {
    const header: CaptureHeader = { form: 'transcript' };
    if (typeof parsed.runId === 'string') header.runId = parsed.runId;
    if (typeof parsed.user === 'string') header.user = parsed.user;
    if (typeof parsed.thread === 'string') header.thread = parsed.thread;
    if (parsed.threadSource === 'created' || parsed.threadSource === 'client')
      header.threadSource = parsed.threadSource;
    return { header, isFrame: false };
  }
  return { header: { form: 'frames' }, isFrame: true };
}

export function itemOf(line: Line, form: CaptureHeader['form']): CaptureItem {
  return form === 'transcript' ? transcriptItem(line) : plainItem(line);
}

function plainItem(line: Line): CaptureItem {
  const marked = /^([<>]) /.exec(line.text);
  const json = tryJson(marked ? line.text.slice(2) : line.text);
  if (json === NOT_JSON) {
    throw new CaptureError(
      `line ${line.n} is not JSON (a capture holds one JSON frame per line, optionally after wscat's "< " or "> ")`,
    );
  }
  if (marked?.[1] === '>') return { kind: 'sent', json, atMs: undefined };
  return { kind: 'received', input: { kind: 'frame', json, form: 'json', atMs: undefined } };
}

function transcriptItem(line: Line): CaptureItem {
  const entry = tryJson(line.text);
  if (!isEntry(entry)) {
    throw new CaptureError(
      `line ${line.n} is not a transcript entry (dir, atMs, readAs and frame, as --transcript writes them)`,
    );
  }
  if (entry.dir === 'closed') {
    const input: Extract<JudgeInput, { kind: 'closed' }> = {
      kind: 'closed',
      code: entry.code ?? 1006,
      reason: entry.frame,
    };
    if (entry.error) input.error = entry.error;
    return { kind: 'closed', input, atMs: entry.atMs };
  }
  if (entry.dir === 'sent') return { kind: 'sent', json: tryJson(entry.frame), atMs: entry.atMs };
  return { kind: 'received', input: { kind: 'frame', ...frameOf(entry), atMs: entry.atMs } };
}

/** A whole frame is judged as it was; a cut one by what the probe read it as and the ids it kept. */
function frameOf(entry: TranscriptEntry): { json: unknown; form: 'json' | 'text' | 'binary' } {
  if (entry.readAs === 'binary') return { json: undefined, form: 'binary' };
  if (entry.readAs === 'non-JSON') return { json: undefined, form: 'text' };
  const json = entry.cut ? NOT_JSON : tryJson(entry.frame);
  if (json !== NOT_JSON) return { json, form: 'json' };
  const ids = entry.ids ?? {};
  const rebuilt: Record<string, string> = { type: entry.readAs };
  if (ids.user !== undefined) rebuilt.user_id = ids.user;
  if (ids.run !== undefined) rebuilt.run_id = ids.run;
  if (ids.thread !== undefined) rebuilt.thread_id = ids.thread;
  return { json: rebuilt, form: 'json' };
}

const NOT_JSON = Symbol('not JSON');

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is TranscriptEntry {
  return (
    isObject(value) &&
    (value.dir === 'sent' || value.dir === 'received' || value.dir === 'closed') &&
    typeof value.atMs === 'number' &&
    typeof value.readAs === 'string' &&
    typeof value.frame === 'string'
  );
}
