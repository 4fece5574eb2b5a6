import { trace } from '@opentelemetry/api';
import { AgentRunJudge } from '../agent/agent-run-judge.ts';
import { boundedSignal } from '../net/bounded-signal.ts';
import type { HopContext, HopOutcome } from './hop-contract.ts';
import { judgeInputOf } from './judge-arrival.ts';
import { usableId } from './server-id.ts';

/** Hop 5: start_agent, then every golden event, in order, before the agent deadline. */
export async function agentRun(ctx: HopContext): Promise<HopOutcome> {
  const agentDeadline = boundedSignal(ctx.signal, ctx.config.agentTimeoutMs);
  try {
    return await judgeEvents(ctx, agentDeadline.signal);
  } finally {
    agentDeadline.release();
  }
}

async function judgeEvents(ctx: HopContext, deadline: AbortSignal): Promise<HopOutcome> {
  // The runner skips this hop unless ws.connect left an open socket and its frame queue.
  const socket = ctx.state.socket!;
  const frames = ctx.state.frames!;
  const { threadId, threadSource } = ctx.state;
  const span = trace.getActiveSpan();

  // thread_id both at the top level and in the payload: the server reads either (docs/netra-protocol-notes.md §4).
  const startAgent = JSON.stringify({
    type: 'start_agent',
    payload: { user_request: ctx.definition.agentRequest, thread_id: threadId, context: {}, settings: {} },
    thread_id: threadId,
    timestamp: Date.now() / 1000,
  });
  socket.send(startAgent);
  const sentAt = performance.now();
  ctx.state.transcript?.sent(startAgent, sentAt);
  const judge = new AgentRunJudge({ subject: ctx.state.tokenSubject, threadId, threadSource });

  for (;;) {
    const arrival = await frames.next(deadline);
    const step = judge.take(judgeInputOf(arrival, span, sentAt));
    // Stamped with the frame's arrival, not with when it was judged: a performance.now() time, which the SDK
    // places on the span's own clock.
    const arrivedAt = arrival.kind === 'frame' ? arrival.frame.at : undefined;
    if (step.accepted) span?.addEvent(step.accepted.event, { 'probe.event.at_ms': step.accepted.atMs }, arrivedAt);
    // A made-up thread the backend replaced: the run's thread is the backend's from now on (chat, transcript).
    if (usableId(judge.replacementThread)) ctx.state.threadId = judge.replacementThread;
    if (step.outcome) return step.outcome;
  }
}
