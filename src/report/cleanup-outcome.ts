import type { CleanupNote } from './types.ts';

/**
 * What a clean-up did, said as the backend does it: DELETE /api/threads/{id} archives the thread
 * (thread_handlers.py:132-140 at aebb16f77), DELETE /api/chat/messages/{id} deletes the message. One wording for
 * the summary and the log line.
 */
export function cleanupOutcome(note: CleanupNote): string {
  const done = note.resource === 'thread' ? 'archived' : 'deleted';
  return note.deleted ? done : `NOT ${done}`;
}
