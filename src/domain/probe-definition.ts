import type { HopName } from './hops.ts';

/**
 * What a probe is: which hops it runs, in which order, and when a hop counts as slow.
 * Definitions live in probes/; the engine in src/ runs them.
 */
export interface ProbeDefinition {
  name: string;
  description: string;
  /** Hops to run, in order. Hops missing from the list are not part of the probe (not reported). */
  hops: readonly HopName[];
  /** Per-hop time budget (ms). A hop that exceeds it fails as timed out. */
  hopTimeoutMs: Partial<Record<HopName, number>>;
  /** Per-hop degraded threshold (ms); `agent.run` uses the run's --agent-degraded-ms instead. */
  degradedMs: Partial<Record<HopName, number>>;
  /** The request sent in start_agent. */
  agentRequest: string;
  /**
   * Budget and degraded threshold of `login` with --login browser, which drives a real sign-in through
   * several pages and is seconds slower than an API login. Default 45 s and 10 s; one set alone moves the
   * other's default next to it rather than past it.
   */
  browserLogin?: { timeoutMs?: number; degradedMs?: number } | undefined;
  /**
   * Several targets (staging regions, tenants) probed by one definition. A run with --shard i/n (or
   * Cloud Run's CLOUD_RUN_TASK_INDEX/COUNT) takes targets i, i+n, i+2n, …; without targets the run's
   * --api-url/--auth-url are the one target. Credentials come from the environment for all of them.
   */
  targets?: readonly ProbeTarget[];
}

export interface ProbeTarget {
  name: string;
  apiUrl: string;
  authUrl: string;
  wsUrl?: string;
}
