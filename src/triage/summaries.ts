import { knownSignature } from '../agent/known-signatures.ts';
import type { VerdictCode } from '../domain/verdict-codes.ts';
import type { HopReport } from '../report/types.ts';

type Summary = (hop: HopReport) => string;

const first = (hop: HopReport) => hop.evidence?.[0] ?? 'no detail';
const status = (hop: HopReport) => (hop.httpStatus ? `HTTP ${hop.httpStatus}` : 'no answer');

/** One sentence a person on call can act on, per verdict code: what broke, and where to look. */
const SUMMARIES: Record<Exclude<VerdictCode, 'PASS' | 'LATENCY_DEGRADED'>, Summary> = {
  LOGIN_REJECTED: (h) =>
    `The auth service refused the probe's login (${status(h)}): check PROBE_E2E_BYPASS_KEY against the auth ` +
    `service's E2E_OAUTH_SIMULATION_KEY, or the test user's credentials.`,
  LOGIN_UNAVAILABLE: (h) =>
    `The auth service could not log anyone in (${status(h)}; ${first(h)}): check the auth service's Cloud Run ` +
    `revision, its health and its logs.`,
  TOKEN_INVALID: (h) =>
    `The auth service issued a token that breaks its own rules (${first(h)}): check its clock and ` +
    `JWT_EXPIRATION_MINUTES, issuer and audience settings.`,
  TOKEN_REJECTED_BY_AUTH: () =>
    'The auth service rejects the token it just issued: its instances sign and verify with different ' +
    'JWT_SECRET_KEY values; make them all use the same secret.',
  SERVICE_SECRET_MISMATCH: () =>
    'The auth service rejects the service secret that the backend uses: SERVICE_SECRET was rotated on one side ' +
    'only; sync it between netra-backend and the auth service (and the probe).',
  SERVICE_ID_INVALID: () =>
    "The auth service rejects the backend's service id: set the backend's SERVICE_ID to netra-backend (the value " +
    'the auth service expects).',
  SERVICE_AUTH_NOT_CONFIGURED: () =>
    'The auth service has no SERVICE_SECRET configured, so it rejects every service-to-service call: set ' +
    'SERVICE_SECRET on the auth service.',
  BACKEND_REJECTS_VALID_TOKEN: (h) =>
    `The backend rejected at ${h.name} (${status(h)}) a token the auth service says is valid: check the backend's ` +
    `SERVICE_ID/SERVICE_SECRET and AUTH_SERVICE_URL, and its auth logs for this trace.`,
  BACKEND_AUTH_UNAVAILABLE: (h) =>
    `The backend cannot use the auth service at ${h.name} (503 or its auth circuit breaker is open): check ` +
    `AUTH_SERVICE_URL from the backend and the auth service's health.`,
  WS_UPGRADE_REJECTED: (h) =>
    `The backend refused the WebSocket upgrade with ${status(h)} before any authentication: check the load ` +
    `balancer's WebSocket route, the backend's readiness and the offered subprotocol.`,
  WS_AUTH_FAILED: () =>
    'WebSocket authentication failed after the upgrade and triage could not tell why: read the backend logs for ' +
    'this trace.',
  AUTH_BYPASSED: () =>
    'The backend let the WebSocket in as a made-up user without checking the token: set DEMO_MODE=0 and remove the ' +
    'E2E bypass settings from the staging backend.',
  AGENT_EVENTS_MISSING: (h) =>
    `The agent run did not deliver ${h.missing?.join(', ') || 'all events'} in time: check the agent runtime and the WebSocket event bridge.`,
  AGENT_EVENTS_OUT_OF_ORDER: (h) =>
    `The agent's events arrived out of order (${first(h)}): check the WebSocket event bridge's ordering.`,
  AGENT_FAILED: (h) => `The agent run failed (${first(h)}): check the agent runtime's logs for this trace.`,
  AGENT_RUN_ABORTED: (h) =>
    `The backend closed the socket before agent_completed (${first(h)}): check the backend's WebSocket message ` +
    `loop for a crash.`,
  REST_REJECTED: (h) =>
    `The backend rejected ${h.name} with ${status(h)} and triage could not tell why: check the backend's auth logs ` +
    `for this trace.`,
  BACKEND_ERROR: (h) => `The backend failed at ${h.name} (${first(h)}): check its logs for this trace.`,
  MESSAGE_NOT_PERSISTED: () =>
    'A chat message the backend said it created was missing from the read-back: check the messages store (in ' +
    'memory per instance).',
  CROSS_USER_EVENT: (h) =>
    `A synthetic user received another user's agent event (${first(h)}): per-user event routing is broken; treat ` +
    `it as a data leak.`,
  RUN_ABORTED: (h) => `The run was stopped during ${h.name} before it could finish: no conclusion about staging.`,
  // Causes behind a symptom: the finding's own fix sentence is used when there is one; these are the fallbacks.
  CONFIG_VARIABLE_MISSING: () =>
    'A service lacks SERVICE_ID, SERVICE_SECRET or JWT_SECRET_KEY: redeploy it with them mapped to their secrets.',
  CONFIG_SECRET_DIFFERS: () =>
    'The backend and the auth service read the same variable from different secrets: map it to one secret on both.',
  CONFIG_SECRET_VERSION_DIFFERS: () =>
    'The backend and the auth service hold different versions of one secret: give both the same version and redeploy.',
  CONFIG_SECRET_ROTATED_AFTER_START: () =>
    'A secret got a new version after a serving revision started: redeploy that service so its instances load it.',
  CONFIG_JWT_SECRETS_SPLIT: () =>
    'JWT_SECRET, JWT_SECRET_KEY and JWT_SECRET_STAGING do not map to one secret: map them all to the same one.',
  CONFIG_SECRET_VERSION_UNUSABLE: () =>
    'A mounted secret version is disabled or destroyed: point the service at an ENABLED version.',
  CONFIG_AUTH_URL_MISMATCH: () =>
    "The backend's AUTH_SERVICE_URL is not the auth service: set it to the auth service's URL and redeploy.",
  CONFIG_ENVIRONMENT_MISMATCH: () => 'A service runs with the wrong ENVIRONMENT: set the expected one and redeploy.',
  CONFIG_SECRET_VALUES_DIFFER: () =>
    'The two services hold different values for one secret variable: give both the same version and redeploy.',
  DB_SESSION_REFUSED: (h) =>
    `The backend refused ${h.name}'s request-scoped database session (POST /api/threads: 403 "Not authenticated" ` +
    'from get_request_scoped_db_session, not from the token): the path of the 2025-09-09 system-user incident; ' +
    "read the backend's logs for this trace for SYSTEM_USER_AUTH_FAILURE or create_request_scoped_db_session " +
    '(give the probe --gcp-project to read them itself).',
  SYSTEM_USER_AUTH_FAILED: () =>
    "The backend's system user was refused its request-scoped database session (SYSTEM_USER_AUTH_FAILURE in its " +
    "log): its service-to-service auth failed; check the backend's SERVICE_ID/SERVICE_SECRET against the auth " +
    'service.',
};

export function summaryFor(code: VerdictCode, hop: HopReport): string {
  if (code === 'PASS' || code === 'LATENCY_DEGRADED') return code;
  const arrived = (hop.events ?? []).map((e) => e.type);
  const signature = knownSignature(code, { missing: hop.missing ?? [], arrived });
  return signature?.summary ?? SUMMARIES[code](hop);
}
