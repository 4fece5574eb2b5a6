// Another client logged in as the same user (the cron, the post-deploy smoke check, a person) starts a run at the
// same moment as this client (the other_client_* faults). Its frames reach this socket because send_to_user loops
// over every connection of the user (unified_manager.py:353-390 at aebb16f77).
import { randomBytes } from 'node:crypto';
import type { SharedBackendState } from '../backend/instance.ts';
import type { BackendEffects } from '../fault-effects.ts';
import { otherClientScript } from './agent-script.ts';
import type { RunRequest } from './conversation.ts';
import { playRun } from './conversation.ts';
import type { Timers } from './timers.ts';

/** The other client's run starts this much before or after this client's, so their frames interleave. */
const OTHER_CLIENT_OFFSET_MS = 3;

const hex8 = () => randomBytes(4).toString('hex');

/**
 * Starts the other client's run: on its own REST-made thread, its run first; or on a thread id the backend has no
 * row for, so the backend gives it the user's newest active thread (this client's, when it made one), its run
 * second. Returns how long this client's run should wait, so the two interleave in that order.
 */
export function startOtherClient(
  kind: BackendEffects['otherClient'],
  userId: string,
  shared: SharedBackendState,
  timers: Timers,
  sendToUser: (frame: object) => void,
): number {
  if (kind === 'none') return 0;
  const req: RunRequest = {
    userId,
    threadId: `cli_thread_${randomBytes(6).toString('hex')}`,
    userRequest: "another client's request",
    connectionId: `main_${hex8()}`,
  };
  if (kind === 'own_thread') {
    const now = Math.floor(Date.now() / 1000);
    req.threadId = shared.threads.create({
      user_id: userId,
      title: 'another client',
      status: 'active',
      created_at: now,
    }).id;
    playRun(otherClientScript(), req, shared, timers, sendToUser);
    return OTHER_CLIENT_OFFSET_MS;
  }
  timers.after(OTHER_CLIENT_OFFSET_MS, () => playRun(otherClientScript(), req, shared, timers, sendToUser));
  return 0;
}
