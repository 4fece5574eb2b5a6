// What each fault changes, in one place: the services read these knobs, never the fault name,
// so a fault is exactly the sum of its effects and a test of one effect covers every fault using it.
import type { FaultName } from './faults.ts';

export interface AuthEffects {
  /** Accept TCP, then reset every request (auth_down). */
  down: boolean;
  /** The auth service holds a different e2e key and no matching password (bad_bypass_key). */
  rejectCredentials: boolean;
  /** Tokens are minted already expired (token_expired). */
  mintExpired: boolean;
  /** Tokens are signed with a secret other than the one /auth/validate checks (jwt_secret_drift). */
  signingSecretDrift: boolean;
  /** The auth service's SERVICE_SECRET: the shared one, a rotated one, or none. */
  serviceSecret: 'shared' | 'rotated' | 'unset';
  /** The service id /auth/validate expects in X-Service-ID. */
  expectedServiceId: string;
  /** This many logins answer 503 before logins work (flaky_first_login: a cold start failing once). */
  failFirstLogins: number;
}

export type AgentScriptKind =
  | 'normal'
  | 'stall'
  | 'error'
  | 'abort'
  | 'slow'
  | 'fallback'
  | 'out_of_order'
  | 'cross_user'
  | 'nested'
  | 'critical_dropped'
  | 'thread_labelled'
  | 'recorded';

export interface BackendEffects {
  /** Answer every WebSocket upgrade with HTTP 403 (ws_upgrade_403). */
  rejectUpgrades: boolean;
  /** How WebSocket auth ends: really validate, reject anyway (ws_auth_failed), or skip (demo_bypass). */
  wsAuth: 'strict' | 'always_fail' | 'demo';
  /** The backend's auth circuit breaker is open: no call to auth is made (auth_circuit_open). */
  authCircuitOpen: boolean;
  agentScript: AgentScriptKind;
  chat: 'normal' | 'always_403' | 'always_500' | 'not_persisted';
  /** The backend sends its SERVICE_ID to /auth/validate (false: deployed without it, backend_missing_service_id). */
  sendsServiceId: boolean;
  /**
   * The request-scoped database session (get_request_scoped_db_session): opens, or is refused with the system-user
   * incident's 403 "Not authenticated" on every database route (/api/threads*) and silences start_agent, whose
   * handler opens the same session (threads_db_403, system_user_403).
   */
  database: 'ok' | 'refused';
  /**
   * What the socket hears first after a successful authentication: the welcome of aebb16f77, one of the two
   * recorded older welcomes (welcome_connect, welcome_system_message), or the main loop's crash frame and close
   * 1011 (ws_backend_crash).
   */
  welcome: 'connection_established' | 'connect' | 'system_message' | 'crash';
  /** The front pins a client to an instance with its GCLB cookie, or sets none and alternates (no_affinity_cookie). */
  affinity: 'cookie' | 'none';
  /**
   * Another client of the same user runs whenever this one starts a run: none; on its own thread
   * (other_client_run, other_client_completes_first); on the thread the backend picks for it, the user's newest
   * active one — this client's (other_client_same_thread).
   */
  otherClient: 'none' | 'own_thread' | 'same_thread';
}

/** What the fakes of Google's APIs show about the deployment (fixed at start, like the OAuth wiring). */
export interface GoogleEffects {
  /**
   * How the services' secrets are deployed: all on `latest` and consistent; SERVICE_SECRET pinned to
   * versions 7 and 8 (service_secret_mismatch); `latest` moved after the backend's revision started
   * (secret_rotated); the backend without SERVICE_ID (backend_missing_service_id).
   */
  deployment: 'consistent' | 'pinned_versions_split' | 'rotated_after_backend_start' | 'backend_without_service_id';
  /** The backend logs SYSTEM_USER_AUTH_FAILURE when its database routes answer 403 (system_user_403). */
  systemUserFailure: boolean;
}

/** The Google OAuth path: the identity provider standing in for Google and the auth service's client of it. */
export interface OAuthEffects {
  /** The identity provider is not listening: its authorize URL points at a closed port (oauth_provider_down). */
  providerDown: boolean;
  /** The provider's test user has a password nobody else holds (oauth_wrong_password). */
  passwordDrift: boolean;
  /** The consent page's answer is taken as a deny: access_denied goes back to the callback (oauth_consent_denied). */
  consentDenied: boolean;
  /**
   * The provider's registration of the auth service's client no longer allows the `profile` scope, so the
   * authorize endpoint sends `invalid_scope` to /auth/callback, which redirects to the frontend's /auth/error
   * (oauth_callback_error).
   */
  clientScopeRestricted: boolean;
}

export interface FaultEffects {
  auth: AuthEffects;
  backend: BackendEffects;
  oauth: OAuthEffects;
  google: GoogleEffects;
}

const HEALTHY: FaultEffects = {
  auth: {
    down: false,
    rejectCredentials: false,
    mintExpired: false,
    signingSecretDrift: false,
    serviceSecret: 'shared',
    expectedServiceId: 'netra-backend',
    failFirstLogins: 0,
  },
  backend: {
    rejectUpgrades: false,
    wsAuth: 'strict',
    authCircuitOpen: false,
    agentScript: 'normal',
    chat: 'normal',
    sendsServiceId: true,
    database: 'ok',
    welcome: 'connection_established',
    affinity: 'cookie',
    otherClient: 'none',
  },
  oauth: { providerDown: false, passwordDrift: false, consentDenied: false, clientScopeRestricted: false },
  google: { deployment: 'consistent', systemUserFailure: false },
};

