// The faults the double can be started with (docs/double.md, plus extras so every verdict code is reachable).
// Order is docs/double.md's table order, extras last: the demo and the docs list them in this order.
// The oauth_* faults act on the Google OAuth path only (identity provider, auth callback, frontend), so they
// show with `--login browser`; an e2e or password login never meets them and passes.

export const FAULTS = [
  'healthy',
  'bad_bypass_key',
  'auth_down',
  'token_expired',
  'service_secret_mismatch',
  'ws_upgrade_403',
  'ws_auth_failed',
  'demo_bypass',
  'agent_stall',
  'agent_error',
  'ws_abort',
  'slow_agent',
  'fallback_envelope',
  'rest_403',
  'rest_500',
  'jwt_secret_drift',
  'service_id_invalid',
  'service_not_configured',
  'auth_circuit_open',
  'events_out_of_order',
  'message_not_persisted',
  'flaky_first_login',
  'cross_user_leak',
  'nested_events',
  'events_dropped_by_routing',
  'thread_user_id',
  'oauth_provider_down',
  'oauth_wrong_password',
  'oauth_consent_denied',
  'oauth_callback_error',
  // The deployment behind the services, as the double's Cloud Run / Secret Manager / Logging fakes show it.
  'secret_rotated',
  'backend_missing_service_id',
  'system_user_403',
  // The real backend's conversation (issue 19): other clients of the same user, the recorded welcome and crash
  // frames, the database route's 403, a front without session affinity.
  'other_client_run',
  'other_client_completes_first',
  'other_client_same_thread',
  'welcome_connect',
  'welcome_system_message',
  'ws_backend_crash',
  'threads_db_403',
  'no_affinity_cookie',
  'no_tool_events',
] as const;

export type FaultName = (typeof FAULTS)[number];

export function isFaultName(s: string): s is FaultName {
  return (FAULTS as readonly string[]).includes(s);
}
