// The in-memory message store of messages.py (per instance, so per double), with its read orders:
// a user's messages newest first, a thread's oldest first. A thread query is not scoped to the user,
// as in the real route.

export interface ChatMessage {
  id: string;
  content: string;
  user_id: string;
  thread_id: string;
  timestamp: string;
  message_type: string;
  metadata: Record<string, unknown> | null;
}

export interface MessageStore {
  add(m: ChatMessage): void;
  get(id: string): ChatMessage | undefined;
  delete(id: string): void;
  /** Newest first. */
  byUser(userId: string): ChatMessage[];
  /** Oldest first. */
  byThread(threadId: string): ChatMessage[];
}

export function createMessageStore(): MessageStore {
  // Insertion order stands in for the timestamp sort: timestamps only grow.
  const messages = new Map<string, ChatMessage>();
  const all = () => [...messages.values()];
  return {
    add: (m) => void messages.set(m.id, m),
    get: (id) => messages.get(id),
    delete: (id) => void messages.delete(id),
    byUser: (userId) =>
      all()
        .filter((m) => m.user_id === userId)
        .reverse(),
    byThread: (threadId) => all().filter((m) => m.thread_id === threadId),
  };
}
