import type { HopOutcome } from '../hops/hop-contract.ts';
import { describeClose, type Frame } from '../net/frame-queue.ts';
import { FrameTally } from '../net/frame-tally.ts';
import { serverText } from '../net/server-text.ts';
import type { AgentEventRecord } from '../report/types.ts';
import {
  agentEventOf,
  checkEventOrder,
  describeFailureFrame,
  type GoldenEvent,
  isFailureEvent,
  isGoldenEvent,
} from './agent-events.ts';
import { type FrameIds, frameType as topType } from './frame-ids.ts';
import { type RunIdentity, RunOwnership } from './frame-owner.ts';
import { knownSignature } from './known-signatures.ts';

/** Keeps a chatty backend from growing the report without bound. */
const MAX_RECORDED_EVENTS = 100;

/** What the agent.run rules are fed: the frames after start_agent, then how the wait ended (if it did). */
export type JudgeInput =
  /**
   * `atMs`: after start_agent (negative: before it); undefined when the source has no timing (a plain capture).
   * `beforeStart`: it arrived before start_agent was sent (a capture without timing says so by its order).
   */
  | { kind: 'frame'; json: unknown; form: Frame['kind']; atMs?: number | undefined; beforeStart?: boolean }
  | { kind: 'closed'; code: number; reason: string; error?: string }
  /** The agent deadline passed (`waitedMs`), or a capture ended (undefined) with the run undecided. */
  | { kind: 'deadline'; waitedMs?: number | undefined };

export interface JudgeStep {
  /** A golden event of this run, counted. */
  accepted?: { event: GoldenEvent; atMs: number };
  /** The hop's outcome, once the run is decided. */
  outcome?: HopOutcome;
}

/** Frames kept per run that is not linked to this run's thread yet: enough for a whole real run. */
const MAX_UNLINKED_FRAMES = 200;

type FrameInput = Extract<JudgeInput, { kind: 'frame' }>;

/**
 * The tool pair is the agent's choice: the one recorded healthy staging run (netra-systems/zen README.md
 * L83-125) ran no tool, and the backend's own validator orders the pair only when both came
 * (event_validator.py:868-876 at aebb16f77), though its completeness check requires all five (433-441,
 * 1015-1032): the pass rests on the recorded run. A run that used a tool must show both, in order.
 */
const TOOL_PAIR = ['tool_executing', 'tool_completed'] as const;
const NO_TOOL =
  'tool_executing/tool_completed did not come: the agent answered without a tool, which a healthy run may do';

/**
 * The agent.run rules, with no I/O: the live hop feeds it the socket's frames, `replay` a transcript's.
 * The first decisive frame (a leak, a failure frame, agent_completed) or the end of the wait decides.
 * Whose frames are whose is learned from what the backend says (RunOwnership); a frame of a run not yet
 * linked to this run's thread waits until a frame links it, or stays another run's.
 */
export class AgentRunJudge {
  readonly #owner: RunOwnership;
  readonly #events: AgentEventRecord[] = [];
  readonly #arrivals: GoldenEvent[] = [];
  readonly #tally = new FrameTally();
  readonly #unlinked = new Map<string, FrameInput[]>();
  #labelledByThread = 0;
  #otherRun: { count: number; first: string } | undefined;
  #announced: string[] = [];
  /** thread_created frames naming a thread that is not this run's. */
  #othersAnnounced: string[] = [];
  #soleRun: string | undefined;

  constructor(me: RunIdentity) {
    this.#owner = new RunOwnership(me);
  }

  /** The thread the backend announced in place of a made-up one, once it did. */
  get replacementThread(): string | undefined {
    return this.#owner.replacementThread;
  }

