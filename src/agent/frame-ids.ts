/** The ids a frame names: at the top (bridge dicts, critical-path frames) or in `data` (ServerMessage envelopes). */
export interface FrameIds {
  user?: string;
  run?: string;
  thread?: string;
}

export function frameIds(frame: unknown): FrameIds {
  if (!frame || typeof frame !== 'object') return {};
  const top = frame as Record<string, unknown>;
  const data = top.data && typeof top.data === 'object' ? (top.data as Record<string, unknown>) : {};
  const pick = (key: string) => {
    const value = top[key] ?? data[key];
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
