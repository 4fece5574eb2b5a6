// The request listener both services use: resolves the route, opens the SERVER span, records the
// request when its response closes (finished or aborted), and turns a handler crash into the
// plain-text 500 Starlette's ServerErrorMiddleware sends.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Context, Tracer } from '@opentelemetry/api';
import type { Recorder } from '../recorder.ts';
import { pathOf, startRecording } from '../recorder.ts';
import { endServerSpan, startServerSpan } from '../telemetry/server-span.ts';
import type { RecordedRequest } from '../types.ts';
import type { Resolution } from './router.ts';
import { sendDetail, sendText } from './send.ts';

export interface RequestScope {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Context holding this request's SERVER span, for child spans. */
  ctx: Context;
}

export type RouteHandler = (scope: RequestScope) => void | Promise<void>;

export interface ListenerOptions {
  service: RecordedRequest['service'];
  tracer: Tracer;
  record: Recorder;
  port: () => number;
  resolve: (method: string, path: string) => Resolution<RouteHandler>;
  /** Asked first for every request: a handler that replaces routing (auth_down), or undefined to route as usual. */
  intercept?: ((scope: RequestScope) => RouteHandler | undefined) | undefined;
}

export function createListener(opts: ListenerOptions): RequestListener {
  return (req, res) => {
    const finish = startRecording(opts.record, opts.service, req, false);
    const method = req.method ?? 'GET';
    const path = pathOf(req);
    const resolution = opts.resolve(method, path);
    const route = resolution.kind === 'not_found' ? undefined : resolution.route;
    const { span, ctx } = startServerSpan(opts.tracer, {
      method,
      path,
      route,
      port: opts.port(),
      traceparent: req.headers.traceparent,
    });
    let errorType: string | undefined;
    res.on('close', () => {
      const status = res.headersSent ? res.statusCode : 0;
      finish(status);
      endServerSpan(span, status, errorType);
    });
    const scope: RequestScope = {
      req,
      res,
      url: new URL(req.url ?? '/', 'http://double.invalid'),
      params: resolution.kind === 'found' ? resolution.params : {},
      ctx,
    };
    const handler: RouteHandler =
      opts.intercept?.(scope) ??
      (resolution.kind === 'found'
        ? resolution.handler
        : resolution.kind === 'method_not_allowed'
          ? ({ res: r }) => sendDetail(r, 405, 'Method Not Allowed')
          : ({ res: r }) => sendDetail(r, 404, 'Not Found'));
    Promise.resolve()
      .then(() => handler(scope))
      .catch((err: unknown) => {
        errorType = err instanceof Error ? err.name : 'Error';
        if (!res.headersSent) sendText(res, 500, 'Internal Server Error');
        else res.destroy();
      });
  };
}
