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

const FEATURES = {
  full_business_logic: true,
  golden_path_integration: true,
  cloud_run_optimized: true,
  emergency_fallback: true,
  agent_orchestration: true,
};

export function connectionEstablished(userId: string, connectionId: string) {
  return serverMessage('connection_established', {
    mode: 'main',
    user_id: truncatedUserId(userId),
    connection_id: connectionId,
    golden_path_events: GOLDEN_PATH_EVENTS,
    features: FEATURES,
    timestamp: pythonIsoUtc(),
  });
}

/**
 * The welcome recorded on staging on 2025-09-13, byte for byte in shape (no outer timestamp):
 * FAILING-TEST/gardener/FAILING-TEST-GARDENER-WORKLOG-e2e-gcp-remote-2025-09-13-1220.md:48 at aebb16f77.
 */
export function connectWelcome(userId: string, connectionId: string) {
  return {
    type: 'connect',
    data: {
      mode: 'main',
      user_id: truncatedUserId(userId),
      connection_id: connectionId,
      golden_path_events: GOLDEN_PATH_EVENTS,
      features: FEATURES,
    },
  };
}

/**
 * The older welcome recorded on staging on 2025-09-08/09: a system_message ServerMessage with the whole user id and
 * a `ws_<user id[:8]>_<epoch s>_<hex8>` connection id (reports/STAGING_E2E_TEST_RESULTS_20250908.md:90,
 * reports/P1_CRITICAL_TESTS_FINAL_VERIFICATION_REPORT.md:58-67 at aebb16f77).
 */
export function systemMessageWelcome(userId: string, hex8: string) {
  return serverMessage('system_message', {
    event: 'connection_established',
    connection_id: `ws_${userId.slice(0, 8)}_${Math.floor(Date.now() / 1000)}_${hex8}`,
    user_id: userId,
    connection_ready: true,
    factory_pattern_enabled: true,
  });
}

/**
 * The main loop's crash report (_handle_connection_error, websocket_ssot.py:1801-1825): recorded on staging as the
 * first frame, then close 1011 "main mode error" (tests/e2e/test_results/E2E-DEPLOY-REMEDIATE-WORKLOG-all-2025-09-15-
 * 1445.md:167: `get_websocket_manager` raised a TypeError). Shaped as recorded: type and data only.
 */
export function connectionErrorFrame() {
  return {
    type: 'error_message',
    data: {
      error_code: 'CONNECTION_ERROR',
      error_message: 'Connection error in main mode',
      details: { error_type: 'TypeError', mode: 'main' },
      timestamp: pythonIsoUtc(),
    },
  };
}

/** ThreadService's announcement of the thread it chose (thread_service.py:52). */
export function threadCreated(threadId: string) {
  return { type: 'thread_created', payload: { thread_id: threadId, timestamp: unixSeconds() } };
}

/** ThreadService's acknowledgement of a run, the first frame with the server's run id (thread_service.py:148). */
export function runAcknowledged(runId: string, threadId: string) {
  return {
    type: 'agent_started',
    payload: { run_id: runId, agent_name: 'netra-assistant', thread_id: threadId, timestamp: unixSeconds() },
  };
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
