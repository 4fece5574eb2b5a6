// Agent event frames in the shapes the backend can emit (docs/netra-protocol-notes.md §5): the bridge's dicts
// (AgentWebSocketBridge.notify_*), the critical path's flat frames (emit_agent_event → emit_critical_event,
// which is how agent_thinking and agent_completed really leave), and the fallback path's ServerMessage
// envelopes, where the event name is `data.type` under an outer `system_message` / `agent_progress` / ….
import { pythonIsoUtc } from '../time.ts';
import { heartbeat, serverMessage } from './frames.ts';

export type ScriptEvent =
  | 'agent_started'
  | 'agent_thinking'
  | 'heartbeat'
  | 'progress_update'
  | 'tool_executing'
  | 'tool_completed'
  | 'agent_completed'
  | 'agent_error';

export interface RunContext {
  runId: string;
  userId: string;
  /** The thread named in start_agent (or one the backend made up). */
  threadId: string;
  connectionId: string;
  userRequest: string;
  startedAtMs: number;
  /** The agent's result in agent_completed (default: a synthetic answer). */
  result?: Record<string, unknown> | undefined;
}

const AGENT = 'supervisor';
const TOOL = 'data_helper';

function toolResult(ctx: RunContext) {
  return { summary: `Looked up data for: ${ctx.userRequest.slice(0, 80)}`, rows: 3 };
}

/** How a run's frames are shaped: what the real emitters send, or one of the other shapes the backend has. */
export type EventShape = 'emitters' | 'nested' | 'thread_labelled' | 'fallback';

/** `agentName` names the agent of an agent_started (a run has several: MessageHandler, supervisor, …). */
export type FrameMaker = (
  event: ScriptEvent,
  ctx: RunContext,
  step: number,
  agentName?: string,
) => Record<string, unknown>;

export function frameMaker(shape: EventShape): FrameMaker {
  switch (shape) {
    case 'nested':
      return bridgeFrame;
    case 'fallback':
      return fallbackFrame;
    case 'emitters':
      // The bridge's agent_started without a user context builds a Mock one whose user_id is the thread id
      // (agent_websocket_bridge.py:2059-2067); its tool frames carry the real user and no thread_id (2419-2431).
      return (event, ctx, step, agentName) =>
        criticalFrame(event, ctx, step, false) ??
        bridgeFrame(event, event === 'agent_started' ? { ...ctx, userId: ctx.threadId } : ctx, step, agentName);
    case 'thread_labelled':
      // send_to_thread routes by the thread id as the user id: every frame carries it as user_id.
      return (event, ctx, step, agentName) =>
        criticalFrame(event, ctx, step, true) ?? bridgeFrame(event, { ...ctx, userId: ctx.threadId }, step, agentName);
  }
}

/**
 * agent_thinking and agent_completed as emit_critical_event sends them: flat, `critical: true`, no `data`,
 * the run and thread ids at the top, and user_id = the thread id (BR:3125 builds the emitter's context with
 * user_id=thread_id; unified_manager.py:500-530). `metadata` comes with a known user tier. Other events: undefined.
 */
function criticalFrame(
  event: ScriptEvent,
  ctx: RunContext,
  step: number,
  withTier: boolean,
): Record<string, unknown> | undefined {
  const ids = { run_id: ctx.runId, thread_id: ctx.threadId, user_id: ctx.threadId };
  const tier = withTier ? { metadata: { user_tier: 'free', is_priority_queue: false } } : {};
  const head = { timestamp: pythonIsoUtc(), critical: true, type: event };
  if (event === 'agent_thinking') {
    return { ...head, ...thinking(step), ...ids, ...tier };
  }
  if (event === 'agent_completed') {
    const result = completedResult(ctx);
    return {
      ...head,
      status: 'completed',
      final_response: result,
      result,
      execution_time_ms: Date.now() - ctx.startedAtMs,
      message: `${AGENT} has completed processing your request`,
      ...ids,
      ...tier,
    };
  }
  return undefined;
}

function thinking(step: number) {
  return {
    reasoning: step === 1 ? 'Understanding the request' : 'Choosing a tool to gather data',
    step_number: step,
    progress_percentage: step * 20,
  };
}

function completedResult(ctx: RunContext) {
  return ctx.result ?? { response: 'Here is a synthetic answer from the staging double.' };
}

/** The bridge's dict. `step` counts earlier occurrences of the same event, from 1 (agent_thinking repeats). */
function bridgeFrame(
  event: ScriptEvent,
  ctx: RunContext,
  step: number,
  agentName: string = AGENT,
): Record<string, unknown> {
  const base = { type: event, run_id: ctx.runId, user_id: ctx.userId, agent_name: AGENT, timestamp: pythonIsoUtc() };
  switch (event) {
    case 'agent_started':
      return {
        ...base,
        agent_name: agentName,
        data: { status: 'started', context: {}, message: `${agentName} has started processing your request` },
      };
    case 'agent_thinking':
      return {
        ...base,
        data: {
          ...thinking(step),
          status: 'thinking',
          business_progress: { stage: 'analysis', completed_steps: step },
        },
      };
    case 'progress_update':
      return { ...base, data: { progress_percentage: 60, message: 'Gathering data', status: 'in_progress' } };
    case 'tool_executing':
      return {
        ...base,
        tool_name: TOOL,
        data: {
          parameters: { query: ctx.userRequest.slice(0, 80) },
          status: 'executing',
          message: `Executing ${TOOL}`,
        },
      };
    case 'tool_completed':
      return {
        ...base,
        tool_name: TOOL,
        results: toolResult(ctx),
        data: { result: toolResult(ctx), execution_time_ms: 12, status: 'completed', message: `${TOOL} completed` },
      };
    case 'agent_completed':
      return {
        ...base,
        data: {
          status: 'completed',
          result: completedResult(ctx),
          execution_time_ms: Date.now() - ctx.startedAtMs,
          message: `${AGENT} has completed processing your request`,
        },
      };
    case 'agent_error':
      return { ...base, data: { error_message: 'LLM provider returned 500', error_context: {} } };
    case 'heartbeat':
      return heartbeat(ctx.connectionId, step);
  }
}

function fallbackFrame(event: ScriptEvent, ctx: RunContext, step: number): Record<string, unknown> {
  const common = { run_id: ctx.runId, agent_name: AGENT };
  switch (event) {
    case 'agent_started':
      return serverMessage('system_message', {
        type: 'agent_started',
        ...common,
        message: 'Agent started processing your request',
      });
    case 'agent_thinking':
      return serverMessage('agent_progress', {
        type: 'agent_thinking',
        ...common,
        message: 'Analyzing your request...',
        step_number: step,
      });
    case 'progress_update':
      return serverMessage('agent_progress', { type: 'progress_update', ...common, progress_percentage: 60 });
    case 'tool_executing':
      return serverMessage('agent_progress', {
        type: 'tool_executing',
        ...common,
        payload: { tool_name: TOOL, parameters: {} },
      });
    case 'tool_completed':
      return serverMessage('agent_progress', {
        type: 'tool_completed',
        ...common,
        payload: { tool_name: TOOL, result: toolResult(ctx) },
      });
    case 'agent_completed':
      return serverMessage('agent_response_complete', {
        type: 'agent_completed',
        ...common,
        content: 'Here is a synthetic answer from the staging double.',
      });
    case 'agent_error':
      return serverMessage('agent_progress', {
        type: 'agent_error',
        ...common,
        error_message: 'LLM provider returned 500',
      });
    case 'heartbeat':
      return heartbeat(ctx.connectionId, step);
  }
}