type Overrides = {
  auth?: Partial<AuthEffects>;
  backend?: Partial<BackendEffects>;
  oauth?: Partial<OAuthEffects>;
  google?: Partial<GoogleEffects>;
};

const OVERRIDES: Record<FaultName, Overrides> = {
  healthy: {},
  bad_bypass_key: { auth: { rejectCredentials: true } },
  auth_down: { auth: { down: true } },
  token_expired: { auth: { mintExpired: true } },
  // The auth service was redeployed with SERVICE_SECRET pinned to the new version, the backend kept the old one.
  service_secret_mismatch: { auth: { serviceSecret: 'rotated' }, google: { deployment: 'pinned_versions_split' } },
  ws_upgrade_403: { backend: { rejectUpgrades: true } },
  ws_auth_failed: { backend: { wsAuth: 'always_fail' } },
  demo_bypass: { backend: { wsAuth: 'demo' } },
  agent_stall: { backend: { agentScript: 'stall' } },
  agent_error: { backend: { agentScript: 'error' } },
  ws_abort: { backend: { agentScript: 'abort' } },
  slow_agent: { backend: { agentScript: 'slow' } },
  fallback_envelope: { backend: { agentScript: 'fallback' } },
  rest_403: { backend: { chat: 'always_403' } },
  rest_500: { backend: { chat: 'always_500' } },
  jwt_secret_drift: { auth: { signingSecretDrift: true } },
  // As if the seeded `service-id-staging` value (`netra-auth`) had reached the auth side's expectation:
  // the backend and the probe both send `netra-backend` and are both refused.
  service_id_invalid: { auth: { expectedServiceId: 'netra-auth' } },
  service_not_configured: { auth: { serviceSecret: 'unset' } },
  auth_circuit_open: { backend: { authCircuitOpen: true } },
  events_out_of_order: { backend: { agentScript: 'out_of_order' } },
  message_not_persisted: { backend: { chat: 'not_persisted' } },
  flaky_first_login: { auth: { failFirstLogins: 1 } },
  // Another user's run leaks onto this socket (the thread-id-as-user-id routing of send_to_thread).
  cross_user_leak: { backend: { agentScript: 'cross_user' } },
  // Every event as the bridge's dict with a `data` object: the shape the probe was first built on.
  nested_events: { backend: { agentScript: 'nested' } },
  // emit_critical_event looks the connection up by the thread id, finds none and gives up: agent_thinking
  // and agent_completed never reach the user (unified_manager.py:560-575 at aebb16f77).
  events_dropped_by_routing: { backend: { agentScript: 'critical_dropped' } },
  // Every frame of the run labelled user_id = the thread id, as send_to_thread's routing would label them.
  thread_user_id: { backend: { agentScript: 'thread_labelled' } },
  oauth_provider_down: { oauth: { providerDown: true } },
  oauth_wrong_password: { oauth: { passwordDrift: true } },
  oauth_consent_denied: { oauth: { consentDenied: true } },
  oauth_callback_error: { oauth: { clientScopeRestricted: true } },
  // A new version of service-secret-staging after the backend's instances started: the auth service's hold it.
  secret_rotated: { auth: { serviceSecret: 'rotated' }, google: { deployment: 'rotated_after_backend_start' } },
  // #115, before it bites: /auth/validate checks service credentials only when both headers come.
  backend_missing_service_id: {
    backend: { sendsServiceId: false },
    google: { deployment: 'backend_without_service_id' },
  },
  // The system-user incident (five whys of 2025-09-09) failed in get_request_scoped_db_session
  // (dependencies.py:188-435): the database routes answer 403, /api/chat/messages (in memory, messages.py:96-104)
  // never opens that session. Until issue 19 this fault put the 403 on the chat routes, which cannot show it.
  system_user_403: { backend: { database: 'refused' }, google: { systemUserFailure: true } },
  other_client_run: { backend: { otherClient: 'own_thread' } },
  // This run stalls as under agent_stall while the other client's run of the same user completes.
  other_client_completes_first: { backend: { otherClient: 'own_thread', agentScript: 'stall' } },
  other_client_same_thread: { backend: { otherClient: 'same_thread' } },
  welcome_connect: { backend: { welcome: 'connect' } },
  welcome_system_message: { backend: { welcome: 'system_message' } },
  ws_backend_crash: { backend: { welcome: 'crash' } },
  // As system_user_403 without the backend's log line: the session is refused, the GCP evidence names no cause.
  threads_db_403: { backend: { database: 'refused' } },
  no_affinity_cookie: { backend: { affinity: 'none' } },
  // The shape of the one healthy run recorded on staging: no tool events at all.
  no_tool_events: { backend: { agentScript: 'recorded' } },
};

export function effectsOf(fault: FaultName): FaultEffects {
  const o = OVERRIDES[fault];
  return {
    auth: { ...HEALTHY.auth, ...o.auth },
    backend: { ...HEALTHY.backend, ...o.backend },
    oauth: { ...HEALTHY.oauth, ...o.oauth },
    google: { ...HEALTHY.google, ...o.google },
  };
}