  take(input: JudgeInput): JudgeStep {
    if (input.kind === 'deadline') {
      // A thread-less run that was the only one on a quiet socket is this run's, even without its decisive frame.
      const sole = this.#owner.soleAtEnd();
      if (sole !== undefined) {
        this.#soleRun = sole;
        const earlier = this.#unlinked.get(sole) ?? [];
        this.#unlinked.delete(sole);
        for (const waiting of earlier) {
          const step = this.#own(waiting, false);
          if (step.outcome) return step;
        }
      }
      const { missing } = checkEventOrder(this.#arrivals);
      const when = input.waitedMs === undefined ? 'the capture ended;' : `after ${input.waitedMs} ms`;
      return this.#fail('AGENT_EVENTS_MISSING', [`${when} still missing: ${missing.join(', ')}`]);
    }
    if (input.kind === 'closed') return this.#fail('AGENT_RUN_ABORTED', describeClose(input, 'agent_completed'));

    const frame = input.json;
    // Every frame is checked, not only agent events: a leaked heartbeat or progress_update is a leak too.
    const early = input.beforeStart === true || (input.atMs !== undefined && input.atMs < 0);
    const owner = early ? this.#owner.classifyBeforeStart(frame) : this.#owner.classify(frame);
    switch (owner.kind) {
      case 'before_start':
        // Never this run's: the socket keeps every frame from the welcome on, and gets every run of the user.
        if (owner.named || agentEventOf(frame)) this.#countOther(frame, owner.ids);
        return {};
      case 'leak':
        return this.#fail('CROSS_USER_EVENT', [`received a ${frameType(frame)} frame ${describeForeign(owner.ids)}`]);
      case 'other_run':
        this.#countOther(frame, owner.ids);
        return {};
      case 'unlinked': {
        const waiting = this.#unlinked.get(owner.run) ?? [];
        if (waiting.length < MAX_UNLINKED_FRAMES) waiting.push(input);
        this.#unlinked.set(owner.run, waiting);
        return {};
      }
      case 'thread_announced':
        if (owner.adopted) this.#announced.push(owner.thread);
        else {
          this.#countOther(frame, { thread: owner.thread });
          if (this.#othersAnnounced.length < 3) this.#othersAnnounced.push(owner.thread);
        }
        return {};
    }
    // Frames of this run that came before the frame that linked it are this run's, in their order.
    let accepted: JudgeStep['accepted'];
    if (owner.sole) this.#soleRun = owner.linked;
    if (owner.linked !== undefined) {
      const earlier = this.#unlinked.get(owner.linked) ?? [];
      this.#unlinked.delete(owner.linked);
      for (const waiting of earlier) {
        const step = this.#own(waiting, false);
        if (step.outcome) return step;
        accepted = step.accepted ?? accepted;
      }
    }
    const step = this.#own(input, owner.labelledByThread);
    return step.accepted || step.outcome ? step : accepted ? { accepted } : {};
  }

  #countOther(frame: unknown, ids: FrameIds): void {
    this.#otherRun ??= { count: 0, first: `${frameType(frame)} for ${idList(ids)}` };
    this.#otherRun.count++;
  }

  /** A frame of this run: counted if it is a golden event, decisive if it fails or completes the run. */
  #own(input: FrameInput, labelledByThread: boolean): JudgeStep {
    const frame = input.json;
    if (labelledByThread) this.#labelledByThread++;
    const name = agentEventOf(frame);
    if (!name) {
      this.#tally.skip({ kind: input.form }); // heartbeat, progress_update, pong, binary, non-JSON, …
      return {};
    }
    if (isFailureEvent(name)) return this.#fail('AGENT_FAILED', [describeFailureFrame(name, frame)]);
    if (!isGoldenEvent(name)) return {};

    const atMs = input.atMs ?? 0;
    this.#arrivals.push(name);
    if (this.#events.length < MAX_RECORDED_EVENTS) this.#events.push({ type: name, atMs });
    const accepted = { event: name, atMs };
    if (name !== 'agent_completed') return { accepted };

    const check = checkEventOrder(this.#arrivals);
    const noTool = check.missing.length === 2 && TOOL_PAIR.every((e) => check.missing.includes(e));
    if (check.missing.length > 0 && !noTool) {
      const line = `agent_completed arrived without ${check.missing.join(', ')}`;
      return { accepted, ...this.#fail('AGENT_EVENTS_MISSING', [line]) };
    }
    if (check.outOfOrder.length > 0) return { accepted, ...this.#fail('AGENT_EVENTS_OUT_OF_ORDER', check.outOfOrder) };
    const timing = input.atMs === undefined ? '' : ` in ${input.atMs} ms`;
    const first = this.#owner.runIds[0];
    const run = first ? ` (run ${clip(first)})` : '';
    if (!noTool) {
      return { accepted, outcome: this.#outcome({ status: 'pass', evidence: [`all five events${timing}${run}`] }) };
    }
    const evidence = [`agent_started, agent_thinking, agent_completed${timing}${run}; the agent ran no tool`, NO_TOOL];
    return { accepted, outcome: { ...this.#outcome({ status: 'pass', evidence }), missing: [] } };
  }

  #fail(code: NonNullable<HopOutcome['code']>, lines: string[]): JudgeStep {
    const evidence = [...lines, seen(this.#arrivals)];
    const { missing } = checkEventOrder(this.#arrivals);
    const signature = knownSignature(code, { missing, arrived: this.#arrivals });
    if (signature) evidence.push(`known signature ${signature.id} (see "Known signatures" in the README)`);
    return { outcome: this.#outcome({ status: 'fail', code, evidence }) };
  }

  #outcome(outcome: Omit<HopOutcome, 'events' | 'missing'>): HopOutcome {
    const { missing } = checkEventOrder(this.#arrivals);
    return { ...outcome, evidence: [...outcome.evidence, ...this.#notes()], events: this.#events, missing };
  }

  /** What else came: skipped frames, labelling, other runs, and golden events that came more than once. */
  #notes(): string[] {
    const lines: string[] = [];
    const unreadable = this.#tally.unreadable();
    if (unreadable) lines.push(unreadable);
    if (this.#tally.other) {
      lines.push(`${this.#tally.other} other frames (heartbeats, progress updates, …) arrived between the events`);
    }
    if (this.#labelledByThread) {
      const n = this.#labelledByThread;
      lines.push(
        `the backend labels user_id with the thread id (${n} frame${n === 1 ? '' : 's'} of this run): ` +
          'its critical-path labelling, not another user',
      );
    }
    if (this.#announced.length) {
      lines.push(
        `the backend announced this run's thread: ${this.#announced.map((t) => JSON.stringify(clip(t))).join(', ')}`,
      );
    }
    if (this.#arrivals.length === 0 && this.#othersAnnounced.length > 0) {
      const threads = this.#othersAnnounced.map((t) => JSON.stringify(clip(t))).join(', ');
      lines.push(
        `no frame of this run came, but the backend announced thread ${threads}: if that was this run's, the ` +
          'backend did not keep the thread start_agent named (no row for it where the socket is served)',
      );
    }
    if (this.#soleRun !== undefined) {
      lines.push(
        `run ${clip(this.#soleRun)} taken as this run's: no frame named its thread, and it was the only run on ` +
          'the socket (the backend sent no acknowledgement naming the thread)',
      );
    }
    const runs = this.#owner.runIds;
    if (runs.length > 1)
      lines.push(`this run's ids, as the backend named them: ${runs.map((r) => clip(r)).join(', ')}`);
    // Runs never linked to this run's thread were another run's (counted once, when the run is decided).
    for (const [run, frames] of this.#unlinked) {
      for (const waiting of frames) this.#countOther(waiting.json, { run });
    }
    this.#unlinked.clear();
    if (this.#otherRun) {
      const { count, first } = this.#otherRun;
      lines.push(`ignored ${count} frame(s) of another run or thread of this user (first: ${first})`);
    }
    const counts = new Map<string, number>();
    for (const name of this.#arrivals) counts.set(name, (counts.get(name) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([name, n]) => `${name} ×${n}`);
    if (repeated.length) lines.push(`repeated: ${repeated.join(', ')}`);
    return lines;
  }
}

/** Every input at once: how `replay` judges a transcript. A stream that ends undecided is a deadline. */
export function judgeAgentRun(inputs: Iterable<JudgeInput>, me: RunIdentity): HopOutcome {
  const judge = new AgentRunJudge(me);
  for (const input of inputs) {
    const { outcome } = judge.take(input);
    if (outcome) return outcome;
  }
  return judge.take({ kind: 'deadline' }).outcome!;
}

function seen(arrivals: readonly string[]): string {
  return arrivals.length ? `received: ${arrivals.join(' → ')}` : 'received no agent event';
}

/** A leak always names a user; the run and thread it names, if any, follow. */
function describeForeign(ids: FrameIds): string {
  const { user, ...rest } = ids;
  const runOrThread = rest.run !== undefined || rest.thread !== undefined ? ` (its ${idList(rest)})` : '';
  return `for user ${JSON.stringify(clip(user ?? ''))}, not this run's user${runOrThread}`;
}

function idList(ids: FrameIds): string {
  const parts = [
    ids.user !== undefined ? `user ${JSON.stringify(clip(ids.user))}` : '',
    ids.run !== undefined ? `run ${JSON.stringify(clip(ids.run))}` : '',
    ids.thread !== undefined ? `thread ${JSON.stringify(clip(ids.thread))}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no ids';
}

function frameType(frame: unknown): string {
  const type = agentEventOf(frame) ?? topType(frame);
  return type !== undefined ? clip(type) : 'non-JSON';
}

/** Ids and types come from the server: bounded, and with any secret it echoed taken out. */
function clip(s: string): string {
  return serverText(s, 120);
}
