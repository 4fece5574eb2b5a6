// Cloud Logging v2 `entries:list`, fed by what the double's services really answered: a 5xx is an ERROR
// request log, and under system_user_403 the backend's 403 on its database routes comes with its own
// SYSTEM_USER_AUTH_FAILURE line, on the trace of the request that caused it.

import type { GoogleEffects } from '../fault-effects.ts';
import type { RouteHandler } from '../http/listener.ts';
import { isPlainObject, parseJson, readBody } from '../http/read-body.ts';
import { sendJson } from '../http/send.ts';
import type { RecordedRequest } from '../types.ts';
import { admit, type GoogleAccess, sendGoogleError } from './google-errors.ts';
import type { GoogleModel } from './google-model.ts';
import { type FakeLogEntry, matches, parseLogFilter } from './log-filter.ts';

/** The backend's line (netra_backend/app/logging/auth_trace_logger.py:463, per the protocol notes). */
const SYSTEM_USER_LINE =
  "SYSTEM_USER_AUTH_FAILURE: The 'system' user failed authentication! | This indicates a service-to-service " +
  'authentication problem. | Check: SERVICE_SECRET, JWT_SECRET_KEY, AUTH_SERVICE_URL';

type Entry = FakeLogEntry & Record<string, unknown>;

function entriesFrom(model: GoogleModel, effects: GoogleEffects, requests: readonly RecordedRequest[]): Entry[] {
  const out: Entry[] = [];
  for (const [i, r] of requests.entries()) {
    if (r.service !== 'backend' && r.service !== 'auth') continue;
    const service = model.services.get(r.service === 'backend' ? model.backendService : model.authService)!;
    const traceId = /^00-([0-9a-f]{32})-/.exec(r.traceparent ?? '')?.[1];
    const base = {
      resource: {
        type: 'cloud_run_revision',
        labels: {
          project_id: model.project,
          location: model.region,
          service_name: service.name,
          revision_name: service.revision.name,
        },
      },
      timestamp: new Date(r.startedAt).toISOString(),
      ...(traceId ? { trace: `projects/${model.project}/traces/${traceId}` } : {}),
      receiveTimestamp: new Date(r.startedAt + r.durationMs + 5).toISOString(),
    };
    if (r.status >= 500) {
      out.push({
        ...base,
        insertId: `req${i}`,
        logName: `projects/${model.project}/logs/run.googleapis.com%2Frequests`,
        severity: 'ERROR',
        httpRequest: { requestMethod: r.method, requestUrl: `${service.uri}${r.path}`, status: r.status },
      });
    }
    const dbRoute = r.service === 'backend' && r.path.startsWith('/api/threads') && r.status === 403;
    if (effects.systemUserFailure && dbRoute) {
      out.push({
        ...base,
        insertId: `sys${i}`,
        logName: `projects/${model.project}/logs/run.googleapis.com%2Fstderr`,
        severity: 'ERROR',
        textPayload: SYSTEM_USER_LINE,
      });
    }
  }
  return out;
}

export function loggingRoute(
  model: GoogleModel,
  effects: GoogleEffects,
  access: GoogleAccess,
  requests: readonly RecordedRequest[],
): RouteHandler {
  return async ({ req, res }) => {
    const body = parseJson(await readBody(req));
    const request = body.ok && isPlainObject(body.value) ? body.value : {};
    const names = Array.isArray(request.resourceNames) ? request.resourceNames : [];
    const resource = typeof names[0] === 'string' ? names[0] : '';
    // A log view of the project (projects/P/locations/L/buckets/B/views/V) takes logging.views.access, which
    // roles/logging.viewAccessor grants; the project itself takes roles/logging.viewer.
    const view = new RegExp(`^projects/${model.project}/locations/[a-z0-9-]+/buckets/[\\w-]+/views/[\\w-]+$`).test(
      resource,
    );
    const [role, permission] = view
      ? ['roles/logging.viewAccessor', 'logging.views.access']
      : ['roles/logging.viewer', 'logging.logEntries.list'];
    if (!admit(req, res, access, role, permission, resource)) return;
    if (!view && !names.includes(`projects/${model.project}`))
      return sendGoogleError(res, 403, `The caller does not have permission on ${resource || 'the resource'}.`);
    const terms = parseLogFilter(typeof request.filter === 'string' ? request.filter : '');
    if (typeof terms === 'string') return sendGoogleError(res, 400, `Invalid filter: ${terms}`);
    const desc = request.orderBy === 'timestamp desc';
    const pageSize = typeof request.pageSize === 'number' ? Math.min(Math.max(1, request.pageSize), 1000) : 50;
    const found = entriesFrom(model, effects, requests).filter((e) => matches(e, terms));
    if (desc) found.reverse();
    sendJson(res, 200, found.length ? { entries: found.slice(0, pageSize) } : {});
  };
}
