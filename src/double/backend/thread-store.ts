// The backend's threads table (Postgres in staging): one store shared by both backend instances, as the
// database is. Rows keep the real repository's shape and rules (netra-systems/zen at aebb16f77):
// - POST /api/threads ids are `thread_<counter>_<hex8>` (thread_creators.py:12-23 → unified_id_manager.py:65-103,
//   the counter per process — here per double);
// - get_or_create_for_user returns the user's newest thread whose metadata.status is set and not "archived"
//   (thread_repository.py:127-151: SQL `->>'status' != 'archived'` is NULL, so false, for a row without a
//   status), else makes `thread_session_<ms%100000>_<hex8>` with metadata {user_id} only (83-125,
//   unified_id_manager.py:500-517);
// - archiving sets status "archived" and archived_at and keeps the row (153-172).
import { randomUUID } from 'node:crypto';

export interface ThreadRow {
  id: string;
  object: 'thread';
  /** Unix seconds. */
  created_at: number;
  metadata: Record<string, unknown>;
  /** Insertion order: breaks ties between rows created in the same second (newest first = highest). */
  seq: number;
}

export interface ThreadMessage {
  id: string;
  role: 'user' | 'assistant';
  /** As thread_service.py:96-98 stores it, `[{"type":"text","text":{"value":…}}]`; a string when POSTed to the thread. */
  content: unknown;
  created_at: number;
  metadata: Record<string, unknown>;
}

export interface ThreadStore {
  /** POST /api/threads: the row for metadata already prepared by the route. */
  create(metadata: Record<string, unknown>): ThreadRow;
  get(id: string): ThreadRow | undefined;
  /** The user's threads, newest first, archived ones included (find_by_user). */
  byUser(userId: string): ThreadRow[];
  /** get_or_create_for_user. */
  getOrCreateForUser(userId: string): ThreadRow;
  archive(id: string): void;
  /** Replaces a row's metadata (PUT /api/threads/{id}). */
  setMetadata(id: string, metadata: Record<string, unknown>): void;
  addMessage(
    threadId: string,
    m: { id?: string; role: ThreadMessage['role']; content: unknown; metadata: Record<string, unknown> },
  ): ThreadMessage;
  messages(threadId: string): ThreadMessage[];
}

const hex8 = () => randomUUID().slice(0, 8);

/** A message's content as ThreadService stores it (thread_service.py:96-98). */
export function textContent(text: string): unknown {
  return [{ type: 'text', text: { value: text } }];
}
/**
 * The real table keeps every row for ever; past this many rows the double forgets the oldest row that
 * get_or_create_for_user can no longer return (archived, or without a status: every run that falls back to it
 * makes one), so a soak of thousands of runs measures the probe, not the double's memory.
 */
const MAX_ROWS = 5_000;
const nowSeconds = () => Math.floor(Date.now() / 1000);
/** get_active_thread's `metadata->>'status' != 'archived'`: SQL NULL (no status) is not true. */
const isActive = (row: ThreadRow) => typeof row.metadata.status === 'string' && row.metadata.status !== 'archived';

export function createThreadStore(): ThreadStore {
  const rows = new Map<string, ThreadRow>();
  const messages = new Map<string, ThreadMessage[]>();
  let seq = 0;
  let counter = 0;
  const forgetOldestInactive = () => {
    for (const [id, row] of rows) {
      if (isActive(row)) continue;
      rows.delete(id);
      messages.delete(id);
      return;
    }
  };
  const insert = (id: string, metadata: Record<string, unknown>): ThreadRow => {
    const row: ThreadRow = { id, object: 'thread', created_at: nowSeconds(), metadata, seq: ++seq };
    rows.set(id, row);
    if (rows.size > MAX_ROWS) forgetOldestInactive();
    return row;
  };
  const byUser = (userId: string) =>
    [...rows.values()]
      .filter((r) => r.metadata.user_id === userId)
      .sort((a, b) => b.created_at - a.created_at || b.seq - a.seq);
  return {
    create: (metadata) => insert(`thread_${++counter}_${hex8()}`, metadata),
    get: (id) => rows.get(id),
    byUser,
    getOrCreateForUser(userId) {
      const active = byUser(userId).find(isActive);
      if (active !== undefined) return active;
      return insert(`thread_session_${Date.now() % 100_000}_${hex8()}`, { user_id: userId });
    },
    archive(id) {
      const row = rows.get(id);
      if (row === undefined) return;
      row.metadata = { ...row.metadata, status: 'archived', archived_at: nowSeconds() };
    },
    setMetadata(id, metadata) {
      const row = rows.get(id);
      if (row !== undefined) row.metadata = metadata;
    },
    addMessage(threadId, m) {
      const list = messages.get(threadId) ?? [];
      const message: ThreadMessage = {
        id: m.id ?? `msg_${randomUUID()}`,
        role: m.role,
        content: m.content,
        created_at: nowSeconds(),
        metadata: m.metadata,
      };
      list.push(message);
      messages.set(threadId, list);
      return message;
    },
    messages: (threadId) => messages.get(threadId) ?? [],
  };
}
