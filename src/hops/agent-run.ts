import { trace } from '@opentelemetry/api';
import { agentEventOf, checkEventOrder, describeFailureFrame, isFailureEvent, isGoldenEvent } from '../agent/agent-events.ts';
import { describeClose } from '../net/frame-queue.ts';
import { FrameTally } from '../net/frame-tally.ts';
import { serverText } from '../net/server-text.ts';
import type { AgentEventRecord } from '../report/types.ts';
import type { HopContext, HopOutcome } from '../runner/hop-types.ts';

/** Keeps a chatty backend from growing the report without bound. */
const MAX_RECORDED_EVENTS = 100;

/** Hop 5: start_agent, then every golden event, in order, before the agent deadline. */
export async function agentRun(ctx: HopContext): Promise<HopOutcome> {
  // The runner skips this hop unless ws.connect left an open socket and its frame queue.
  const socket = ctx.state.socket!;
  const frames = ctx.state.frames!;
  const { threadId } = ctx.state;
  const span = trace.getActiveSpan();
  const deadline = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.config.agentTimeoutMs)]);

  // thread_id both at the top level and in the payload: the server reads either (netra-protocol §4).
  socket.send(
    JSON.stringify({
      type: 'start_agent',
      payload: { user_request: ctx.definition.agentRequest, thread_id: threadId, context: {}, settings: {} },
      thread_id: threadId,
      timestamp: Date.now() / 1000,
    }),
  );
  const sentAt = performance.now();
  const events: AgentEventRecord[] = [];
  const arrivals: string[] = [];
  let runId: string | undefined;

  const tally = new FrameTally();
  const result = (outcome: Omit<HopOutcome, 'events' | 'missing'>): HopOutcome => {
    const { missing } = checkEventOrder(arrivals);
    return { ...outcome, evidence: [...outcome.evidence, ...noise(tally, arrivals)], events, missing };
  };

  for (;;) {
    const arrival = await frames.next(deadline);
    if (arrival.kind === 'aborted') {
      const { missing } = checkEventOrder(arrivals);
      const waited = Math.round(performance.now() - sentAt);
      return result({
        status: 'fail',
        code: 'AGENT_EVENTS_MISSING',
        evidence: [`after ${waited} ms still missing: ${missing.join(', ')}`, seen(arrivals)],
      });
    }
    if (arrival.kind === 'closed') {
      span?.setAttributes({ 'websocket.close.code': arrival.code, 'websocket.close.reason': serverText(arrival.reason, 123) });
      return result({ status: 'fail', code: 'AGENT_RUN_ABORTED', evidence: [...describeClose(arrival, 'agent_completed'), seen(arrivals)] });
    }
    const frame = arrival.frame.json;
    // Every frame is checked, not only agent events: a leaked heartbeat or progress_update is a leak too.
    const crossUser = foreignFrame(frame, ctx.state.tokenSubject, runId);
    if (crossUser) {
      return result({ status: 'fail', code: 'CROSS_USER_EVENT', evidence: [crossUser, seen(arrivals)] });
    }
    const name = agentEventOf(frame);
    if (!name) {
      tally.skip(arrival.frame); // heartbeat, progress_update, pong, binary, non-JSON, …
      continue;
    }
    if (isFailureEvent(name)) {
      return result({ status: 'fail', code: 'AGENT_FAILED', evidence: [describeFailureFrame(name, frame), seen(arrivals)] });
    }
    if (!isGoldenEvent(name)) continue;

    runId ??= runIdOf(frame);
    const atMs = Math.round(arrival.frame.at - sentAt);
    arrivals.push(name);
    if (events.length < MAX_RECORDED_EVENTS) events.push({ type: name, atMs });
    span?.addEvent(name, { 'probe.event.at_ms': atMs });

    if (name === 'agent_completed') {
      const check = checkEventOrder(arrivals);
      if (check.missing.length > 0) {
        return result({
          status: 'fail',
          code: 'AGENT_EVENTS_MISSING',
          evidence: [`agent_completed arrived without ${check.missing.join(', ')}`, seen(arrivals)],
        });
      }
      if (check.outOfOrder.length > 0) {
        return result({ status: 'fail', code: 'AGENT_EVENTS_OUT_OF_ORDER', evidence: [...check.outOfOrder, seen(arrivals)] });
      }
      return result({ status: 'pass', evidence: [`all five events in ${atMs} ms${runId ? ` (run ${clip(runId)})` : ''}`] });
    }
  }
}

/** What else came: skipped frames, and golden events that came more than once (normal for thinking and tools). */
function noise(tally: FrameTally, arrivals: readonly string[]): string[] {
  const lines: string[] = [];
  const unreadable = tally.unreadable();
  if (unreadable) lines.push(unreadable);
  if (tally.other) lines.push(`${tally.other} other frames (heartbeats, progress updates, …) arrived between the events`);
  const counts = new Map<string, number>();
  for (const name of arrivals) counts.set(name, (counts.get(name) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1).map(([name, n]) => `${name} ×${n}`);
  if (repeated.length) lines.push(`repeated: ${repeated.join(', ')}`);
  return lines;
}

function seen(arrivals: readonly string[]): string {
  return arrivals.length ? `received: ${arrivals.join(' → ')}` : 'received no agent event';
}

function runIdOf(frame: unknown): string | undefined {
  if (!frame || typeof frame !== 'object') return undefined;
  const f = frame as { run_id?: unknown; data?: { run_id?: unknown } };
  const id = f.run_id ?? f.data?.run_id;
  return typeof id === 'string' ? id : undefined;
}

/** A frame that names another user, or another run than the one this socket started, is a leak. */
function foreignFrame(frame: unknown, subject: string | undefined, runId: string | undefined): string | undefined {
  if (!frame || typeof frame !== 'object') return undefined; // binary or non-JSON: names nobody
  const f = frame as { user_id?: unknown; data?: { user_id?: unknown } };
  const userId = f.user_id ?? f.data?.user_id;
  if (subject && typeof userId === 'string' && userId !== subject && !userId.endsWith('...')) {
    return `received a ${frameType(frame)} frame for user ${JSON.stringify(clip(userId))}, not this run's user`;
  }
  const frameRun = runIdOf(frame);
  if (runId && frameRun && frameRun !== runId) {
    return `received a ${frameType(frame)} frame for run ${JSON.stringify(clip(frameRun))}, not this socket's run ${JSON.stringify(clip(runId))}`;
  }
  return undefined;
}

function frameType(frame: unknown): string {
  const type = agentEventOf(frame) ?? (frame as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? clip(type) : 'non-JSON';
}

/** Ids and types come from the server: bounded, and with any secret it echoed taken out. */
function clip(s: string): string {
  return serverText(s, 120);
}
