// The hop names, in the order a run plays them: a contract (spans, report, metrics, JUnit). docs/hops.md.

export const HOP_NAMES = [
  // Only when a GCP project is configured: the deployed configuration, read before the golden path.
  'config',
  'login',
  'token',
  'service.auth',
  // POST /api/threads: the run's thread, as the web frontend makes it; a database route.
  'thread.create',
  'ws.connect',
  'agent.run',
  'chat.messages.list',
  'chat.messages.create',
] as const;

export type HopName = (typeof HOP_NAMES)[number];
