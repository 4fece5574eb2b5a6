import { HOP_NAMES } from '../src/domain/hops.ts';
import type { ProbeDefinition } from '../src/domain/probe-definition.ts';

/** The golden path of a Netra Apex user (docs/hops.md): log in, open the socket, run an agent, chat REST. */
export const probe: ProbeDefinition = {
  name: 'golden-path',
  description: 'login → token → service.auth → thread.create → ws.connect → agent.run → chat messages list/create',
  // Every hop, in the order of src/domain/hops.ts (config is added by the runner when a GCP project is set).
  hops: HOP_NAMES.filter((h) => h !== 'config'),
  hopTimeoutMs: {
    login: 10_000,
    'service.auth': 10_000,
    'thread.create': 10_000,
    'ws.connect': 15_000,
    'chat.messages.list': 10_000,
    'chat.messages.create': 10_000,
  },
  degradedMs: {
    login: 3_000,
    'service.auth': 2_000,
    'thread.create': 3_000,
    'ws.connect': 5_000,
    'chat.messages.list': 3_000,
    'chat.messages.create': 5_000,
  },
  agentRequest: 'Golden path probe: reply with a short status summary.',
  // A real sign-in (frontend → Google → callback) takes seconds even when healthy.
  browserLogin: { timeoutMs: 45_000, degradedMs: 10_000 },
};
