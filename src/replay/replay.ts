import { agentEventOf, isGoldenEvent } from '../agent/agent-events.ts';
import { type JudgeInput, judgeAgentRun } from '../agent/agent-run-judge.ts';
import { readConnectFrame } from '../agent/connect-frames.ts';
import { judgeConnect } from '../agent/connect-judge.ts';
import { frameIds, frameType } from '../agent/frame-ids.ts';
import type { HopOutcome } from '../hops/hop-contract.ts';
import { type HopReport, REPORT_SCHEMA, type Report } from '../report/types.ts';
import { decideVerdict } from '../triage/decide-verdict.ts';
import { type CaptureHeader, type CaptureItem, headerOf, itemOf } from './capture.ts';
import { CaptureError, readLines } from './read-lines.ts';

/**
 * What a client sends to start an agent run: the probe's start_agent, and the user_message the product's own
 * clients send (the recorded 2025-10-08 staging run; AgentBridgeHandler takes both, websocket_ssot.py:225-231
 * at aebb16f77).
 */
const RUN_REQUESTS = new Set(['start_agent', 'user_message']);

/** More frames than any agent run sends; a bound on what is held in memory. */
const MAX_ITEMS = 100_000;

export interface ReplayOptions {
  path: string;
  /** Whose frames they should be (the token's sub); else the transcript's header says. */
  user?: string | undefined;
  /** The thread start_agent named; else the header, the sent start_agent, or the first frame naming one. */
  thread?: string | undefined;
  agentTimeoutMs: number;
  agentDegradedMs: number;
}

export interface Replayed {
  header: CaptureHeader;
  /** agent.run (and ws.connect when the capture holds its frames), judged by the live hops' rules. */
  report: Report;
  /** How the capture was read: what was skipped, where the identity came from. */
  notes: string[];
  frames: number;
  timed: boolean;
}

export async function replayCapture(opts: ReplayOptions): Promise<Replayed> {
  const { header, items } = await readCapture(opts.path);
  const notes: string[] = [];
  const start = items.findIndex((i) => i.kind === 'sent' && RUN_REQUESTS.has(frameType(i.json) ?? ''));
  const startItem = start === -1 ? undefined : (items[start] as Extract<CaptureItem, { kind: 'sent' }>);
  const request = frameType(startItem?.json) ?? 'start_agent';
  if (start === -1) notes.push('no start_agent (or user_message) sent in the capture: every frame is judged');
  const judged = items.slice(start + 1);

  const thread = opts.thread ?? header.thread ?? frameIds(startItem?.json).thread ?? learnThread(judged, notes);
  const user = opts.user ?? header.user;
  const connect =
    start > 0
      ? judgeConnectFrames(items.slice(0, start), user, request, notes)
      : start === -1
        ? judgeConnectOnly(items, user)
        : undefined;
  if (user === undefined) {
    notes.push("no --user: frames cannot be checked for another user's id, only for another run or thread");
  }

  const startAt = startItem?.atMs;
  const inputs: JudgeInput[] = [];
  // What arrived after the welcome and before start_agent is never this run's, but tells whose runs are another's:
  // the live hop reads the same frames from its queue (ws.connect took those up to the welcome), atMs negative.
  const beforeStart = start > 0 ? items.slice(0, start) : [];
  const welcome = beforeStart.findIndex(
    (i) => i.kind === 'received' && i.input.kind === 'frame' && readConnectFrame(i.input.json).kind === 'welcome',
  );
  for (const item of beforeStart.slice(welcome + 1)) {
    if (item.kind !== 'received' || item.input.kind !== 'frame') continue;
    const atMs = item.input.atMs !== undefined && startAt !== undefined ? item.input.atMs - startAt : undefined;
    inputs.push({ ...item.input, atMs, beforeStart: true });
  }
  let deadlineReached = false;
  for (const item of judged) {
    if (item.kind === 'sent') continue;
    const input = item.input;
    const atMs = input.kind === 'frame' ? input.atMs : item.kind === 'closed' ? item.atMs : undefined;
    const after = atMs !== undefined && startAt !== undefined ? atMs - startAt : atMs;
    if (after !== undefined && after > opts.agentTimeoutMs) {
      inputs.push({ kind: 'deadline', waitedMs: opts.agentTimeoutMs });
      deadlineReached = true;
      break;
    }
    inputs.push(input.kind === 'frame' ? { ...input, atMs: after } : input);
  }
  const threadSource = header.threadSource ?? 'client';
  const outcome: HopOutcome =
    connect?.status === 'fail'
      ? { status: 'skip', evidence: [], skippedBecause: 'ws.connect produced no open socket' }
      : judgeAgentRun(inputs, { subject: user, threadId: thread ?? '', threadSource });

  const timed = header.form === 'transcript';
  const lastAt = outcome.events?.at(-1)?.atMs ?? 0;
  const slow = timed && outcome.status === 'pass' && lastAt > opts.agentDegradedMs;
  const status = slow ? 'degraded' : outcome.status;
  const hop: HopReport = { name: 'agent.run', status, durationMs: lastAt, startMs: 0 };
  if (outcome.code) hop.code = outcome.code;
  if (outcome.evidence.length) hop.evidence = outcome.evidence;
  if (outcome.events) hop.events = outcome.events;
  if (outcome.missing) hop.missing = outcome.missing;
  if (outcome.skippedBecause) hop.skippedBecause = outcome.skippedBecause;
  const hops = connect ? [connect, hop] : [hop];

  const noTriage = { plain: undefined, withService: undefined, evidence: [] };
  const closed = judged.some((i) => i.kind === 'closed');
  const verdict = decideVerdict(hops, noTriage, new Map([['agent.run', opts.agentDegradedMs]]), new Set(), {
    capture: true,
    // The probe's own transcript ends where the live run stopped listening (its deadline); a plain capture
    // just ends, and nothing says the run was waited for.
    captureEnded: header.form !== 'transcript' && !deadlineReached && !closed,
  });
  const failed = hops.find((h) => h.status === 'fail');
  const result = failed ? 'fail' : hop.status === 'degraded' ? 'degraded' : 'pass';
  const report: Report = {
    schema: REPORT_SCHEMA,
    probe: 'replay',
    runId: header.runId ?? 'unknown',
    attempt: 1,
    target: { api: '', auth: '', ws: '' },
    startedAt: '',
    durationMs: lastAt,
    result,
    failedHop: failed?.name ?? null,
    verdict,
    traceId: null,
    traceUrl: null,
    hops,
  };
  if (thread === undefined) notes.push('no thread known (--thread, a sent start_agent or a frame naming one)');
  return { header, report, notes, frames: items.length, timed };
}

