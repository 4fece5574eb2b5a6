// The double's public types (the probe codes against these through index.ts).
import type { TracerProvider } from '@opentelemetry/api';
import type { FaultName } from './faults.ts';

export interface DoubleCredentials {
  bypassKey: string;
  /** The password-login user, and the identity provider's test user for the Google OAuth flow. */
  userEmail: string;
  userPassword: string;
  /** What the backend (and the probe) hold; some faults give the auth service a different one. */
  serviceSecret: string;
  jwtSecret: string;
}

export interface DoubleOptions {
  fault?: FaultName;
  /**
   * Makes the fault intermittent: one golden-path attempt in K gets it (the 1st, the (K+1)th, …; attempts
   * are counted by logins), the others meet a healthy double. Default 1: every attempt. Not for the
   * oauth_* faults, which change the OAuth wiring at start.
   */
  faultEvery?: number;
  host?: string;
  authPort?: number | undefined;
  apiPort?: number | undefined;
  credentials: DoubleCredentials;
  /** Total agent run time under `slow_agent`. */
  slowAgentMs?: number;
  tracerProviders?: { backend?: TracerProvider | undefined; auth?: TracerProvider | undefined };
  /** The fakes of Google's Cloud Run Admin, Secret Manager and Logging APIs. */
  google?: GoogleOptions | undefined;
}

export interface GoogleOptions {
  project?: string;
  region?: string;
  backendService?: string;
  authService?: string;
  /** Roles the fakes grant the caller's token; a call needing another answers 403 PERMISSION_DENIED. Default: all. */
  roles?: readonly string[];
  /** The first N Google requests answer 429 RESOURCE_EXHAUSTED with Retry-After: 0. */
  rateLimitFirst?: number;
  /** Changes to a service's environment after the fault's layout: null removes the variable. */
  env?: { backend?: Record<string, EnvOverride>; auth?: Record<string, EnvOverride> } | undefined;
  /** Secret versions put in another state, keyed `secret:number` (e.g. `jwt-secret-staging:3`). */
  versionStates?: Record<string, 'DISABLED' | 'DESTROYED'> | undefined;
}

export type EnvOverride = null | { value: string } | { secret: string; version: string };

/** Where the Google fakes listen and what they serve (base URLs replace https://run.googleapis.com and co). */
export interface RunningGoogle {
  runUrl: string;
  secretManagerUrl: string;
  loggingUrl: string;
  project: string;
  region: string;
  backendService: string;
  authService: string;
  /** The only bearer token the fakes accept. */
  accessToken: string;
}

export interface RecordedRequest {
  /** `provider` is the identity provider standing in for Google; `frontend` the web app's pages. */
  service: 'auth' | 'backend' | 'provider' | 'frontend' | 'google';
  method: string;
  /** Path without the query string (a query may carry `?token=`). */
  path: string;
  /** Lower-case header names; values are never recorded. */
  headerNames: string[];
  traceparent: string | null;
  /** 0 when no response was sent (connection reset, or closed before answering). */
  status: number;
  /** Epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  upgrade: boolean;
  /** The backend instance (0 or 1) the load balancer's front gave the request to; undefined for other services. */
  instance?: number;
}

export interface RunningDouble {
  authUrl: string;
  /**
   * The API host: the load balancer's front before two backend instances (chat messages and WebSockets per
   * instance, threads shared), pinning a client with its GCLB cookie (docs/double.md, "The conversation").
   */
  apiUrl: string;
  /** `/ws` on the API host, through the same front. */
  wsUrl: string;
  /** The web app: "Sign in with Google", /auth/callback, /auth/error (PROBE_FRONTEND_URL for --login browser). */
  frontendUrl: string;
  /** The identity provider standing in for Google (nothing listens there under oauth_provider_down). */
  providerUrl: string;
  fault: FaultName;
  /** 1, or K when one attempt in K gets the fault. */
  faultEvery: number;
  /** Logins seen so far, and how many of their attempts got the fault. */
  faultCounts(): { logins: number; faulted: number };
  /** Client connections open now on each server (keep-alive and WebSocket ones included). */
  openConnections(): { auth: number; backend: number; provider: number; frontend: number };
  requests: RecordedRequest[];
  google: RunningGoogle;
  close(): Promise<void>;
}
