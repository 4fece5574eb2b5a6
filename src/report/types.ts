// The report contract (docs/report.md, docs/report.schema.json). Others parse it: change only on purpose.

import type { HopName } from '../domain/hops.ts';
import type { ConfigFindingCode, VerdictCode } from '../domain/verdict-codes.ts';
import type { NetworkErrorKind } from '../net/network-error.ts';

export const REPORT_SCHEMA = 'golden-path-probe/report@1';

export type HopStatus = 'pass' | 'fail' | 'skip' | 'degraded';
/** `aborted`: the probe was told to stop (SIGINT/SIGTERM) mid-run; no conclusion about staging, never a failure. */
export type RunResult = 'pass' | 'degraded' | 'fail' | 'aborted';

/** One problem in the deployed configuration: what, where, and the one thing to do about it. */
export interface ConfigFinding {
  code: ConfigFindingCode;
  /** Cloud Run service names involved. */
  services: string[];
  /** Environment variable names involved. */
  variables: string[];
  /** Secret versions involved, as `secret:version`. */
  versions: string[];
  /** The times that prove it (revision starts, version creations), RFC 3339. */
  times: string[];
  evidence: string[];
  /** One sentence with the fix. */
  fix: string;
}

export interface AgentEventRecord {
  type: string;
  /** Milliseconds from sending start_agent to the frame's arrival (monotonic clock). */
  atMs: number;
}

export interface HopReport {
  name: HopName;
  status: HopStatus;
  durationMs: number;
  /** Offset of the hop's start from the run's start, for waterfalls. */
  startMs: number;
  httpStatus?: number;
  /** The verdict code this hop produced on its own (before triage). */
  code?: VerdictCode;
  /** One line per fact a person needs: statuses, response details, close codes. Never a secret. */
  evidence?: string[];
  events?: AgentEventRecord[];
  missing?: string[];
  skippedBecause?: string;
  /** When the hop's request got no answer: what kind of network error (DNS, refused, reset, TLS, timeout, …). */
  network?: HopNetworkError;
  /** The hop's HTTP requests: where each one's time went (new connection's DNS/TCP/TLS, time to first byte). */
  requests?: HttpRequestReport[];
  /**
   * Evidence files the hop saved (screenshots of a failed browser login, under --artifacts); also named in `evidence`.
   */
  artifacts?: string[];
}

export interface HopNetworkError {
  kind: NetworkErrorKind;
  /** The error's code (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, …), `timeout` for the probe's deadline. */
  code: string;
}

export interface HttpRequestReport {
  method: string;
  path: string;
  /** Absent when no answer came. */
  status?: number;
  /** On a keep-alive connection opened earlier: no DNS, TCP or TLS time. */
  reused: boolean;
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
}

export interface Verdict {
  code: VerdictCode;
  hop: HopName | null;
  summary: string;
  evidence: string[];
  /** When the code is a cause found behind the symptom (configuration, logs): the symptom the hops saw. */
  symptom?: { code: VerdictCode; hop: HopName | null };
}

export interface TargetReport {
  /** The definition's name for the target, when the probe has several. */
  name?: string;
  api: string;
  auth: string;
  ws: string;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  probe: string;
  runId: string;
  attempt: number;
  target: TargetReport;
  startedAt: string;
  durationMs: number;
  result: RunResult;
  failedHop: HopName | null;
  verdict: Verdict;
  traceId: string | null;
  traceUrl: string | null;
  hops: HopReport[];
  /** With --retries: true when a failed attempt was followed by a passing one. */
  flaky?: boolean;
  /** With --retries: every attempt, in order, the last one being this report itself (without this field). */
  attempts?: Report[];
  /** With a GCP project configured: what the configuration pre-flight found (empty: nothing wrong). */
  findings?: ConfigFinding[];
  /** With --users N > 1: the aggregate over every synthetic user (`hops` are then the first failing user's). */
  users?: UsersSummary;
  /** The WebSocket's frames, both ways, bounded and scrubbed; absent when no socket opened. */
  transcript?: Transcript;
  /** What the run created in staging and tried to delete at its end (best effort, never a verdict). */
  cleanup?: CleanupNote[];
}

export interface CleanupNote {
  resource: 'thread' | 'chat_message';
  id: string;
  deleted: boolean;
  /** The DELETE's answer, or why there was none. */
  detail: string;
}

export interface TranscriptEntry {
  dir: 'sent' | 'received' | 'closed';
  /** Milliseconds after the upgrade's 101 (monotonic clock). */
  atMs: number;
  /** Size on the wire (a close: of its reason). */
  bytes: number;
  /** What the probe read it as: the agent event, else the frame's type, `binary`, `non-JSON` or `close`. */
  readAs: string;
  /** The frame's text, secrets and JWT-shaped strings taken out, cut to 2048 characters; empty for binary. */
  frame: string;
  /** The text was cut: `frame` is no longer whole JSON. */
  cut?: boolean;
  /** The ids the frame named (user_id, run_id, thread_id; ≤ 120 characters each): a cut frame can still be judged. */
  ids?: { user?: string; run?: string; thread?: string };
  /** A close's code, and the probe's reason when its side ended the socket. */
  code?: number;
  error?: string;
}

export interface Transcript {
  /** The token's user (sub), when the token could be decoded. */
  user: string | null;
  /** The thread start_agent named (or the backend's replacement of a made-up one). */
  thread: string;
  /** `created`: thread.create made it; `client`: the probe made it up (replay reads frames by this). */
  threadSource?: 'created' | 'client';
  frames: TranscriptEntry[];
  /** Frames left out between the first and the last ones kept, to stay within the bounds. */
  omitted: number;
}

export interface HopAggregate {
  hop: HopName;
  pass: number;
  degraded: number;
  fail: number;
  skip: number;
  /** Over the users whose hop ran (not skipped). */
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export interface UsersSummary {
  count: number;
  passed: number;
  degraded: number;
  failed: number;
  /** Verdict code → how many users got it. */
  verdicts: Record<string, number>;
  perHop: HopAggregate[];
  /** The user whose hops and verdict the report shows (0-based). */
  shownUser: number;
}
