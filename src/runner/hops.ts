import { agentRun } from '../hops/agent-run.ts';
import { chatMessagesCreate, chatMessagesList } from '../hops/chat-messages.ts';
import { configHop } from '../hops/config.ts';
import { login } from '../hops/login.ts';
import { serviceAuth } from '../hops/service-auth.ts';
import { threadCreate } from '../hops/thread-create.ts';
import { token } from '../hops/token.ts';
import { wsConnect } from '../hops/ws-connect.ts';
import type { HopTable } from './hop-types.ts';

/** The hop implementations by hop name (docs/hops.md). */
export const HOPS: HopTable = {
  config: configHop,
  login,
  token,
  'service.auth': serviceAuth,
  'thread.create': threadCreate,
  'ws.connect': wsConnect,
  'agent.run': agentRun,
  'chat.messages.list': chatMessagesList,
  'chat.messages.create': chatMessagesCreate,
};
