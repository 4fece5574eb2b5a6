// The backend's runtime configuration: its AUTH_SERVICE_URL, SERVICE_ID / SERVICE_SECRET (always
// the shared secret: faults rotate the auth side, never this one) and the fault's effects in force.
import type { BackendEffects } from '../fault-effects.ts';

export interface BackendSettings {
  /** The effects in force now (an intermittent fault switches them at each login); read per request. */
  effects: () => BackendEffects;
  authUrl: string;
  serviceId: string;
  serviceSecret: string;
  slowAgentMs: number;
  /** Aborted by close(): cancels in-flight auth calls and agent timers. */
  lifetime: AbortSignal;
}
