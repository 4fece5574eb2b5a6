import type { Secret } from './secret.ts';

export type LoginMode = 'e2e' | 'password' | 'browser';
export type WsAuthMode = 'header' | 'subprotocol';

/** Everything one run needs, validated. Secrets only ever come from the environment. */
export interface RunConfig {
  apiUrl: string;
  authUrl: string;
  wsUrl: string;
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
  jsonPath: string | undefined;
  junitPath: string | undefined;
  htmlPath: string | undefined;
  traceUrlTemplate: string | undefined;
  failOnDegraded: boolean;
  logLevel: string;
}
