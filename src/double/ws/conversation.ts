// One agent run as the real backend plays it (message_handlers.py:89-183, thread_service.py at aebb16f77):
// the thread is resolved (kept if this user owns a row with that id, else the user's newest active thread or a new
// one, announced with thread_created), the user's message is stored, ThreadService acknowledges with the run id
// it made, then the agents' events. Every frame goes to every socket of the user on this instance (send_to_user).
// The fallback envelope is another handler (handlers.py:370-497): no thread, no acknowledgement.
import { randomBytes } from 'node:crypto';
import type { SharedBackendState } from '../backend/instance.ts';
import { textContent } from '../backend/thread-store.ts';
import type { RunContext } from './agent-events.ts';
import { runAgent } from './agent-run.ts';
import type { AgentScript } from './agent-script.ts';
import { runAcknowledged, threadCreated } from './frames.ts';
import type { Timers } from './timers.ts';

export interface RunRequest {
  userId: string;
  /** `payload.thread_id` of the client's message (message_handlers.py:128 reads only the payload's). */
  threadId: string | undefined;
  userRequest: string;
  connectionId: string;
}

/** _get_or_validate_thread (message_handlers.py:124-153, message_handler_base.py:36-59): the thread and whether it was announced. */
function resolveThread(state: SharedBackendState, req: RunRequest): { threadId: string; announced: boolean } {
  if (req.threadId) {
    const row = state.threads.get(req.threadId);
    // Another user's row: access denied (only logged — the handler has no manager yet), then the fallback.
    if (row !== undefined && row.metadata.user_id === req.userId) return { threadId: row.id, announced: false };
  }
  return { threadId: state.threads.getOrCreateForUser(req.userId).id, announced: true };
}

export function playRun(
  script: AgentScript,
  req: RunRequest,
  state: SharedBackendState,
  timers: Timers,
  sendToUser: (frame: object) => void,
): void {
  const conversation = script.envelope !== 'fallback';
  let threadId: string;
  if (conversation) {
    const thread = resolveThread(state, req);
    threadId = thread.threadId;
    if (thread.announced) sendToUser(threadCreated(threadId));
    // create_user_message (message_handler_base.py:61-72) before the run is made.
    state.threads.addMessage(threadId, {
      role: 'user',
      content: textContent(req.userRequest),
      metadata: { user_id: req.userId },
    });
  } else {
    threadId = req.threadId ?? `thread_${randomBytes(8).toString('hex')}`;
  }
  const ctx: RunContext = {
    runId: state.runIds(threadId),
    userId: req.userId,
    threadId,
    connectionId: req.connectionId,
    userRequest: req.userRequest,
    startedAtMs: Date.now(),
    result: script.result,
  };
  if (conversation) sendToUser(runAcknowledged(ctx.runId, threadId));
  runAgent(script, ctx, timers, sendToUser, () => {
    // save_response (message_handler_base.py:95-106): the assistant's answer joins the thread.
    if (conversation) {
      state.threads.addMessage(threadId, {
        role: 'assistant',
        content: textContent(JSON.stringify(ctx.result ?? { status: 'completed', run_id: ctx.runId })),
        metadata: {},
      });
    }
  });
}
