import { agentEventOf, isFailureEvent } from './agent-events.ts';
import { type FrameIds, frameIds, frameType } from './frame-ids.ts';

/**
 * Who this run is before the backend says more: the token's user and the thread start_agent named.
 * `threadSource`: `created` when the backend made the thread (POST /api/threads) and so keeps it;
 * `client` when the probe made the id up, which the real backend replaces with a thread of its own and
 * announces with `thread_created` (message_handlers.py:128-133, thread_service.py:52 at aebb16f77).
 */
export interface RunIdentity {
  subject?: string | undefined;
  threadId: string;
  threadSource?: 'created' | 'client' | undefined;
}

export type Ownership =
  /**
   * This run's. `labelledByThread`: its user_id is this run's thread id (the backend's labelling).
   * `linked`: a run id this frame taught the owner (the acknowledgement's, or another agent_started's).
   */
  | { kind: 'own'; labelledByThread: boolean; linked?: string | undefined; sole?: boolean }
  /** thread_created: `adopted` when it is the backend's replacement of this run's made-up thread. */
  | { kind: 'thread_announced'; thread: string; adopted: boolean }
  /**
   * A run this socket has not linked to a thread yet, named by a frame of this user (or of nobody): it may
   * still turn out to be this run's (a bridge agent_started can precede the frame that names the thread).
   */
  | { kind: 'unlinked'; run: string; ids: FrameIds }
  /** Another run or thread of this same user (every socket of a user gets every run of it). */
  | { kind: 'other_run'; ids: FrameIds }
  /** Another user's id on a frame of another run or of no run: the only CROSS_USER_EVENT. */
  | { kind: 'leak'; ids: FrameIds }
  /**
   * A frame that arrived before this run's start_agent: never this run's (the backend answers a request it has
   * not read yet with nothing). Its runs and threads are another run's from now on. `named`: it named a run, a
   * thread or a thread label (a welcome or a heartbeat names none).
   */
  | { kind: 'before_start'; ids: FrameIds; named: boolean };

/**
 * Whose frame is whose, learned from what the backend says (docs/agent-events.md, "Whose frame it is"):
 * - this run's threads: the one start_agent named, and, when the probe made it up, the first thread the
 *   backend announces after start_agent;
 * - this run's run id: the first run id on a frame that names one of this run's threads — by `thread_id`, by
 *   `user_id` (the backend labels user_id with the thread id: agent_websocket_bridge.py:2065, 3125), or
 *   embedded in the run id itself (`run_{thread_id}_{ts}_{hex}`, unified_id_manager.py:411): normally the
 *   acknowledgement's (thread_service.py:148). Another run id naming the same thread later is another client's
 *   run in this thread. A run id is never guessed.
 * - a user_id is a thread label, not a user, when it is a thread this socket has seen announced or named,
 *   the frame's own thread id, inside the frame's own run id, or named like the backend's threads (`thread_…`).
 * - a frame that arrived before this run's start_agent is never this run's; its run ids are another run's.
 */
/**
 * A thread id with and without its `thread_` prefix is one thread: the backend makes unprefixed ids "to
 * prevent double prefixing" (unified_id_manager.py:500-517) and embeds the id it was given in run ids
 * (`run_session_…` on staging, README.md L83-125 at HEAD, while thread_created named `thread_session_…`).
 */
function threadKey(id: string): string {
  return id.startsWith('thread_') ? id.slice('thread_'.length) : id;
}

/**
 * The backend names every thread it makes `thread_…`: POST /api/threads gives `thread_<n>_<hex8>`
 * (threads_route.py:51 → thread_creators.py:12-23 → unified_id_manager.py:92-103 at aebb16f77), its fallback
 * `thread_session_<ms>_<hex8>` (thread_repository.py:102-104, unified_id_manager.py:500-517). The user_id of
 * agent_started and of the critical frames is such a thread id (agent_websocket_bridge.py:2059-2067, 3124-3129),
 * and these frames reach only the user's own sockets (unified_manager.py:353-381): a `thread_…` user_id is one of
 * this user's threads — another run's when it is not this run's — never another user. User ids are not named so.
 */
function looksLikeThread(id: string): boolean {
  return id.startsWith('thread_') && id.length > 'thread_'.length;
}

