import type { HttpResponse } from '../net/http-client.ts';
import { responseDetail } from '../net/response-detail.ts';
import { serverValue } from '../net/server-text.ts';
import { notJson } from '../net/unexpected-body.ts';
import { backendJson } from './bearer.ts';
import type { HopContext, HopOutcome } from './hop-contract.ts';
import { restFailure, restUnreachable } from './rest-failure.ts';
import { usableId } from './server-id.ts';

const PATH = '/api/threads';

/**
 * Hop thread.create: the run's thread, made as the real web frontend makes it (threadService.ts:38-43,
 * useMessageSending.ts:99-104 at aebb16f77), so start_agent names a thread the backend keeps instead of one
 * it replaces. `/api/threads` is a database route: `create_thread(thread_data, db: DbDep, current_user)`
 * (threads_route.py:64-72), `DbDep = Depends(get_request_scoped_db_session)` (dependencies.py:520) resolved
 * before the user, so a 403 here is that session refused — where the system-user incident failed.
 */
export async function threadCreate(ctx: HopContext): Promise<HopOutcome> {
  const what = `POST ${PATH}`;
  let res: HttpResponse;
  try {
    res = await backendJson(ctx, 'POST', PATH, {
      title: `golden-path-probe ${ctx.definition.name} run ${ctx.runId}`,
      metadata: { source: 'golden-path-probe', probe: ctx.definition.name, run_id: ctx.runId },
    });
  } catch (err) {
    return restUnreachable(what, err);
  }
  // FastAPI's own 403 body: the dependency raised it. A 403 page from a proxy in front says something else.
  if (res.status === 403 && responseDetail(res) === 'Not authenticated') {
    const failure = restFailure(what, res, `${ctx.config.apiUrl}${PATH}`);
    return {
      ...failure,
      code: 'DB_SESSION_REFUSED',
      evidence: [
        ...failure.evidence,
        'POST /api/threads resolves the request-scoped database session (get_request_scoped_db_session) before the ' +
          'user: a 403 here is that session refused, not the token (a rejected token is 401 on this route)',
      ],
      // Triage's answer about the token cannot turn a refused database session into a rejected token.
      settled: true,
    };
  }
  if (res.status !== 200) return restFailure(what, res, `${ctx.config.apiUrl}${PATH}`);
  const id = (res.json as { id?: unknown } | undefined)?.id;
  if (!usableId(id)) {
    return {
      status: 'fail',
      code: 'BACKEND_ERROR',
      httpStatus: 200,
      evidence: [`${what} answered 200 ${notJson(res) ?? 'without a thread id'}`],
    };
  }
  ctx.state.threadId = id;
  ctx.state.threadSource = 'created';
  ctx.state.created.thread = id;
  return { status: 'pass', httpStatus: 200, evidence: [`${what} created thread ${serverValue(id)}`] };
}
