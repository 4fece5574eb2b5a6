// One backend instance's WebSocket registry: one manager per user id (unified_manager.py:3420-3429 at
// aebb16f77), whose send_to_user loops over every connection of that user (353-390). So every socket of a user
// on this instance hears every run of that user, whichever socket started it; sockets on the other instance
// do not (the registry lives in the process).

export type FrameSink = (frame: object) => void;

export interface UserSockets {
  /** Registers a socket of the user; the returned function removes it. */
  add(userId: string, sink: FrameSink): () => void;
  /** send_to_user: the frame to every socket of the user on this instance. */
  sendToUser(userId: string, frame: object): void;
  /** Sockets registered now, all users together. */
  size(): number;
}

export function createUserSockets(): UserSockets {
  const byUser = new Map<string, Set<FrameSink>>();
  return {
    add(userId, sink) {
      const sinks = byUser.get(userId) ?? new Set<FrameSink>();
      sinks.add(sink);
      byUser.set(userId, sinks);
      return () => {
        sinks.delete(sink);
        if (sinks.size === 0 && byUser.get(userId) === sinks) byUser.delete(userId);
      };
    },
    sendToUser(userId, frame) {
      for (const sink of byUser.get(userId) ?? []) sink(frame);
    },
    size: () => [...byUser.values()].reduce((n, s) => n + s.size, 0),
  };
}