class ThreadSet {
  readonly #keys = new Set<string>();
  add(id: string): void {
    if (threadKey(id)) this.#keys.add(threadKey(id));
  }
  has(id: string): boolean {
    return this.#keys.has(threadKey(id));
  }
  /** A run id made from one of these threads (`run_{thread_id}_{ts}_{hex}`, unified_id_manager.py:411). */
  embeddedIn(run: string): boolean {
    return [...this.#keys].some((key) => key.length >= 8 && run.includes(key));
  }
  someNotIn(other: ThreadSet, run: string): boolean {
    return [...this.#keys].some((key) => key.length >= 8 && !other.has(key) && run.includes(key));
  }
}

export class RunOwnership {
  readonly #subject: string | undefined;
  readonly #source: 'created' | 'client';
  readonly #threads = new ThreadSet();
  readonly #runs: string[] = [];
  /** Every thread id this socket has seen (thread_created goes to every socket of the user). */
  readonly #userThreads = new ThreadSet();
  #replaced: string | undefined;
  /** Runs seen that no frame has linked to a thread (yet). */
  readonly #unlinked = new Set<string>();
  /** Runs of another client of this user: seen before start_agent, or on a frame of another thread. */
  readonly #foreignRuns = new Set<string>();
  /** Something on this socket belongs to another run or thread of this user. */
  #othersSeen = false;

  constructor(me: RunIdentity) {
    this.#subject = me.subject || undefined;
    this.#source = me.threadSource ?? 'client';
    if (me.threadId) {
      this.#threads.add(me.threadId);
      this.#userThreads.add(me.threadId);
    }
  }

  /** The run id learned (at most one; a list for the evidence). */
  get runIds(): readonly string[] {
    return this.#runs;
  }

  /** The thread the backend announced in place of the probe's made-up one, if it did. */
  get replacementThread(): string | undefined {
    return this.#replaced;
  }

  isOwnThread(id: string): boolean {
    return this.#threads.has(id);
  }

  classify(frame: unknown): Ownership {
    const ids = frameIds(frame);
    if (frameType(frame) === 'thread_created' && ids.thread !== undefined) return this.#announced(ids.thread);
    const event = agentEventOf(frame);
    const verdict = this.#decide(ids, event === 'agent_completed' || (event !== undefined && isFailureEvent(event)));
    if (ids.thread !== undefined) this.#userThreads.add(ids.thread);
    return verdict;
  }

  /**
   * A frame that arrived before start_agent (the socket's queue keeps every frame from the welcome on, and the
   * socket gets every run of the user): it teaches whose runs and threads are NOT this run's. Another user's id
   * is still a leak — it reached this socket whenever it came.
   */
  classifyBeforeStart(frame: unknown): Ownership {
    const ids = frameIds(frame);
    if (this.#isAnotherUser(ids)) return { kind: 'leak', ids };
    const { run, thread, user } = ids;
    const label = user !== undefined && this.#isThreadLabel(user, ids) ? user : undefined;
    if (thread !== undefined) this.#userThreads.add(thread);
    if (label !== undefined) this.#userThreads.add(label);
    if (run !== undefined) this.#foreignRuns.add(run);
    const named = run !== undefined || thread !== undefined || label !== undefined;
    if (named) this.#othersSeen = true;
    return { kind: 'before_start', ids, named };
  }

  #announced(thread: string): Ownership {
    this.#userThreads.add(thread);
    if (this.#threads.has(thread)) return { kind: 'thread_announced', thread, adopted: true };
    // A made-up thread is replaced once: the first announcement after start_agent is this run's.
    if (this.#source === 'client' && this.#replaced === undefined) {
      this.#replaced = thread;
      this.#threads.add(thread);
      return { kind: 'thread_announced', thread, adopted: true };
    }
    this.#othersSeen = true;
    return { kind: 'thread_announced', thread, adopted: false };
  }

  /** `decisive`: the frame would end a run (agent_completed, a failure event). */
  #decide(ids: FrameIds, decisive: boolean): Ownership {
    const { run, thread, user } = ids;
    const labelledByThread = user !== undefined && this.#threads.has(user);
    if (run !== undefined && this.#runs.includes(run)) return { kind: 'own', labelledByThread };
    if (run !== undefined && this.#foreignRuns.has(run)) {
      if (this.#isAnotherUser(ids)) return { kind: 'leak', ids };
      return this.#otherRun(ids);
    }
    // Labelled with another thread of this user (a bridge agent_started names its thread only by user_id).
    const otherLabel = user !== undefined && !labelledByThread && this.#isThreadLabel(user, ids) ? user : undefined;
    const namesOurThread =
      (thread !== undefined && this.#threads.has(thread)) || (thread === undefined && labelledByThread);
    // A run id built from this thread is weaker than a thread_id: another user's id on it is still a leak.
    if (!namesOurThread && this.#isAnotherUser(ids)) return { kind: 'leak', ids };
    if (namesOurThread || (run !== undefined && this.#threads.embeddedIn(run))) {
      if (run === undefined) return { kind: 'own', labelledByThread };
      // One run has one run id (thread_service.py:129 makes it; the bridge reports the same run.id). A second run
      // id on this thread is another client's run that the backend put in this thread (its fallback hands out the
      // user's newest active thread, thread_repository.py:91-136): the first one linked after start_agent is ours.
      if (this.#runs.length > 0) return this.#otherRun(ids);
      this.#unlinked.delete(run);
      this.#runs.push(run);
      return { kind: 'own', labelledByThread, linked: run };
    }
    if (this.#isAnotherUser(ids)) return { kind: 'leak', ids };
    if (
      thread !== undefined ||
      otherLabel !== undefined ||
      (run !== undefined && this.#userThreads.someNotIn(this.#threads, run))
    ) {
      if (otherLabel !== undefined) this.#userThreads.add(otherLabel);
      return this.#otherRun(ids);
    }
    if (run !== undefined) {
      // The thread-less paths (the fallback handler, a backend that sends no acknowledgement) name a run and
      // nothing else. It is this run's only when it is the sole run on a socket where nothing of another run
      // or thread of this user has shown (docs/agent-events.md); else it waits for a frame that links it.
      // Decided at the run's decisive frame, not its first: the bridge's tool frames name only the run (and
      // the real user, agent_websocket_bridge.py:2400-2431), so the middle of another client's run that began
      // before this socket opened looks alike until its agent_completed names its thread (3124-3129).
      this.#unlinked.add(run);
      const sole = decisive && this.#runs.length === 0 && !this.#othersSeen && this.#unlinked.size === 1;
      if (!sole) return { kind: 'unlinked', run, ids };
      this.#unlinked.delete(run);
      this.#runs.push(run);
      return { kind: 'own', labelledByThread, linked: run, sole: true };
    }
    return { kind: 'own', labelledByThread }; // no run, no thread: heartbeats, pongs, binary, non-JSON
  }

  /**
   * At the end of the wait: the one run named by nothing else, when nothing of another run or thread of this user
   * showed — the thread-less path whose decisive frames never came (they are what the routing bug drops).
   */
  soleAtEnd(): string | undefined {
    if (this.#runs.length > 0 || this.#othersSeen || this.#unlinked.size !== 1) return undefined;
    const [run] = this.#unlinked;
    if (run === undefined) return undefined;
    this.#unlinked.delete(run);
    this.#runs.push(run);
    return run;
  }

  /** Another run's frame: its run id stays another run's, so a later frame of it alone is never linked. */
  #otherRun(ids: FrameIds): Ownership {
    this.#othersSeen = true;
    if (ids.run !== undefined && !this.#runs.includes(ids.run)) {
      this.#foreignRuns.add(ids.run);
      this.#unlinked.delete(ids.run);
    }
    return { kind: 'other_run', ids };
  }

  /** A user_id that names a thread: one seen on this socket, the frame's own, inside its run id, or `thread_…`. */
  #isThreadLabel(user: string, { run, thread }: FrameIds): boolean {
    if (looksLikeThread(user) || this.#userThreads.has(user)) return true;
    if (thread !== undefined && threadKey(user) === threadKey(thread)) return true;
    return run !== undefined && threadKey(user).length >= 8 && run.includes(threadKey(user));
  }

  /**
   * A full user id that is neither this user nor a thread label. The 8-character prefix of a welcome frame
   * accuses nobody here (ws.connect compares it with the token), and without the token's user no one can
   * be called another.
   */
  #isAnotherUser(ids: FrameIds): boolean {
    const { user } = ids;
    if (user === undefined || user === '' || this.#subject === undefined) return false;
    if (user === this.#subject || user.endsWith('...')) return false;
    return !this.#isThreadLabel(user, ids);
  }
}
