import { type FrameIds, frameIds } from './frame-ids.ts';

/** Who this socket is: the token's user, the thread start_agent named, and the run once the backend named it. */
export interface SocketIdentity {
  subject?: string | undefined;
  threadId: string;
  runId?: string | undefined;
}

export type Ownership =
  /** `labelledByThread`: the frame's user_id is this socket's thread id (the critical path's labelling). */
  | { kind: 'own'; labelledByThread: boolean }
  /** Another run or thread, and nothing says another user: not counted, not a leak. */
  | { kind: 'other_run'; ids: FrameIds }
  | { kind: 'leak'; ids: FrameIds };

type UserClaim = 'none' | 'self' | 'thread' | 'other' | 'other_truncated' | 'unknown';

/**
 * Whose frame this is. It is this socket's when its thread_id is this thread's or its run_id is this run's.
 * A user_id equal to this thread's id is the backend's own labelling (emit_critical_event is called with
 * user_id = the thread id), never another user. A leak needs another user AND nothing of this socket's:
 * another run or thread, or no run or thread at all.
 */
export function ownerOf(frame: unknown, me: SocketIdentity): Ownership {
  const ids = frameIds(frame);
  const user = userClaim(ids.user, me);
  const runKnown = ids.run !== undefined && me.runId !== undefined;
  let byIds: 'own' | 'foreign' | 'undecided' = 'undecided';
  if (ids.thread === me.threadId || (runKnown && ids.run === me.runId)) byIds = 'own';
  else if (ids.thread !== undefined || runKnown) byIds = 'foreign';

  if (byIds === 'own') return { kind: 'own', labelledByThread: user === 'thread' };
  if (byIds === 'undecided') {
    // A full user id that is neither this user nor this thread, on a frame naming no run or thread of ours.
    if (user === 'other') return { kind: 'leak', ids };
    return { kind: 'own', labelledByThread: user === 'thread' };
  }
  // The 8-character prefix of connection_established is too short to accuse anyone on its own; with a
  // foreign run or thread it is enough.
  if (user === 'other' || user === 'other_truncated') return { kind: 'leak', ids };
  return { kind: 'other_run', ids };
}

function userClaim(user: string | undefined, me: SocketIdentity): UserClaim {
  if (user === undefined || user === '') return 'none';
  if (user === me.subject) return 'self';
  if (user === me.threadId) return 'thread';
  if (user.endsWith('...')) {
    // connection_established shows the user id cut to 8 characters plus "...".
    const prefix = user.slice(0, -3);
    if (me.subject?.startsWith(prefix)) return 'self';
    if (me.threadId.startsWith(prefix)) return 'thread';
    return me.subject === undefined ? 'unknown' : 'other_truncated';
  }
  return me.subject === undefined ? 'unknown' : 'other';
}
