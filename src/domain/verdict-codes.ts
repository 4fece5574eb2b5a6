// Every verdict code, the hop that gives it and what it means: a contract (alerts, dashboards, the report's
// verdict.code, error.type on spans). docs/verdicts.md says more; a code is added here first.
import type { HopName } from './hops.ts';

interface CodeInfo {
  /** Where the verdict points; null for a whole-run verdict; several when the symptom can show at either. */
  hops: readonly HopName[] | null;
  meaning: string;
}

const REST_HOPS = ['thread.create', 'chat.messages.list', 'chat.messages.create'] as const;
const BACKEND_AUTH_HOPS = ['ws.connect', ...REST_HOPS] as const;

export const VERDICT_CODES = {
  PASS: { hops: null, meaning: 'every hop passed' },
  LATENCY_DEGRADED: { hops: null, meaning: 'all passed, but a hop was slower than its degraded threshold' },
  LOGIN_REJECTED: { hops: ['login'], meaning: 'the auth service answered 401/403/422 to the login' },
  LOGIN_UNAVAILABLE: {
    hops: ['login', 'service.auth'],
    meaning: 'the auth service was unreachable, timed out, or answered something that is not its login answer',
  },
  TOKEN_INVALID: { hops: ['token'], meaning: 'the issued token fails the local claim checks' },
  TOKEN_REJECTED_BY_AUTH: {
    hops: ['service.auth', ...BACKEND_AUTH_HOPS],
    meaning: 'the auth service says its own fresh token is invalid (JWT_SECRET_KEY drift)',
  },
  SERVICE_SECRET_MISMATCH: {
    hops: ['service.auth', ...BACKEND_AUTH_HOPS],
    meaning: '/auth/validate with the service credentials answers invalid_service_secret',
  },
  SERVICE_ID_INVALID: {
    hops: ['service.auth', ...BACKEND_AUTH_HOPS],
    meaning: '/auth/validate with the service credentials answers invalid_service_id',
  },
  SERVICE_AUTH_NOT_CONFIGURED: {
    hops: ['service.auth', ...BACKEND_AUTH_HOPS],
    meaning: '/auth/validate with the service credentials answers service_not_configured',
  },
  BACKEND_REJECTS_VALID_TOKEN: {
    hops: BACKEND_AUTH_HOPS,
    meaning: 'the backend rejects a token that the auth service validates',
  },
  BACKEND_AUTH_UNAVAILABLE: {
    hops: BACKEND_AUTH_HOPS,
    meaning: 'the backend says the auth service is unavailable (503) or its auth circuit breaker is open',
  },
  WS_UPGRADE_REJECTED: { hops: ['ws.connect'], meaning: 'the WebSocket upgrade got an HTTP status other than 101' },
  WS_AUTH_FAILED: {
    hops: ['ws.connect'],
    meaning:
      'WebSocket auth failed after the upgrade (or no welcome came, in any recorded shape) and triage could not say more',
  },
  AUTH_BYPASSED: {
    hops: ['ws.connect'],
    meaning: 'the welcome names a demo/relaxed/mock user: the backend did not really authenticate',
  },
  AGENT_EVENTS_MISSING: {
    hops: ['agent.run'],
    meaning: "not all the run's events arrived before the agent deadline (the tool pair only when a tool started)",
  },
  AGENT_EVENTS_OUT_OF_ORDER: { hops: ['agent.run'], meaning: "the run's events arrived in the wrong order" },
  AGENT_FAILED: {
    hops: ['agent.run'],
    meaning: 'agent_error, agent_failed, agent_death or error_message during the run',
  },
  AGENT_RUN_ABORTED: { hops: ['agent.run'], meaning: 'the socket closed before agent_completed' },
  REST_REJECTED: { hops: REST_HOPS, meaning: 'REST 401/403 and triage could not say more' },
  BACKEND_ERROR: {
    hops: BACKEND_AUTH_HOPS,
    meaning: 'a 5xx, no answer or an unexpected body from the backend, not explained by auth',
  },
  MESSAGE_NOT_PERSISTED: {
    hops: ['chat.messages.create'],
    meaning: 'the created message is missing from the read-back, though the affinity cookie pinned both requests',
  },
  CHAT_INSTANCE_NOT_PINNED: {
    hops: ['chat.messages.create'],
    meaning:
      'the read-back missed the created message and no affinity cookie pinned the client: messages are kept per ' +
      'instance',
  },
  CROSS_USER_EVENT: { hops: ['agent.run'], meaning: "a frame of another user's run arrived on this user's socket" },
  RUN_ABORTED: {
    hops: null,
    meaning: 'the probe was told to stop (SIGTERM/SIGINT, the run deadline) during a hop: no conclusion about staging',
  },
  // Causes found behind the symptom: the deployed configuration (hop config), and the services' own logs.
  CONFIG_VARIABLE_MISSING: {
    hops: ['config'],
    meaning: "a service's serving revision lacks SERVICE_ID, SERVICE_SECRET or JWT_SECRET_KEY",
  },
  CONFIG_SECRET_DIFFERS: {
    hops: ['config'],
    meaning: 'the same variable maps to different secrets (or a plain value) on the two services',
  },
  CONFIG_SECRET_VERSION_DIFFERS: {
    hops: ['config'],
    meaning: 'the same secret, but the two services hold different versions (at least one pinned)',
  },
  CONFIG_SECRET_ROTATED_AFTER_START: {
    hops: ['config'],
    meaning: 'latest moved after a serving revision started: its instances hold the old version',
  },
  CONFIG_JWT_SECRETS_SPLIT: {
    hops: ['config'],
    meaning: 'JWT_SECRET, JWT_SECRET_KEY, JWT_SECRET_STAGING do not all map to one secret',
  },
  CONFIG_SECRET_VERSION_UNUSABLE: {
    hops: ['config'],
    meaning: 'a mounted secret version is DISABLED, DESTROYED or does not exist',
  },
  CONFIG_AUTH_URL_MISMATCH: {
    hops: ['config'],
    meaning: "the backend's AUTH_SERVICE_URL is neither the probe's auth URL nor one of the auth service's URLs",
  },
  CONFIG_ENVIRONMENT_MISMATCH: { hops: ['config'], meaning: "a service's ENVIRONMENT is not the expected one" },
  CONFIG_SECRET_VALUES_DIFFER: {
    hops: ['config'],
    meaning: "with --compare-secret-values: the two services' secret values differ",
  },
  DB_SESSION_REFUSED: {
    hops: ['thread.create'],
    meaning:
      "POST /api/threads answered 403 'Not authenticated' from the request-scoped database session " +
      '(get_request_scoped_db_session), with no log line naming the system user',
  },
  SYSTEM_USER_AUTH_FAILED: {
    hops: ['thread.create'],
    meaning:
      'the backend logged SYSTEM_USER_AUTH_FAILURE: its system user was refused its database session ' +
      '(service-to-service auth)',
  },
} as const satisfies Record<string, CodeInfo>;

export type VerdictCode = keyof typeof VERDICT_CODES;

/** What the configuration pre-flight can find in the deployed Cloud Run services and their secrets. */
export type ConfigFindingCode = Extract<VerdictCode, `CONFIG_${string}`>;
