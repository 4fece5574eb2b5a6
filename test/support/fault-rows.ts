// The double's faults and the verdict each must give through the real CLI, shared by test/hops/<hop>.test.ts
// (each runs the rows whose verdict points at its hop) and test/domain/verdict-codes.test.ts.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { HopName } from '../../src/domain/hops.ts';
import type { VerdictCode } from '../../src/domain/verdict-codes.ts';
import { runCli } from './run-cli.ts';

// The agent's deadlines a row runs with, chosen so that no verdict depends on how fast a loaded machine is: on
// the shared 2-core CI machine a 100 ms step of the double's agent was seen to take 2 s (20×). Each set keeps the
// threshold that decides the row far from where the double's agent lands, and costs no waiting when all is well.

/** An agent that completes (every row but the two below): degraded only past 30 s, 15× the worst seen for a
 * ~0.1 s healthy run; the deadlines are never waited for, so they cost nothing. */
export const HEALTHY_AGENT = ['--agent-timeout-ms', '45000', '--agent-degraded-ms', '30000', '--timeout-ms', '60000'];
/** An agent that never completes (a stall, events lost on the way): AGENT_EVENTS_MISSING whenever the deadline
 * fires, so only the wait is timed — 2 s, twice the 1 s (20×) that the events it does send, sent within ~50 ms,
 * would take under load (the sentence names which arrived); the degraded threshold never matters. */
export const STALLED_AGENT = ['--agent-timeout-ms', '2000', '--agent-degraded-ms', '1900', '--timeout-ms', '15000'];
/** slow_agent: the double spreads its events over 1 s with chained timers, which load only delays, so the run is
 * always past the 0.3 s threshold; the 45 s deadline is 45× the agent, far beyond any slowdown seen. */
export const SLOW_AGENT = [
  '--slow-agent-ms',
  '1000',
  '--agent-timeout-ms',
  '45000',
  '--agent-degraded-ms',
  '300',
  '--timeout-ms',
  '60000',
];

export interface FaultRow {
  fault: string;
  result: 'pass' | 'degraded' | 'fail';
  failedHop: HopName | null;
  code: VerdictCode;
  exit: number;
  extra?: string[];
}

