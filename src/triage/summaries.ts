import { knownSignature } from '../agent/known-signatures.ts';
import type { LoginMode } from '../config/types.ts';
import type { VerdictCode } from '../domain/verdict-codes.ts';
import { adviceFor, chromiumErrorKind, type NetworkErrorKind } from '../net/network-error.ts';
import type { HopReport } from '../report/types.ts';

/** What a sentence may depend on besides the hop: how the run logged in, and where it pointed. */
export interface VerdictContext {
  login?: LoginMode | undefined;
  apiUrl?: string | undefined;
  authUrl?: string | undefined;
  wsUrl?: string | undefined;
  /** A replayed capture that ran out of frames before the run finished (no deadline was reached). */
  captureEnded?: boolean | undefined;
  /** Triage saw the auth and api URLs the other way round. */
  urlsSwapped?: boolean | undefined;
  /** A GCP project is configured: the probe reads the services' logs itself (it must not be told to). */
  gcpProject?: boolean | undefined;
}

type Summary = (hop: HopReport, ctx: VerdictContext) => string;

const first = (hop: HopReport) => hop.evidence?.[0] ?? 'no detail';
/**
 * The missing events a person should chase: when neither tool event came, the tool pair is not named beside
 * agent_completed (a run whose agent uses no tool sends none, and passes without them: docs/agent-events.md), so
 * on-call looks at the run that did not finish, not at the tool bridge. The evidence still lists all of them.
 */
function missingToChase(hop: HopReport): string {
  const missing = hop.missing ?? [];
  const noTool = missing.includes('tool_executing') && missing.includes('tool_completed');
  const chase = noTool ? missing.filter((e) => e !== 'tool_executing' && e !== 'tool_completed') : missing;
  return chase.join(', ') || missing.join(', ') || 'all events';
}
const status = (hop: HopReport) => (hop.httpStatus ? `HTTP ${hop.httpStatus}` : 'no answer');

/** A login that was refused: by its HTTP status when one came, else by what the browser saw; never "no answer". */
const refusal = (hop: HopReport) => (hop.httpStatus ? `HTTP ${hop.httpStatus}` : first(hop));

/** Advice by login mode: the bypass key only when an e2e login was refused. */
function loginRejected(hop: HopReport, ctx: VerdictContext): string {
  switch (ctx.login) {
    case 'browser':
      return (
        `The sign-in through the browser was refused (${refusal(hop)}): check PROBE_USER_EMAIL and ` +
        `PROBE_USER_PASSWORD for the test user at the identity provider, and the frontend's OAuth settings.`
      );
    case 'password':
      return (
        `The auth service refused the test user's password login (${refusal(hop)}): check PROBE_USER_EMAIL and ` +
        `PROBE_USER_PASSWORD (does the user exist, is the password current?).`
      );
    case 'e2e':
      return (
        `The auth service refused the probe's e2e login (${refusal(hop)}): check PROBE_E2E_BYPASS_KEY against the ` +
        `auth service's E2E_OAUTH_SIMULATION_KEY (and that its ENVIRONMENT allows the e2e login).`
      );
    default:
      return (
        `The auth service refused the probe's login (${refusal(hop)}): check PROBE_E2E_BYPASS_KEY against the auth ` +
        `service's E2E_OAUTH_SIMULATION_KEY, or the test user's credentials.`
      );
  }
}

/** Who the hop talks to, and at which URL (said once: the hop's evidence has the request's own words). */
function peer(hop: HopReport, ctx: VerdictContext): { who: string; url: string } {
  if (hop.name === 'login' || hop.name === 'service.auth')
    return { who: 'the auth service', url: ctx.authUrl ?? 'its URL' };
  if (hop.name === 'ws.connect') return { who: 'the backend', url: ctx.wsUrl ?? ctx.apiUrl ?? 'its URL' };
  return { who: 'the backend', url: ctx.apiUrl ?? 'its URL' };
}

/** A network-error kind as the sentence names it: the acronyms in capitals. */
const kindLabel = (kind: NetworkErrorKind): string => (kind === 'dns' ? 'DNS' : kind === 'tls' ? 'TLS' : kind);

/** A request that got no answer: what to check depends on the kind of network error, not on the hop. */
function noAnswer(hop: HopReport, ctx: VerdictContext, what: string): string | undefined {
  const net = hop.network;
  if (!net) return undefined;
  const { who, url } = peer(hop, ctx);
  const Who = who[0]!.toUpperCase() + who.slice(1);
  // The probe's own deadline: the service may well be reachable; it did not answer.
  if (net.code === 'timeout') {
    return (
      `${Who} at ${url} did not answer ${what} before the deadline: check its Cloud Run revision, its health and ` +
      'its logs (a cold start, a hung instance, or a firewall dropping packets).'
    );
  }
  return `${Who} could not be reached ${what} (${kindLabel(net.kind)}: ${net.code}): ${adviceFor(net.kind, who, url)}.`;
}

