// Server frames outside the agent run: ServerMessage envelopes `{type, data, timestamp, server_id,
// correlation_id}` (TY:339-345) and the flat error frame of `create_error_message`.
import { pythonIsoUtc, unixSeconds } from '../time.ts';

const GOLDEN_PATH_EVENTS = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'];

export function serverMessage(type: string, data: Record<string, unknown>) {
  return { type, data, timestamp: unixSeconds(), server_id: null, correlation_id: null };
}

/** The user id shown truncated to 8 characters plus "...", as WS:974-990 does. */
export function truncatedUserId(userId: string): string {
  return `${userId.slice(0, 8)}...`;
}

export function connectionEstablished(userId: string, connectionId: string) {
  return serverMessage('connection_established', {
    mode: 'main',
    user_id: truncatedUserId(userId),
    connection_id: connectionId,
    golden_path_events: GOLDEN_PATH_EVENTS,
    features: {
      full_business_logic: true,
      golden_path_integration: true,
      cloud_run_optimized: true,
      emergency_fallback: true,
      agent_orchestration: true,
    },
    timestamp: pythonIsoUtc(),
  });
}

export function errorMessage(errorCode: string, message: string) {
  return {
    type: 'error_message',
    error_code: errorCode,
    error_message: message,
    details: {},
    timestamp: unixSeconds(),
    recovery_suggestions: null,
  };
}

export function pong(userId: string) {
  return serverMessage('pong', { timestamp: unixSeconds(), user_id: userId });
}

export function heartbeat(connectionId: string, messagesSent: number) {
  return serverMessage('heartbeat', {
    connection_id: connectionId,
    timestamp: unixSeconds(),
    stats: { messages_sent: messagesSent },
  });
}

export function heartbeatAck() {
  return serverMessage('heartbeat_ack', { timestamp: unixSeconds() });
}