// docs/double.md's table, row by row: the faults of the double and the verdict each must give.
export const FAULT_ROWS: readonly FaultRow[] = [
  { fault: 'healthy', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  { fault: 'bad_bypass_key', result: 'fail', failedHop: 'login', code: 'LOGIN_REJECTED', exit: 1 },
  { fault: 'auth_down', result: 'fail', failedHop: 'login', code: 'LOGIN_UNAVAILABLE', exit: 1 },
  { fault: 'token_expired', result: 'fail', failedHop: 'token', code: 'TOKEN_INVALID', exit: 1 },
  // The demo points hop config at the double's Google fakes: the cause (two pinned versions) comes first.
  {
    fault: 'service_secret_mismatch',
    result: 'fail',
    failedHop: 'service.auth',
    code: 'CONFIG_SECRET_VERSION_DIFFERS',
    exit: 1,
  },
  {
    fault: 'service_secret_mismatch',
    result: 'fail',
    failedHop: 'service.auth',
    code: 'SERVICE_SECRET_MISMATCH',
    exit: 1,
    extra: ['--no-gcp'],
  },
  { fault: 'ws_upgrade_403', result: 'fail', failedHop: 'ws.connect', code: 'WS_UPGRADE_REJECTED', exit: 1 },
  { fault: 'ws_auth_failed', result: 'fail', failedHop: 'ws.connect', code: 'BACKEND_REJECTS_VALID_TOKEN', exit: 1 },
  { fault: 'demo_bypass', result: 'fail', failedHop: 'ws.connect', code: 'AUTH_BYPASSED', exit: 1 },
  { fault: 'agent_stall', result: 'fail', failedHop: 'agent.run', code: 'AGENT_EVENTS_MISSING', exit: 1 },
  { fault: 'agent_error', result: 'fail', failedHop: 'agent.run', code: 'AGENT_FAILED', exit: 1 },
  { fault: 'ws_abort', result: 'fail', failedHop: 'agent.run', code: 'AGENT_RUN_ABORTED', exit: 1 },
  { fault: 'slow_agent', result: 'degraded', failedHop: null, code: 'LATENCY_DEGRADED', exit: 0 },
  { fault: 'fallback_envelope', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  { fault: 'rest_403', result: 'fail', failedHop: 'chat.messages.list', code: 'BACKEND_REJECTS_VALID_TOKEN', exit: 1 },
  { fault: 'rest_500', result: 'fail', failedHop: 'chat.messages.list', code: 'BACKEND_ERROR', exit: 1 },
  // Without the service secret the same fault is seen by the backend's rejection.
  {
    fault: 'service_secret_mismatch',
    result: 'fail',
    failedHop: 'ws.connect',
    code: 'BACKEND_REJECTS_VALID_TOKEN',
    exit: 1,
    extra: ['--no-service-secret', '--no-gcp', '--probe', 'auth-only'],
  },
  // With thread.create in the path, the backend's rejection shows first at POST /api/threads (401).
  {
    fault: 'service_secret_mismatch',
    result: 'fail',
    failedHop: 'thread.create',
    code: 'BACKEND_REJECTS_VALID_TOKEN',
    exit: 1,
    extra: ['--no-service-secret', '--no-gcp'],
  },
  {
    fault: 'service_secret_mismatch',
    result: 'fail',
    failedHop: 'ws.connect',
    code: 'CONFIG_SECRET_VERSION_DIFFERS',
    exit: 1,
    extra: ['--no-service-secret', '--probe', 'auth-only'],
  },
  { fault: 'jwt_secret_drift', result: 'fail', failedHop: 'service.auth', code: 'TOKEN_REJECTED_BY_AUTH', exit: 1 },
  {
    fault: 'jwt_secret_drift',
    result: 'fail',
    failedHop: 'ws.connect',
    code: 'TOKEN_REJECTED_BY_AUTH',
    exit: 1,
    extra: ['--no-service-secret', '--probe', 'auth-only'],
  },
  {
    fault: 'jwt_secret_drift',
    result: 'fail',
    failedHop: 'thread.create',
    code: 'TOKEN_REJECTED_BY_AUTH',
    exit: 1,
    extra: ['--no-service-secret'],
  },
  { fault: 'service_id_invalid', result: 'fail', failedHop: 'service.auth', code: 'SERVICE_ID_INVALID', exit: 1 },
  {
    fault: 'service_not_configured',
    result: 'fail',
    failedHop: 'service.auth',
    code: 'SERVICE_AUTH_NOT_CONFIGURED',
    exit: 1,
  },
  {
    fault: 'auth_circuit_open',
    result: 'fail',
    failedHop: 'ws.connect',
    code: 'BACKEND_AUTH_UNAVAILABLE',
    exit: 1,
    extra: ['--probe', 'auth-only'],
  },
  { fault: 'auth_circuit_open', result: 'fail', failedHop: 'thread.create', code: 'BACKEND_AUTH_UNAVAILABLE', exit: 1 },
  { fault: 'events_out_of_order', result: 'fail', failedHop: 'agent.run', code: 'AGENT_EVENTS_OUT_OF_ORDER', exit: 1 },
  {
    fault: 'message_not_persisted',
    result: 'fail',
    failedHop: 'chat.messages.create',
    code: 'MESSAGE_NOT_PERSISTED',
    exit: 1,
  },
  {
    fault: 'slow_agent',
    result: 'degraded',
    failedHop: null,
    code: 'LATENCY_DEGRADED',
    exit: 1,
    extra: ['--fail-on-degraded'],
  },
  { fault: 'flaky_first_login', result: 'fail', failedHop: 'login', code: 'LOGIN_UNAVAILABLE', exit: 1 },
  { fault: 'cross_user_leak', result: 'fail', failedHop: 'agent.run', code: 'CROSS_USER_EVENT', exit: 1 },
  // The shapes of the real backend's wire: the old nested form, and its two real behaviours.
  { fault: 'nested_events', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  { fault: 'events_dropped_by_routing', result: 'fail', failedHop: 'agent.run', code: 'AGENT_EVENTS_MISSING', exit: 1 },
  { fault: 'thread_user_id', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  // The deployment behind the services, read through the double's Google fakes.
  {
    fault: 'secret_rotated',
    result: 'fail',
    failedHop: 'service.auth',
    code: 'CONFIG_SECRET_ROTATED_AFTER_START',
    exit: 1,
  },
  {
    fault: 'secret_rotated',
    result: 'fail',
    failedHop: 'service.auth',
    code: 'SERVICE_SECRET_MISMATCH',
    exit: 1,
    extra: ['--no-gcp'],
  },
  {
    fault: 'backend_missing_service_id',
    result: 'degraded',
    failedHop: null,
    code: 'CONFIG_VARIABLE_MISSING',
    exit: 0,
  },
  { fault: 'backend_missing_service_id', result: 'pass', failedHop: null, code: 'PASS', exit: 0, extra: ['--no-gcp'] },
  // The system-user incident's 403 comes from the request-scoped database session, which /api/threads opens
  // and /api/chat/messages never does (dependencies.py:520, messages.py:95-100): thread.create shows it.
  { fault: 'system_user_403', result: 'fail', failedHop: 'thread.create', code: 'SYSTEM_USER_AUTH_FAILED', exit: 1 },
  {
    fault: 'system_user_403',
    result: 'fail',
    failedHop: 'thread.create',
    code: 'DB_SESSION_REFUSED',
    exit: 1,
    extra: ['--no-gcp'],
  },
  { fault: 'threads_db_403', result: 'fail', failedHop: 'thread.create', code: 'DB_SESSION_REFUSED', exit: 1 },
  // Issue 19: the real conversation. Another client of the same user on the same socket is never borrowed.
  { fault: 'other_client_run', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  {
    fault: 'other_client_completes_first',
    result: 'fail',
    failedHop: 'agent.run',
    code: 'AGENT_EVENTS_MISSING',
    exit: 1,
  },
  { fault: 'other_client_same_thread', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  // The recorded healthy staging run's shape: no tool events (the agent answered without a tool) is a pass.
  { fault: 'no_tool_events', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  // The recorded welcome and crash frames.
  { fault: 'welcome_connect', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  { fault: 'welcome_system_message', result: 'pass', failedHop: null, code: 'PASS', exit: 0 },
  { fault: 'ws_backend_crash', result: 'fail', failedHop: 'ws.connect', code: 'BACKEND_ERROR', exit: 1 },
  // Two instances, and a front that pins no one: the read-back's verdict is named, not MESSAGE_NOT_PERSISTED.
  {
    fault: 'no_affinity_cookie',
    result: 'fail',
    failedHop: 'chat.messages.create',
    code: 'CHAT_INSTANCE_NOT_PINNED',
    exit: 1,
  },
];

/** Where the row's verdict points: the failed hop, else the slow hop or hop config for a degraded run. */
export function verdictHop(row: FaultRow): HopName | null {
  if (row.failedHop) return row.failedHop;
  if (row.code === 'LATENCY_DEGRADED') return 'agent.run';
  return row.code.startsWith('CONFIG_') ? 'config' : null;
}

/** The rows whose verdict names `hop`; none is a mistake (a hop's test file would then run no test and pass). */
export function faultRowsAt(hop: HopName | null): FaultRow[] {
  const rows = FAULT_ROWS.filter((row) => verdictHop(row) === hop);
  if (rows.length === 0) throw new Error(`no fault row gives its verdict at ${hop ?? 'no hop'}`);
  return rows;
}

/** Faults under which the double's agent sends nothing although the socket is open: the database routes refuse
 * their session, and the real handler only logs that failure (docs/double.md), so the run waits out its deadline. */
export const AGENT_SILENT_FAULTS: ReadonlySet<string> = new Set(['threads_db_403', 'system_user_403']);

/** The deadlines for a row: its verdict must not depend on the machine's speed (see HEALTHY_AGENT). */
export function agentDeadlinesFor(row: { fault: string; code: string }): string[] {
  if (row.fault === 'slow_agent') return SLOW_AGENT;
  if (row.code === 'AGENT_EVENTS_MISSING' || AGENT_SILENT_FAULTS.has(row.fault)) return STALLED_AGENT;
  return HEALTHY_AGENT;
}

/** One test: `demo --fault` gives the row's result, failed hop, verdict and exit code, with evidence, no token. */
export function itGivesItsVerdict(row: FaultRow): void {
  const extra = row.extra ? ` ${row.extra.join(' ')}` : '';
  it(`${row.fault}${extra} → ${row.result} ${row.failedHop ?? '-'} ${row.code} exit ${row.exit}`, async () => {
    const out = await runCli(['demo', '--fault', row.fault, ...agentDeadlinesFor(row), ...(row.extra ?? [])]);
    assert.ok(out.report, `no report written; stderr: ${out.stderr}`);
    const { report } = out;
    assert.deepEqual(
      { result: report.result, failedHop: report.failedHop, code: report.verdict.code, exit: out.code },
      { result: row.result, failedHop: row.failedHop, code: row.code, exit: row.exit },
      `stdout:\n${out.stdout}\nstderr:\n${out.stderr}`,
    );
    assert.equal(report.verdict.hop, verdictHop(row));
    if (row.code.startsWith('CONFIG_') || row.code === 'SYSTEM_USER_AUTH_FAILED') {
      // A cause found behind the symptom: named first, the symptom kept beside it.
      assert.equal(report.verdict.symptom?.hop ?? 'config', row.failedHop ?? 'config');
    }
    if (row.result === 'fail') {
      assert.ok(report.verdict.evidence.length > 0, 'a failure carries evidence');
      assert.ok(report.verdict.summary.length > 20, 'a failure carries a summary');
    }
    // The human summary names the verdict (the code when it says more than the result: "PASS  (…)", not
    // "PASS  PASS"); no token ever reaches the output.
    const result = row.result.toUpperCase();
    assert.ok(out.stdout.includes(row.code === result ? `\n${result}  (` : `\n${result}  ${row.code}`), out.stdout);
    assert.doesNotMatch(out.stdout + out.stderr + JSON.stringify(report), /eyJ[\w-]+\.[\w-]+/);
  });
}
