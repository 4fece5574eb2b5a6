// What one agent run sends under each script kind. Gaps are fixed, not random, so a test can rely on
// arrival order while arrival times still differ (the probe measures per-event latency).
import type { AgentScriptKind } from '../fault-effects.ts';
import type { EventShape, ScriptEvent } from './agent-events.ts';

export interface ScriptStep {
  /** Delay after the previous step (or after start_agent for the first). */
  gapMs: number;
  event: ScriptEvent;
  /** Sent as if it belonged to another user's run (cross_user_leak). */
  foreign?: boolean;
  /** The agent an agent_started names (default: the supervisor). */
  agentName?: string;
}

export interface AgentScript {
  envelope: EventShape;
  steps: ScriptStep[];
  /** After the last step: nothing more, or idle heartbeats with the run never finishing. */
  then: 'end' | 'stall';
  /** What agent_completed reports as the result (default: a synthetic answer). */
  result?: Record<string, unknown>;
}

export type ScriptPlan = AgentScript | { abort: true };

// After ThreadService's acknowledgement (played by the conversation, not the script) the run's agents announce
// themselves: a recorded staging run had four agent_started (netra-assistant twice, MessageHandler,
// claude_code_optimizer; netra-protocol.md §4a). Here: the ack, then MessageHandler, then the supervisor.
const STARTED_BY = ['MessageHandler', 'supervisor'];
const NORMAL: ScriptEvent[] = [
  'agent_started',
  'agent_started',
  'agent_thinking',
  'heartbeat',
  'agent_thinking',
  'progress_update',
  'tool_executing',
  'tool_completed',
  'agent_completed',
];
const CRITICAL_PATH: ScriptEvent[] = ['agent_thinking', 'agent_completed'];
const GAPS_MS = [8, 5, 12, 6, 15, 10, 18, 9, 14];

function withGaps(events: ScriptEvent[], gap?: number): ScriptStep[] {
  let started = 0;
  return events.map((event, i) => {
    const step: ScriptStep = { event, gapMs: gap ?? GAPS_MS[i % GAPS_MS.length] ?? 10 };
    const agentName = STARTED_BY[Math.min(started, STARTED_BY.length - 1)];
    if (event === 'agent_started' && agentName !== undefined) {
      step.agentName = agentName;
      started++;
    }
    return step;
  });
}

/**
 * The one healthy run recorded on staging (netra-systems/zen README.md L83-125 at HEAD, 2025-10-08): after the
 * ack, agent_started from netra-assistant, MessageHandler and claude_code_optimizer, one agent_thinking, then
 * agent_completed with {"status":"done","result":{…}} — no tool events. Its 92 s are played in ~90 ms (1 s → 1 ms).
 */
const RECORDED: [ScriptEvent, number, string?][] = [
  ['agent_started', 2, 'netra-assistant'],
  ['agent_started', 2, 'MessageHandler'],
  ['agent_started', 8, 'claude_code_optimizer'],
  ['agent_thinking', 8],
  ['agent_completed', 64],
];
const RECORDED_RESULT = {
  status: 'done',
  result: {
    optimizations: [{ issue: 'Repeated Full File Read', evidence: 'The same file was read in full more than once.' }],
  },
};

/** The run's events with one agent_started only (the fallback handler announces one agent). */
function oneStarted(events: ScriptEvent[]): ScriptEvent[] {
  return events.filter((e, i) => e !== 'agent_started' || events.indexOf('agent_started') === i);
}

export function agentScript(kind: AgentScriptKind, slowAgentMs: number): ScriptPlan {
  switch (kind) {
    case 'normal':
      return { envelope: 'emitters', steps: withGaps(NORMAL), then: 'end' };
    case 'slow':
      // Evenly spread, so agent_completed lands slowAgentMs after start_agent.
      return { envelope: 'emitters', steps: withGaps(NORMAL, slowAgentMs / NORMAL.length), then: 'end' };
    case 'stall':
      return {
        envelope: 'emitters',
        steps: withGaps(NORMAL.slice(0, NORMAL.indexOf('tool_executing') + 1)),
        then: 'stall',
      };
    case 'error':
      return { envelope: 'emitters', steps: withGaps(['agent_started', 'agent_error']), then: 'end' };
    case 'out_of_order': {
      const events = [...NORMAL];
      const exec = events.indexOf('tool_executing');
      [events[exec], events[exec + 1]] = ['tool_completed', 'tool_executing'];
      return { envelope: 'emitters', steps: withGaps(events), then: 'end' };
    }
    case 'fallback':
      // The fallback handler has no progress_update.
      return {
        envelope: 'fallback',
        steps: withGaps(oneStarted(NORMAL).filter((e) => e !== 'progress_update')),
        then: 'end',
      };
    case 'abort':
      return { abort: true };
    case 'nested':
      return { envelope: 'nested', steps: withGaps(NORMAL), then: 'end' };
    case 'thread_labelled':
      return { envelope: 'thread_labelled', steps: withGaps(NORMAL), then: 'end' };
    case 'critical_dropped':
      // The bridge's events arrive; the two critical-path ones are stored server-side and never sent.
      return { envelope: 'emitters', steps: withGaps(NORMAL.filter((e) => !CRITICAL_PATH.includes(e))), then: 'end' };
    case 'recorded':
      return {
        envelope: 'emitters',
        steps: RECORDED.map(([event, gapMs, agentName]) =>
          agentName ? { event, gapMs, agentName } : { event, gapMs },
        ),
        then: 'end',
        result: RECORDED_RESULT,
      };
    case 'cross_user': {
      const steps = withGaps(NORMAL);
      // A bridge dict: it names the other user by their own id (a critical-path frame would name their thread).
      steps.splice(2, 0, { event: 'tool_executing', gapMs: 5, foreign: true });
      return { envelope: 'emitters', steps, then: 'end' };
    }
  }
}

/** Another client's run of the same user: the normal run on shorter gaps, so it ends before this client's. */
export function otherClientScript(): AgentScript {
  return { envelope: 'emitters', steps: withGaps(NORMAL, 6), then: 'end' };
}