/** One sentence a person on call can act on, per verdict code: what broke, and where to look. */
const SUMMARIES: Record<Exclude<VerdictCode, 'PASS' | 'LATENCY_DEGRADED'>, Summary> = {
  LOGIN_REJECTED: loginRejected,
  LOGIN_UNAVAILABLE: (h, ctx) =>
    noAnswer(h, ctx, `at ${h.name}`) ??
    (ctx.login === 'browser' ? browserUnavailable(h) : undefined) ??
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
  AGENT_EVENTS_MISSING: (h, ctx) =>
    ctx.captureEnded
      ? `The capture ends before the agent run delivered ${missingToChase(h)}: it holds no more ` +
        'frames (was the recording stopped early?); judge a capture that runs to agent_completed or to the deadline.'
      : `The agent run did not deliver ${missingToChase(h)} in time: check the agent runtime and the WebSocket event bridge.`,
  AGENT_EVENTS_OUT_OF_ORDER: (h) =>
    `The agent's events arrived out of order (${first(h)}): check the WebSocket event bridge's ordering.`,
  AGENT_FAILED: (h) => `The agent run failed (${first(h)}): check the agent runtime's logs for this trace.`,
  AGENT_RUN_ABORTED: (h) =>
    `The backend closed the socket before agent_completed (${first(h)}): check the backend's WebSocket message ` +
    `loop for a crash.`,
  REST_REJECTED: (h) =>
    `The backend rejected ${h.name} with ${status(h)} and triage could not tell why: check the backend's auth logs ` +
    `for this trace.`,
  BACKEND_ERROR: (h, ctx) =>
    noAnswer(h, ctx, `at ${h.name}`) ?? `The backend failed at ${h.name} (${first(h)}): check its logs for this trace.`,
  MESSAGE_NOT_PERSISTED: () =>
    'A chat message the backend said it created was missing from the read-back: check the messages store (in ' +
    'memory per instance).',
  CHAT_INSTANCE_NOT_PINNED: () =>
    'The load balancer did not pin this client to one backend instance (no affinity cookie was set), and each ' +
    "instance keeps its own chat messages: a browser's read-back misses its messages the same way. Check the " +
    "backend service's session affinity (GENERATED_COOKIE) on the staging load balancer.",
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
  DB_SESSION_REFUSED: (h, ctx) =>
    `The backend refused ${h.name}'s request-scoped database session (POST /api/threads: 403 "Not authenticated" ` +
    'from get_request_scoped_db_session, not from the token): the path of the 2025-09-09 system-user incident; ' +
    "read the backend's logs for this trace for SYSTEM_USER_AUTH_FAILURE or create_request_scoped_db_session" +
    (ctx.gcpProject ? '.' : ' (give the probe --gcp-project to read them itself).'),
  SYSTEM_USER_AUTH_FAILED: () =>
    "The backend's system user was refused its request-scoped database session (SYSTEM_USER_AUTH_FAILURE in its " +
    "log): its service-to-service auth failed; check the backend's SERVICE_ID/SERVICE_SECRET against the auth " +
    'service.',
};

/**
 * A browser sign-in that could not load a page: the page's service (frontend, identity provider, auth service)
 * and Chromium's network error, advised by kind like any other (src/net/network-error.ts).
 */
function browserUnavailable(hop: HopReport): string {
  const seen =
    /^the (frontend|identity provider|auth service) could not be reached at (\S+): (net::ERR_[A-Z0-9_]+)/.exec(
      first(hop),
    );
  if (!seen) {
    return (
      `The browser sign-in could not complete (${first(hop)}): check the frontend, the identity provider and the ` +
      'auth service it names: their URLs, health and logs.'
    );
  }
  const [, role, url, code] = seen as unknown as [string, string, string, string];
  const kind = chromiumErrorKind(code);
  return `The ${role} could not be reached during the browser sign-in (${kindLabel(kind)}: ${code}): ${adviceFor(kind, `the ${role}`, url)}.`;
}

const SWAPPED =
  ' The two /health answers say --api-url and --auth-url are the other way round: swap them (PROBE_API_URL, ' +
  'PROBE_AUTH_URL).';

export function summaryFor(code: VerdictCode, hop: HopReport, ctx: VerdictContext = {}): string {
  if (code === 'PASS' || code === 'LATENCY_DEGRADED') return code;
  const arrived = (hop.events ?? []).map((e) => e.type);
  const signature = knownSignature(code, { missing: hop.missing ?? [], arrived });
  const sentence = signature?.summary ?? SUMMARIES[code](hop, ctx);
  // The swap explains any failure it causes; said first, because it is the fix.
  return ctx.urlsSwapped ? `${SWAPPED.trim()} Symptom: ${sentence}` : sentence;
}