/** The frames before start_agent, judged by ws.connect's rules; a capture cut before the welcome is a note. */
function judgeConnectFrames(
  items: readonly CaptureItem[],
  user: string | undefined,
  request: string,
  notes: string[],
): HopReport | undefined {
  const inputs = items.flatMap((item) => (item.kind === 'sent' ? [] : [item.input]));
  const outcome = judgeConnect(inputs, { subject: user });
  if (!outcome) {
    notes.push(`${items.length} frame(s) before ${request} hold no welcome or close: ws.connect is not judged`);
    return undefined;
  }
  return connectHop(outcome);
}

/**
 * A capture with no request sent may be only the connection's frames (a welcome, or an error frame and the
 * close: the recorded staging failures). They are judged as ws.connect up to the first agent event, which
 * proves the socket was open; when they decide nothing, ws.connect is not in the report.
 */
function judgeConnectOnly(items: readonly CaptureItem[], user: string | undefined): HopReport | undefined {
  const inputs: JudgeInput[] = [];
  for (const item of items) {
    if (item.kind === 'sent') continue;
    if (item.kind === 'received' && isGoldenEvent(agentEventOf(item.input.json) ?? '')) break;
    inputs.push(item.input);
  }
  const outcome = judgeConnect(inputs, { subject: user });
  return outcome ? connectHop(outcome) : undefined;
}

function connectHop(outcome: HopOutcome): HopReport {
  const hop: HopReport = { name: 'ws.connect', status: outcome.status, durationMs: 0, startMs: 0 };
  if (outcome.code) hop.code = outcome.code;
  if (outcome.httpStatus !== undefined) hop.httpStatus = outcome.httpStatus;
  if (outcome.evidence.length) hop.evidence = outcome.evidence;
  return hop;
}

async function readCapture(path: string): Promise<{ header: CaptureHeader; items: CaptureItem[] }> {
  let header: CaptureHeader | undefined;
  const items: CaptureItem[] = [];
  for await (const line of readLines(path)) {
    if (!header) {
      const first = headerOf(line);
      header = first.header;
      if (!first.isFrame) continue;
    }
    if (items.length >= MAX_ITEMS) throw new CaptureError(`holds more than ${MAX_ITEMS} frames`);
    items.push(itemOf(line, header.form));
  }
  if (!header) throw new CaptureError('is empty: no frame to judge');
  return { header, items };
}

/** The first thread a frame names, said in the notes so nobody mistakes a guess for a fact. */
function learnThread(items: readonly CaptureItem[], notes: string[]): string | undefined {
  for (const item of items) {
    if (item.kind !== 'received') continue;
    const thread = frameIds(item.input.json).thread;
    if (thread !== undefined) {
      notes.push('thread taken from the first frame that names one; give --thread to say whose frames they should be');
      return thread;
    }
  }
  return undefined;
}
