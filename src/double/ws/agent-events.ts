// Agent event frames in the two shapes the backend can emit (netra-protocol §5): the real-agent path's
// flat dicts (AgentWebSocketBridge.notify_*) and the fallback path's ServerMessage envelopes, where the
// event name is `data.type` under an outer `system_message` / `agent_progress` / `agent_response_complete`.
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
  connectionId: string;
  userRequest: string;
  startedAtMs: number;
}

const AGENT = 'supervisor';
const TOOL = 'data_helper';

function toolResult(ctx: RunContext) {
  return { summary: `Looked up data for: ${ctx.userRequest.slice(0, 80)}`, rows: 3 };
}

/** `step` counts earlier occurrences of the same event, from 1 (agent_thinking repeats). */
export function realFrame(event: ScriptEvent, ctx: RunContext, step: number): Record<string, unknown> {
  const base = { type: event, run_id: ctx.runId, user_id: ctx.userId, agent_name: AGENT, timestamp: pythonIsoUtc() };
  switch (event) {
    case 'agent_started':
      return { ...base, data: { status: 'started', context: {}, message: `${AGENT} has started processing your request` } };
    case 'agent_thinking':
      return {
        ...base,
        data: {
          reasoning: step === 1 ? 'Understanding the request' : 'Choosing a tool to gather data',
          step_number: step,
          progress_percentage: step * 20,
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
        data: { parameters: { query: ctx.userRequest.slice(0, 80) }, status: 'executing', message: `Executing ${TOOL}` },
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
          result: { response: 'Here is a synthetic answer from the staging double.' },
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

export function fallbackFrame(event: ScriptEvent, ctx: RunContext, step: number): Record<string, unknown> {
  const common = { run_id: ctx.runId, agent_name: AGENT };
  switch (event) {
    case 'agent_started':
      return serverMessage('system_message', { type: 'agent_started', ...common, message: 'Agent started processing your request' });
    case 'agent_thinking':
      return serverMessage('agent_progress', { type: 'agent_thinking', ...common, message: 'Analyzing your request...', step_number: step });
    case 'progress_update':
      return serverMessage('agent_progress', { type: 'progress_update', ...common, progress_percentage: 60 });
    case 'tool_executing':
      return serverMessage('agent_progress', { type: 'tool_executing', ...common, payload: { tool_name: TOOL, parameters: {} } });
    case 'tool_completed':
      return serverMessage('agent_progress', { type: 'tool_completed', ...common, payload: { tool_name: TOOL, result: toolResult(ctx) } });
    case 'agent_completed':
      return serverMessage('agent_response_complete', {
        type: 'agent_completed',
        ...common,
        content: 'Here is a synthetic answer from the staging double.',
      });
    case 'agent_error':
      return serverMessage('agent_progress', { type: 'agent_error', ...common, error_message: 'LLM provider returned 500' });
    case 'heartbeat':
      return heartbeat(ctx.connectionId, step);
  }
}
