import type { Logger } from 'pino';
import type WebSocket from 'ws';
import type { WsTranscript } from '../agent/ws-transcript.ts';
import type { Secret } from '../config/secret.ts';
import type { RunConfig } from '../config/types.ts';
import type { ProbeDefinition } from '../domain/probe-definition.ts';
import type { VerdictCode } from '../domain/verdict-codes.ts';
import type { TokenSource } from '../gcp/access-token.ts';
import type { CookieJar } from '../net/cookie-jar.ts';
import type { FrameQueue } from '../net/frame-queue.ts';
import type { HttpSender } from '../net/http-client.ts';
import type { AgentEventRecord, ConfigFinding, HopNetworkError } from '../report/types.ts';

/** What earlier hops produced for later ones. Lives for one attempt only. */
export interface RunState {
  accessToken?: Secret;
  /** `sub` of the access token, when it could be decoded. */
  tokenSubject?: string | undefined;
  socket?: WebSocket;
  /** The socket's frames, buffered from the moment it opened. */
  frames?: FrameQueue;
  /** Every frame sent and received on the socket, for the report. */
  transcript?: WsTranscript;
  /** The thread start_agent names: the one thread.create made, else one the probe made up (docs/agent-events.md). */
  threadId: string;
  /** `created`: the backend made threadId (thread.create); `client`: made up, the backend replaces it. */
  threadSource: 'created' | 'client';
  /** The cookies the API host set during this run (its load balancer's instance affinity). */
  cookies: CookieJar;
  /** What the run created in staging, deleted at its end (best effort, src/runner/clean-up.ts). */
  created: { thread?: string; message?: string };
  /** What hop config found in the deployed configuration (undefined: it did not run or could not read it). */
  configFindings?: ConfigFinding[];
  /** Google credentials for this run, shared by hop config and the log lookup. */
  gcpToken?: TokenSource;
}

export interface HopContext {
  config: RunConfig;
  definition: ProbeDefinition;
  runId: string;
  /** Records each request's timing for the hop report. */
  http: HttpSender;
  log: Logger;
  /** Aborts at the hop's own budget, the run deadline or a signal to stop. */
  signal: AbortSignal;
  state: RunState;
}

/** A hop's own finding, before the runner adds timing and degraded status. */
export interface HopOutcome {
  /** `degraded`: the hop found a problem that has not broken the golden path (hop config's findings). */
  status: 'pass' | 'fail' | 'skip' | 'degraded';
  code?: VerdictCode;
  httpStatus?: number;
  evidence: string[];
  events?: AgentEventRecord[];
  missing?: string[];
  skippedBecause?: string;
  /** The code stands as it is: triage's answer about the token cannot turn this symptom into a cause. */
  settled?: boolean;
  /** Files the hop saved as evidence (browser screenshots), also named in `evidence`. */
  artifacts?: string[];
  /** The request got no answer: the kind of network error, for advice by kind. */
  network?: HopNetworkError;
}

export type Hop = (ctx: HopContext) => Promise<HopOutcome>;
