import type { HttpResponse } from '../net/http-client.ts';
import { serverValue } from '../net/server-text.ts';
import { notJson } from '../net/unexpected-body.ts';
import { backendJson } from './bearer.ts';
import type { HopContext, HopOutcome } from './hop-contract.ts';
import { restFailure, restUnreachable } from './rest-failure.ts';
import { usableId } from './server-id.ts';

const PATH = '/api/chat/messages';

interface MessageList {
  messages: { id?: unknown; content?: unknown }[];
  total_count: number;
}

function asMessageList(body: unknown): MessageList | undefined {
  const b = body as Partial<MessageList> | undefined;
  return b && Array.isArray(b.messages) && typeof b.total_count === 'number' ? (b as MessageList) : undefined;
}

async function list(ctx: HopContext, query: string): Promise<HttpResponse> {
  return backendJson(ctx, 'GET', `${PATH}${query}`);
}

/** Hop 6: GET /api/chat/messages answers 200 with the documented body. */
export async function chatMessagesList(ctx: HopContext): Promise<HopOutcome> {
  let res: HttpResponse;
  try {
    res = await list(ctx, '?limit=50');
  } catch (err) {
    return restUnreachable(`GET ${PATH}`, err);
  }
  if (res.status !== 200) return restFailure(`GET ${PATH}`, res, `${ctx.config.apiUrl}${PATH}`);
  const body = asMessageList(res.json);
  if (!body) {
    return {
      status: 'fail',
      code: 'BACKEND_ERROR',
      httpStatus: 200,
      evidence: [`GET ${PATH} answered 200 ${notJson(res) ?? 'without {messages: [], total_count}'}`],
    };
  }
  return {
    status: 'pass',
    httpStatus: 200,
    evidence: [`GET ${PATH} answered 200 with ${body.messages.length} of ${body.total_count} messages`],
  };
}

/** Hop 7: POST a message, then read it back in its thread. */
export async function chatMessagesCreate(ctx: HopContext): Promise<HopOutcome> {
  const content = `golden-path probe ${ctx.runId}`;
  const what = `POST ${PATH}`;
  let res: HttpResponse;
  try {
    res = await backendJson(ctx, 'POST', PATH, {
      content,
      thread_id: ctx.state.threadId,
      message_type: 'user',
      metadata: { source: 'golden-path-probe', run_id: ctx.runId },
    });
  } catch (err) {
    return restUnreachable(what, err);
  }
  if (res.status !== 200) return restFailure(what, res, `${ctx.config.apiUrl}${PATH}`);
  const created = res.json as { status?: unknown; message?: { id?: unknown } } | undefined;
  if (created?.status !== 'created') {
    const status = created?.status === undefined ? 'none' : serverValue(created.status, 60);
    return {
      status: 'fail',
      code: 'BACKEND_ERROR',
      httpStatus: 200,
      evidence: [`${what} answered 200 ${notJson(res) ?? `with status ${status}`}, expected "created"`],
    };
  }
  const id = created.message?.id;
  if (usableId(id)) ctx.state.created.message = id;

  let back: HttpResponse;
  try {
    back = await list(ctx, `?thread_id=${encodeURIComponent(ctx.state.threadId)}&limit=100`);
  } catch (err) {
    return restUnreachable(`GET ${PATH} (read-back)`, err);
  }
  if (back.status !== 200) return restFailure(`GET ${PATH} (read-back)`, back, `${ctx.config.apiUrl}${PATH}`);
  const messages = asMessageList(back.json)?.messages ?? [];
  const found = messages.some((m) => (id !== undefined && m.id === id) || m.content === content);
  if (found)
    return { status: 'pass', httpStatus: 200, evidence: [`created message ${serverValue(id)} and read it back`] };
  const missed =
    `${what} answered "created" (id ${serverValue(id)}) but the read-back of thread ${ctx.state.threadId} ` +
    `lists ${messages.length} messages without it`;
  const cookies = ctx.state.cookies.names();
  // Nothing pinned this client to an instance, and each instance keeps its own messages: the read-back says
  // nothing about persistence, only that this client was not pinned (a browser would miss it the same way).
  const why =
    cookies.length === 0
      ? "the API host set no affinity cookie during this run (staging's load balancer pins a client to one " +
        'instance with a generated cookie, load-balancer.tf session_affinity = "GENERATED_COOKIE"), and ' +
        '/api/chat/messages keeps messages in memory per instance (messages.py:95-100): the read-back can reach ' +
        'another instance'
      : `the run held the API host's affinity cookie (${cookies.join(', ')}) for both requests, so both reached ` +
        'the instance that stored it';
  const code = cookies.length === 0 ? 'CHAT_INSTANCE_NOT_PINNED' : 'MESSAGE_NOT_PERSISTED';
  return { status: 'fail', code, httpStatus: 200, evidence: [missed, why] };
}
