// Client message types the main loop understands: legacy aliases are normalised (TY:582-664), the
// agent-bridge types start a run (WS:225-231), anything else is an unknown type.

const LEGACY: Record<string, string> = {
  message: 'user_message',
  user: 'user_message',
  user_input: 'user_message',
  chat_message: 'user_message',
  agent: 'agent_request',
  execute_agent: 'start_agent',
  EXECUTE_AGENT: 'start_agent',
};

const AGENT_TYPES = new Set(['start_agent', 'user_message', 'chat', 'agent_request', 'agent_task']);

export type ClientMessageKind = 'agent' | 'ping' | 'heartbeat' | 'pong' | 'unknown';

export function classify(type: string): ClientMessageKind {
  const t = LEGACY[type] ?? type;
  if (AGENT_TYPES.has(t)) return 'agent';
  if (t === 'ping' || t === 'pong' || t === 'heartbeat') return t;
  return 'unknown';
}
