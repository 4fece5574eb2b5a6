/**
 * The ids a frame names: at the top (bridge dicts, critical-path frames), in `data` (ServerMessage envelopes)
 * or in `payload` (ThreadService's thread_created and its agent_started acknowledgement, thread_service.py:52,
 * 148 at aebb16f77).
 */
export interface FrameIds {
  user?: string;
  run?: string;
  thread?: string;
}

/** The frame's own top-level `type`, when it is a string (the event may sit deeper: agentEventOf). */
export function frameType(frame: unknown): string | undefined {
  const type = frame && typeof frame === 'object' ? (frame as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}

export function frameIds(frame: unknown): FrameIds {
  if (!frame || typeof frame !== 'object') return {};
  const top = frame as Record<string, unknown>;
  const inner = (key: string) =>
    top[key] && typeof top[key] === 'object' ? (top[key] as Record<string, unknown>) : ({} as Record<string, unknown>);
  const data = inner('data');
  const payload = inner('payload');
  const pick = (key: string) => {
    const value = top[key] ?? data[key] ?? payload[key];
    return typeof value === 'string' ? value : undefined;
  };
  const ids: FrameIds = {};
  const user = pick('user_id');
  const run = pick('run_id');
  const thread = pick('thread_id');
  if (user !== undefined) ids.user = user;
  if (run !== undefined) ids.run = run;
  if (thread !== undefined) ids.thread = thread;
  return ids;
}
