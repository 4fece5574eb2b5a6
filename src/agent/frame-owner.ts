import { type FrameIds, frameIds } from './frame-ids.ts';

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
  | { kind: 'leak'; ids: FrameIds };

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
 *   the frame's own thread id, or inside the frame's own run id.
 */
/**
 * A thread id with and without its `thread_` prefix is one thread: the backend makes unprefixed ids "to
 * prevent double prefixing" (unified_id_manager.py:500-517) and embeds the id it was given in run ids
 * (`run_session_…` on staging, README.md L83-125 at HEAD, while thread_created named `thread_session_…`).
 */
function threadKey(id: string): string {
  return id.startsWith('thread_') ? id.slice('thread_'.length) : id;
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
    const type = frame && typeof frame === 'object' ? (frame as { type?: unknown }).type : undefined;
    if (type === 'thread_created' && ids.thread !== undefined) return this.#announced(ids.thread);
    const verdict = this.#decide(ids);
    if (ids.thread !== undefined) this.#userThreads.add(ids.thread);
    return verdict;
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

  #decide(ids: FrameIds): Ownership {
    const { run, thread, user } = ids;
    const labelledByThread = user !== undefined && this.#threads.has(user);
    if (run !== undefined && this.#runs.includes(run)) return { kind: 'own', labelledByThread };
    const namesOurThread =
      (thread !== undefined && this.#threads.has(thread)) || (thread === undefined && labelledByThread);
    // A run id built from this thread is weaker than a thread_id: another user's id on it is still a leak.
    if (!namesOurThread && this.#isAnotherUser(ids)) return { kind: 'leak', ids };
    if (namesOurThread || (run !== undefined && this.#threads.embeddedIn(run))) {
      if (run === undefined) return { kind: 'own', labelledByThread };
      // One run has one run id (thread_service.py:129 makes it; the bridge reports the same run.id). A second run
      // id on this thread is another client's run that the backend put in this thread (its fallback hands out the
      // user's newest active thread, thread_repository.py:91-136): the first one linked after start_agent is ours.
      if (this.#runs.length > 0) {
        this.#othersSeen = true;
        return { kind: 'other_run', ids };
      }
      this.#unlinked.delete(run);
      this.#runs.push(run);
      return { kind: 'own', labelledByThread, linked: run };
    }
    if (this.#isAnotherUser(ids)) return { kind: 'leak', ids };
    if (thread !== undefined || (run !== undefined && this.#userThreads.someNotIn(this.#threads, run))) {
      this.#othersSeen = true;
      return { kind: 'other_run', ids };
    }
    if (run !== undefined) {
      // The thread-less paths (the fallback handler, a backend that sends no acknowledgement) name a run and
      // nothing else. It is this run's only when it is the sole run on a socket where nothing of another run
      // or thread of this user has shown (docs/agent-events.md); else it waits for a frame that links it.
      this.#unlinked.add(run);
      const sole = this.#runs.length === 0 && !this.#othersSeen && this.#unlinked.size === 1;
      if (!sole) return { kind: 'unlinked', run, ids };
      this.#unlinked.delete(run);
      this.#runs.push(run);
      return { kind: 'own', labelledByThread, linked: run, sole: true };
    }
    return { kind: 'own', labelledByThread }; // no run, no thread: heartbeats, pongs, binary, non-JSON
  }

  /**
   * A full user id that is neither this user nor a thread label. The 8-character prefix of a welcome frame
   * accuses nobody here (ws.connect compares it with the token), and without the token's user no one can
   * be called another.
   */
  #isAnotherUser({ user, run, thread }: FrameIds): boolean {
    if (user === undefined || user === '' || this.#subject === undefined) return false;
    if (user === this.#subject || user.endsWith('...')) return false;
    if ((thread !== undefined && threadKey(user) === threadKey(thread)) || this.#userThreads.has(user)) return false;
    return run === undefined || threadKey(user).length < 8 || !run.includes(threadKey(user));
  }
}
