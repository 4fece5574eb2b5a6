// What each backend instance (a Cloud Run instance: its own process) keeps to itself, and what the instances share
// (the database). `/api/chat/messages` keeps messages in the process (messages.py:96-104 at aebb16f77) and the
// WebSocket managers live in the process too; threads are database rows.
import type { RunIdSource } from '../ws/run-ids.ts';
import type { UserSockets } from '../ws/user-sockets.ts';
import type { MessageStore } from './message-store.ts';
import type { ThreadStore } from './thread-store.ts';

export interface BackendInstance {
  /** 0 or 1: which instance answered (RecordedRequest.instance). */
  index: number;
  messages: MessageStore;
  sockets: UserSockets;
}

export interface SharedBackendState {
  threads: ThreadStore;
  runIds: RunIdSource;
}
