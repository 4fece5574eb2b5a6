// /api/chat/messages (messages.py, mounted at /api/chat). FastAPI's order of failures is kept: a body
// that is not JSON is a 422 before authentication, the auth dependency runs next, then validation.
import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { BackendEffects } from '../fault-effects.ts';
import type { RequestScope, RouteHandler } from '../http/listener.ts';
import { sendDetail, sendJson, sendText } from '../http/send.ts';
import { pydanticUtc } from '../time.ts';
import type { BackendSettings } from './backend-settings.ts';
import { jsonBody } from './json-body.ts';
import { parseMessageCreate } from './message-create-request.ts';
import type { MessageStore } from './message-store.ts';
import { restUser } from './rest-user.ts';
import { pageQuery, sendValidationError } from './validation-error.ts';

/** rest_403 / rest_500 answer before anything else runs; true when this answered the request. */
function faultAnswer(chat: BackendEffects['chat'], scope: RequestScope): boolean {
  if (chat === 'always_403') {
    sendDetail(scope.res, 403, 'Not authenticated');
    return true;
  }
  if (chat === 'always_500') {
    // Starlette's ServerErrorMiddleware: plain text, not FastAPI's JSON.
    sendText(scope.res, 500, 'Internal Server Error');
    return true;
  }
  return false;
}

export interface ChatRoutes {
  list: RouteHandler;
  create: RouteHandler;
  get: RouteHandler;
  remove: RouteHandler;
}

export function chatRoutes(settings: BackendSettings, tracer: Tracer, store: MessageStore): ChatRoutes {
  // What the chat routes do, as in force when a request arrives (read once per request).
  const chatEffect = () => settings.effects().chat;

  const list: RouteHandler = async (scope) => {
    if (faultAnswer(chatEffect(), scope)) return;
    const userId = await restUser(scope, settings, tracer);
    if (userId === undefined) return;
    const q = scope.url.searchParams;
    const page = pageQuery(scope.res, q, { fallback: 50, ge: 1, le: 100 });
    if (page === undefined) return;
    const threadId = q.getAll('thread_id').at(-1);
    // `if thread_id:` — an empty thread_id lists the user's messages.
    const all = threadId ? store.byThread(threadId) : store.byUser(userId);
    const messages = all.slice(page.offset, page.offset + page.limit);
    sendJson(scope.res, 200, {
      messages,
      total_count: all.length,
      page: Math.floor(page.offset / page.limit) + 1,
      page_size: page.limit,
      has_more: page.offset + messages.length < all.length,
    });
  };

  const create: RouteHandler = async (scope) => {
    const chat = chatEffect();
    if (faultAnswer(chat, scope)) return;
    const read = await jsonBody(scope);
    if (read === undefined) return;
    const userId = await restUser(scope, settings, tracer);
    if (userId === undefined) return;
    const request = parseMessageCreate(read.body);
    if (!request.ok) return sendValidationError(scope.res, request.issues);
    const message = {
      id: randomUUID(),
      content: request.value.content,
      user_id: userId,
      thread_id: request.value.thread_id,
      timestamp: pydanticUtc(),
      message_type: request.value.message_type,
      metadata: request.value.metadata,
    };
    // message_not_persisted: the answer claims success, the store never sees the message.
    if (chat !== 'not_persisted') store.add(message);
    sendJson(scope.res, 200, { message, status: 'created' });
  };

  const owned = async (scope: RequestScope, verb: 'access' | 'delete') => {
    if (faultAnswer(chatEffect(), scope)) return undefined;
    const userId = await restUser(scope, settings, tracer);
    if (userId === undefined) return undefined;
    const message = store.get(scope.params.message_id ?? '');
    if (message === undefined) return void sendDetail(scope.res, 404, 'Message not found');
    if (message.user_id !== userId) {
      return void sendDetail(scope.res, 403, `Access denied: You can only ${verb} your own messages`);
    }
    return message;
  };

  const get: RouteHandler = async (scope) => {
    const message = await owned(scope, 'access');
    if (message !== undefined) sendJson(scope.res, 200, message);
  };

  const remove: RouteHandler = async (scope) => {
    const message = await owned(scope, 'delete');
    if (message === undefined) return;
    store.delete(message.id);
    sendJson(scope.res, 200, { status: 'deleted', message_id: message.id });
  };

  return { list, create, get, remove };
}
