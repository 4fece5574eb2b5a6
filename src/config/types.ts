import type { GcpSettings } from './gcp-settings.ts';
import type { Secret } from './secret.ts';

export type LoginMode = 'e2e' | 'password' | 'browser';
export type WsAuthMode = 'header' | 'subprotocol';

/** Everything one run needs, validated. Secrets only ever come from the environment. */
export interface RunConfig {
  apiUrl: string;
  authUrl: string;
  wsUrl: string;
  /** Web app base URL; a browser login starts there. */
  frontendUrl: string | undefined;
  login: LoginMode;
  bypassKey: Secret | undefined;
  userEmail: string | undefined;
  userPassword: Secret | undefined;
  serviceId: string;
  serviceSecret: Secret | undefined;
  wsAuth: WsAuthMode;
  timeoutMs: number;
  agentTimeoutMs: number;
  agentDegradedMs: number;
  probe: string;
  /** Extra attempts after a failed one (0 = none). */
  retries: number;
  /** Independent synthetic users in one run. */
  users: number;
  /** This process's share of the probe's targets: index (0-based) of count. */
  shard: { index: number; count: number };
  artifactsDir: string | undefined;
  /** Chromium for --login browser: PROBE_CHROMIUM_PATH, else Debian's. */
  chromiumPath: string;
  jsonPath: string | undefined;
  junitPath: string | undefined;
  htmlPath: string | undefined;
  /** --transcript: the WebSocket frames as JSONL. */
  transcriptPath: string | undefined;
  traceUrlTemplate: string | undefined;
  failOnDegraded: boolean;
  logLevel: string;
  /** With --gcp-project: hop config reads the deployment, and triage reads the services' error logs. */
  gcp: GcpSettings | undefined;
}
