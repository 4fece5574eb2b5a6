// /api/threads (threads_route.py:31-108 at aebb16f77): a database route. Every handler takes `DbDep`
// (get_request_scoped_db_session, dependencies.py:188, :520) before the user dependency, so FastAPI's order is:
// a body that is not JSON (422), the database session (the system-user incident's 403 "Not authenticated"
// under the database faults), HTTPBearer and the auth service (rest-user.ts, THREADS_REJECTION), then body
// validation. Handlers: routes/utils/thread_handlers.py, thread_builders.py, thread_validators.py.
import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import type { RequestScope, RouteHandler } from '../http/listener.ts';
import { isPlainObject } from '../http/read-body.ts';
import { sendDetail, sendJson } from '../http/send.ts';
import type { BackendSettings } from './backend-settings.ts';
import { jsonBody } from './json-body.ts';
import { restUser, THREADS_REJECTION } from './rest-user.ts';
import type { ThreadRow, ThreadStore } from './thread-store.ts';
import type { ValidationIssue } from './validation-error.ts';
import { objectBody, pageQuery, sendValidationError } from './validation-error.ts';

export interface ThreadsRoutes {
  list: RouteHandler;
  create: RouteHandler;
  get: RouteHandler;
  update: RouteHandler;
  remove: RouteHandler;
  messages: RouteHandler;
  send: RouteHandler;
}

/** `metadata: Optional[dict]`, as both request models declare it: absent, null or a dict. */
function metadataIssues(metadata: unknown): ValidationIssue[] {
  if (metadata === undefined || metadata === null || isPlainObject(metadata)) return [];
  return [{ type: 'dict_type', loc: ['body', 'metadata'], msg: 'Input should be a valid dictionary', input: metadata }];
}

/** SendMessageRequest (threads_route.py:111-114): `message: str` required, `metadata: Optional[dict]`. */
function parseSendMessage(
  raw: unknown,
): { ok: true; message: string; metadata: Record<string, unknown> | null } | { ok: false; issues: ValidationIssue[] } {
  const object = objectBody(raw);
  if (!object.ok) return object;
  const body = object.value;
  const issues: ValidationIssue[] = [];
  if (body.message === undefined)
    issues.push({ type: 'missing', loc: ['body', 'message'], msg: 'Field required', input: body });
  else if (typeof body.message !== 'string') {
    issues.push({
      type: 'string_type',
      loc: ['body', 'message'],
      msg: 'Input should be a valid string',
      input: body.message,
    });
  }
  const metadata = body.metadata;
  issues.push(...metadataIssues(metadata));
  if (issues.length > 0 || typeof body.message !== 'string') return { ok: false, issues };
  return { ok: true, message: body.message, metadata: isPlainObject(metadata) ? metadata : null };
}

/** ThreadResponse (threads_route.py:45-52) as thread_builders.py:25-44 fills it. */
function threadResponse(row: ThreadRow, messageCount: number, title?: unknown) {
  const updated = row.metadata.updated_at;
  return {
    id: row.id,
    object: row.object,
    title: typeof title === 'string' && title !== '' ? title : (row.metadata.title ?? null),
    created_at: row.created_at,
    updated_at: typeof updated === 'number' ? updated : null,
    metadata: row.metadata,
    message_count: messageCount,
  };
}

/** ThreadCreate: `title: Optional[str]`, `metadata: Optional[dict]` (threads_route.py:37-39), pydantic v2 strict-ish. */
function parseThreadCreate(raw: unknown):
  | { ok: true; title: string | null; metadata: Record<string, unknown> | null }
  | {
      ok: false;
      issues: ValidationIssue[];
    } {
  const object = objectBody(raw);
  if (!object.ok) return object;
  const body = object.value;
  const issues: ValidationIssue[] = [];
  const { title, metadata } = body;
  if (title !== undefined && title !== null && typeof title !== 'string') {
    issues.push({ type: 'string_type', loc: ['body', 'title'], msg: 'Input should be a valid string', input: title });
  }
  issues.push(...metadataIssues(metadata));
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    title: typeof title === 'string' ? title : null,
    metadata: isPlainObject(metadata) ? metadata : null,
  };
}

