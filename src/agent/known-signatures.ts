import type { VerdictCode } from '../domain/verdict-codes.ts';

/** What a failed agent.run showed: which golden events never came, and the events that did. */
export interface AgentRunFacts {
  missing: readonly string[];
  arrived: readonly string[];
}

/**
 * A failure pattern already traced to its cause in the backend's code. The README's "Known signatures"
 * table lists the same rows; each has a double fault that produces it and a test.
 */
export interface KnownSignature {
  id: string;
  code: VerdictCode;
  /** The double's fault that reproduces it. */
  fault: string;
  matches(facts: AgentRunFacts): boolean;
  /** The verdict's sentence when it matches: the pattern, and where to look. */
  summary: string;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && b.every((x) => a.includes(x));

const KNOWN_SIGNATURES: readonly KnownSignature[] = [
  {
    id: 'critical_events_routed_by_thread_id',
    code: 'AGENT_EVENTS_MISSING',
    fault: 'events_dropped_by_routing',
    matches: ({ missing, arrived }) =>
      sameSet(missing, ['agent_thinking', 'agent_completed']) &&
      ['agent_started', 'tool_executing', 'tool_completed'].every((e) => arrived.includes(e)),
    summary:
      "The bridge's events (agent_started, tool_executing, tool_completed) arrived but agent_thinking and " +
      'agent_completed never did: the known pattern of the backend sending those two through ' +
      'emit_agent_event → emit_critical_event, which looks the connection up by the thread id instead of ' +
      'the user id and drops them; check that routing (unified_manager emit_critical_event) and its ' +
      '"User will not receive this critical update" log lines for this trace.',
  },
];

export function knownSignature(code: VerdictCode, facts: AgentRunFacts): KnownSignature | undefined {
  return KNOWN_SIGNATURES.find((s) => s.code === code && s.matches(facts));
}
