import type { RunConfig } from '../config/types.ts';
import { bearer } from '../hops/bearer.ts';
import type { RunState } from '../hops/hop-contract.ts';
import { boundedSignal } from '../net/bounded-signal.ts';
import { type HttpClient, HttpFailure } from '../net/http-client.ts';
import { describeResponse } from '../net/response-detail.ts';
import { serverText } from '../net/server-text.ts';
import type { CleanupNote } from '../report/types.ts';

/** Two DELETEs at once; a slow backend costs the run this much at most, whatever it did before. */
export const CLEANUP_MS = 5_000;

/**
 * Deletes what the run created in staging, so a probe user running every minute does not leave 1,440 threads
 * a day: the thread thread.create made (DELETE /api/threads/{id} archives it: metadata.status "archived",
 * thread_handlers.py:132-140 at aebb16f77, so the backend's fallback never hands it to a later run) and the
 * chat message (DELETE /api/chat/messages/{id}, messages.py:273-301). Only what the probe itself created: a
 * thread the backend announced in place of a made-up one may be another client's (the user's newest active
 * thread, thread_repository.py:91-136). Best effort, bounded by its own deadline, never a verdict: a note.
 */
export async function cleanUp(
  config: RunConfig,
  state: RunState,
  http: HttpClient,
  stop: AbortSignal,
): Promise<CleanupNote[]> {
  const targets: { resource: CleanupNote['resource']; id: string; route: string }[] = [];
  if (state.created.thread) targets.push({ resource: 'thread', id: state.created.thread, route: '/api/threads' });
  if (state.created.message) {
    targets.push({ resource: 'chat_message', id: state.created.message, route: '/api/chat/messages' });
  }
  if (targets.length === 0 || !state.accessToken) return [];
  const bounded = boundedSignal(stop, CLEANUP_MS);
  try {
    return await Promise.all(
      targets.map(async ({ resource, id, route }): Promise<CleanupNote> => {
        const note = { resource, id: serverText(id, 120) };
        try {
          const res = await http.send({
            method: 'DELETE',
            url: `${config.apiUrl}${route}/${encodeURIComponent(id)}`,
            route: `${route}/{id}`,
            headers: bearer({ state }),
            signal: bounded.signal,
            refuseBypassHeaders: true,
            // The chat message lives on the instance that stored it: the affinity cookie leads back there.
            cookies: state.cookies,
          });
          const ok = res.status >= 200 && res.status < 300;
          const what = `DELETE ${route}/{id}`;
          return {
            ...note,
            deleted: ok,
            detail: ok ? `${what} answered HTTP ${res.status}` : describeResponse(what, res),
          };
        } catch (err) {
          if (err instanceof HttpFailure)
            return { ...note, deleted: false, detail: `DELETE got no answer: ${err.message}` };
          // Anything else is the probe's own failure to send it: still a note, never the run's end (a rejection
          // here would surface while triage is awaited, unhandled: exit 3, serve gone). Its name only.
          const name = err instanceof Error ? err.name : 'error';
          return { ...note, deleted: false, detail: `DELETE not sent (${name})` };
        }
      }),
    );
  } finally {
    bounded.release();
  }
}