export function threadsRoutes(settings: BackendSettings, tracer: Tracer, threads: ThreadStore): ThreadsRoutes {
  /** The request-scoped session; false after answering the incident's 403. */
  const dbSession = (scope: RequestScope): boolean => {
    if (settings.effects().database === 'ok') return true;
    sendDetail(scope.res, 403, 'Not authenticated');
    return false;
  };
  /** The route's dependencies in FastAPI's order, `db: DbDep` then the user: the user id, or undefined once answered. */
  const dependencies = async (scope: RequestScope): Promise<string | undefined> =>
    dbSession(scope) ? restUser(scope, settings, tracer, THREADS_REJECTION) : undefined;
  const messageCount = (id: string) => threads.messages(id).length;
  /**
   * A route with a body, in FastAPI's order: a body that is not JSON (422), the dependencies, then the body's model
   * (422). The user id and the request, or undefined once answered.
   */
  const dependenciesAndBody = async <T extends { ok: true }>(
    scope: RequestScope,
    parse: (raw: unknown) => T | { ok: false; issues: ValidationIssue[] },
  ): Promise<{ userId: string; request: T } | undefined> => {
    const read = await jsonBody(scope);
    if (read === undefined) return undefined;
    const userId = await dependencies(scope);
    if (userId === undefined) return undefined;
    const request = parse(read.body);
    if (!request.ok) return void sendValidationError(scope.res, request.issues);
    return { userId, request };
  };

  /** get_thread_with_validation (thread_validators.py:56-62): 404, then 403 "Access denied" for another user's. */
  const owned = (scope: RequestScope, userId: string): ThreadRow | undefined => {
    const row = threads.get(scope.params.thread_id ?? '');
    if (row === undefined) return void sendDetail(scope.res, 404, 'Thread not found');
    if (String(row.metadata.user_id ?? '').trim() !== userId.trim()) {
      return void sendDetail(scope.res, 403, 'Access denied');
    }
    return row;
  };

  const list: RouteHandler = async (scope) => {
    const userId = await dependencies(scope);
    if (userId === undefined) return;
    // `limit: int = Query(20, le=100)` has no lower bound; offset ge=0 (threads_route.py:58).
    const page = pageQuery(scope.res, scope.url.searchParams, { fallback: 20, le: 100 });
    if (page === undefined) return;
    // Python's threads[offset:offset+limit], a negative limit included.
    const rows = threads.byUser(userId).slice(page.offset, page.offset + page.limit);
    sendJson(
      scope.res,
      200,
      rows.map((r) => threadResponse(r, messageCount(r.id))),
    );
  };

  const create: RouteHandler = async (scope) => {
    const input = await dependenciesAndBody(scope, parseThreadCreate);
    if (input === undefined) return;
    const { userId, request } = input;
    // prepare_thread_metadata (thread_creators.py:26-44): the client's metadata, then the server's keys over it.
    const metadata: Record<string, unknown> = { ...(request.metadata ?? {}) };
    metadata.user_id = userId.trim();
    if (request.title) metadata.title = request.title;
    metadata.status = 'active';
    metadata.created_at = Math.floor(Date.now() / 1000);
    const row = threads.create(metadata);
    sendJson(scope.res, 200, threadResponse(row, 0, request.title));
  };

  const get: RouteHandler = async (scope) => {
    const userId = await dependencies(scope);
    if (userId === undefined) return;
    const row = owned(scope, userId);
    if (row !== undefined) sendJson(scope.res, 200, threadResponse(row, messageCount(row.id)));
  };

  // handle_update_thread_request (thread_handlers.py:82-129): the title into metadata, the client's metadata over
  // it without user_id, updated_at now.
  const update: RouteHandler = async (scope) => {
    const input = await dependenciesAndBody(scope, parseThreadCreate);
    if (input === undefined) return;
    const { userId, request } = input;
    const row = owned(scope, userId);
    if (row === undefined) return;
    const metadata: Record<string, unknown> = { ...row.metadata };
    const originalUser = metadata.user_id;
    if (request.title !== null) metadata.title = request.title;
    if (request.metadata) {
      const { user_id: _blocked, ...rest } = request.metadata;
      Object.assign(metadata, rest);
    }
    if (originalUser) metadata.user_id = String(originalUser).trim();
    metadata.updated_at = Math.floor(Date.now() / 1000);
    threads.setMetadata(row.id, metadata);
    sendJson(scope.res, 200, threadResponse({ ...row, metadata }, messageCount(row.id)));
  };

  const remove: RouteHandler = async (scope) => {
    const userId = await dependencies(scope);
    if (userId === undefined) return;
    const row = owned(scope, userId);
    if (row === undefined) return;
    // archive_thread (thread_repository.py:153-172): the row stays, archived.
    threads.archive(row.id);
    sendJson(scope.res, 200, { message: 'Thread archived successfully' });
  };

  const messages: RouteHandler = async (scope) => {
    const userId = await dependencies(scope);
    if (userId === undefined) return;
    const page = pageQuery(scope.res, scope.url.searchParams, { fallback: 50, le: 100 });
    if (page === undefined) return;
    const row = owned(scope, userId);
    if (row === undefined) return;
    const all = threads.messages(row.id);
    // build_thread_messages_response (thread_builders.py:91-98).
    sendJson(scope.res, 200, {
      messages: all.slice(page.offset, page.offset + page.limit),
      thread_id: row.id,
      total: all.length,
      limit: page.limit,
      offset: page.offset,
    });
  };

  // handle_send_message_request (thread_handlers.py:177-228) turns every failure, the validation's 404 and 403
  // included, into 500 "Failed to send message: <str(e)>" (str of an HTTPException is "404: Thread not found").
  const send: RouteHandler = async (scope) => {
    const input = await dependenciesAndBody(scope, parseSendMessage);
    if (input === undefined) return;
    const { userId, request } = input;
    const row = threads.get(scope.params.thread_id ?? '');
    const denied =
      row === undefined
        ? '404: Thread not found'
        : String(row.metadata.user_id ?? '').trim() !== userId.trim()
          ? '403: Access denied'
          : undefined;
    if (row === undefined || denied !== undefined) {
      return sendDetail(scope.res, 500, `Failed to send message: ${denied ?? ''}`);
    }
    const message = threads.addMessage(row.id, {
      id: randomUUID(),
      role: 'user',
      content: request.message,
      metadata: request.metadata ?? {},
    });
    sendJson(scope.res, 200, {
      id: message.id,
      thread_id: row.id,
      content: request.message,
      role: 'user',
      created_at: message.created_at,
    });
  };

  return { list, create, get, update, remove, messages, send };
}
