import type { HopOutcome } from '../hops/hop-contract.ts';
import { saysAuthUnavailable } from '../net/auth-unavailable.ts';
import { describeClose } from '../net/frame-queue.ts';
import { FrameTally } from '../net/frame-tally.ts';
import { serverText } from '../net/server-text.ts';
import type { JudgeInput } from './agent-run-judge.ts';
import { type ConnectFrame, readConnectFrame } from './connect-frames.ts';

/**
 * User ids the backend invents when it did not really check the token (netra-protocol.md §3): DEMO mode
 * (`demo-user-001`), RELAXED mode (`relaxed_NNNN`), the header/env E2E bypass (`staging-e2e-user-NNN`)
 * and mocks. The backend cuts ids to 8 characters + "...", so prefixes are matched.
 */
const BYPASS_PREFIXES = ['demo-use', 'relaxed_', 'staging-', 'mock_', 'mock-'];

export function isBypassUser(userId: string): boolean {
  const id = userId.toLowerCase();
  return BYPASS_PREFIXES.some((p) => id.startsWith(p));
}

export interface ConnectStep {
  /** The welcome frame, when this input was it: the socket is open for the agent. */
  welcome?: Extract<ConnectFrame, { kind: 'welcome' }>;
  outcome?: HopOutcome;
}

type ErrorFrame = Extract<ConnectFrame, { kind: 'error' }>;

/**
 * The ws.connect rules after the 101, with no I/O: the live hop feeds it the socket's frames, `replay` a
 * capture's. A welcome (any recorded shape) opens the socket, unless it names a user the backend invents
 * when it skips the token check; an error frame says why the socket closes; the close code decides what
 * the error frame left open (1008: a policy refusal, the auth path; 1011: the backend's own error unless an
 * auth code came first, unified_websocket_auth.py:833-842 closes 1011 for VALIDATION_FAILED and others).
 */
export class ConnectJudge {
  readonly #subject: string | undefined;
  readonly #tally = new FrameTally();
  #error: { frame: ErrorFrame; line: string } | undefined;

  constructor(me: { subject?: string | undefined }) {
    this.#subject = me.subject || undefined;
  }

  take(input: JudgeInput): ConnectStep {
    if (input.kind === 'deadline') return { outcome: this.#deadline() };
    if (input.kind === 'closed') return { outcome: this.#closed(input) };
    const read = readConnectFrame(input.json);
    if (read.kind === 'welcome') return { welcome: read, outcome: this.#welcome(read) };
    if (read.kind === 'error') this.#error = { frame: read, line: describeError(read) };
    else this.#tally.skip({ kind: input.form });
    return {};
  }

  #welcome(welcome: Extract<ConnectFrame, { kind: 'welcome' }>): HopOutcome {
    const userId = welcome.userId ?? '';
    // Decided on the id as sent; quoted bounded and scrubbed: a hostile server may echo the token as the id.
    const shown = serverText(userId);
    const shape = welcome.shape === 'connection_established' ? '' : ` (as ${welcome.shape})`;
    const evidence = [`connection_established${shape} for user ${JSON.stringify(shown)}`, ...this.#ignored()];
    if (isBypassUser(userId)) {
      const why = `"${shown}" is a user the backend invents when it skips the token check (DEMO_MODE, RELAXED or E2E bypass)`;
      return { status: 'fail', code: 'AUTH_BYPASSED', httpStatus: 101, evidence: [...evidence, why] };
    }
    const sub = this.#subject;
    if (sub && userId && !sub.startsWith(userId.replace(/\.\.\.$/, ''))) {
      evidence.push(`note: the token's sub begins ${JSON.stringify(sub.slice(0, 8))}, the backend named another user`);
    }
    return { status: 'pass', httpStatus: 101, evidence };
  }

  #deadline(): HopOutcome {
    const silence = `no connection_established before the deadline; the socket stayed open${
      this.#tally.other ? ` and sent ${this.#tally.other} other frames` : ' and silent'
    }`;
    const evidence = [this.#error?.line ?? silence, ...this.#ignored()];
    const errorClass = this.#error?.frame.errorClass;
    if (errorClass === 'backend')
      return { status: 'fail', code: 'BACKEND_ERROR', httpStatus: 101, evidence, settled: true };
    if (errorClass === 'unavailable')
      return { status: 'fail', code: 'BACKEND_AUTH_UNAVAILABLE', httpStatus: 101, evidence };
    // Nothing was rejected: the backend never finished authenticating. Triage cannot make this a rejection.
    return { status: 'fail', code: 'WS_AUTH_FAILED', httpStatus: 101, evidence, settled: this.#error === undefined };
  }

  #closed(close: Extract<JudgeInput, { kind: 'closed' }>): HopOutcome {
    const evidence = [...describeClose(close, 'connection_established'), ...this.#ignored()];
    if (this.#error) evidence.unshift(this.#error.line);
    const fail = (code: NonNullable<HopOutcome['code']>, settled = false): HopOutcome => ({
      status: 'fail',
      code,
      httpStatus: 101,
      evidence,
      ...(settled ? { settled } : {}),
    });
    if (close.error) return fail('BACKEND_ERROR');
    const errorClass = this.#error?.frame.errorClass;
    if (errorClass === 'unavailable' || saysAuthUnavailable(close.reason)) {
      return fail('BACKEND_AUTH_UNAVAILABLE');
    }
    if (errorClass === 'auth') return fail('WS_AUTH_FAILED');
    if (errorClass === 'backend') {
      // The backend's own crash (recorded on staging: CONNECTION_ERROR, TypeError, then 1011): triage's answer
      // about the token must not turn it into a rejected token.
      evidence.push("the backend's own error, not a rejected token: its logs for this trace say where it failed");
      return fail('BACKEND_ERROR', true);
    }
    if (close.code === 1008) return fail('WS_AUTH_FAILED');
    return fail('BACKEND_ERROR');
  }

  #ignored(): string[] {
    const line = this.#tally.unreadable();
    return line ? [line] : [];
  }
}

/** Every input at once: how `replay` judges the frames before start_agent. Undecided at the end: undefined. */
export function judgeConnect(
  inputs: Iterable<JudgeInput>,
  me: { subject?: string | undefined },
): HopOutcome | undefined {
  const judge = new ConnectJudge(me);
  for (const input of inputs) {
    const { outcome } = judge.take(input);
    if (outcome) return outcome;
  }
  return undefined;
}

/** What the backend said, bounded and scrubbed: `error_message: CODE (ErrorType): message`. */
export function describeError(error: ErrorFrame): string {
  const code = error.code ? serverText(error.code, 60) : '';
  const type = error.errorType ? ` (${serverText(error.errorType, 60)})` : '';
  const message = error.message ? serverText(error.message, 240) : '';
  const text = [`${code}${type}`, message].filter(Boolean).join(': ');
  return text ? `error_message: ${text}` : 'error_message';
}
