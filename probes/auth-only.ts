import type { ProbeDefinition } from '../src/domain/probe-definition.ts';

/**
 * A quick post-deploy check of authentication alone: the login, the token, the service credentials and
 * both ways the backend checks a token (WebSocket and REST), without running an agent.
 */
export const probe: ProbeDefinition = {
  name: 'auth-only',
  description: 'login → token → service.auth → ws.connect → chat.messages.list (no agent run)',
  hops: ['login', 'token', 'service.auth', 'ws.connect', 'chat.messages.list'],
  hopTimeoutMs: { login: 10_000, 'service.auth': 10_000, 'ws.connect': 15_000, 'chat.messages.list': 10_000 },
  degradedMs: { login: 3_000, 'service.auth': 2_000, 'ws.connect': 5_000, 'chat.messages.list': 3_000 },
  agentRequest: '',
};
