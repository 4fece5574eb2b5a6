// The serve mode's HTTP surface: POST /run, GET /metrics, GET /healthz. Everything else is 404, a known
// path with the wrong method 405 with Allow.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { formatDuration } from './duration.ts';
import type { OidcVerifier } from './oidc-verifier.ts';
import type { RunCoordinator } from './run-coordinator.ts';
import type { ServeMetrics } from './serve-metrics.ts';

export interface ApiContext {
  coordinator: RunCoordinator;
  metrics: ServeMetrics;
  /** Present when --oidc-audience is set: POST /run then needs a verified ID token. */
  verifier: OidcVerifier | undefined;
  log: Logger;
  everyMs: number | undefined;
  /** POST /run starts no run sooner than this after the last one started (429); 0: no limit. */
  minRunIntervalMs: number;
  /** True once SIGTERM/SIGINT arrived: no new runs. */
  stopping: () => boolean;
}

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: ApiContext) => Promise<void> | void;

const ROUTES: Record<string, Partial<Record<string, Handler>>> = {
  '/run': { POST: postRun },
  '/metrics': { GET: getMetrics, HEAD: getMetrics },
  '/healthz': { GET: getHealth, HEAD: getHealth },
};

export function createApiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const route = ROUTES[path];
    // The body is never needed: drain it so a keep-alive connection stays usable.
    req.resume();
    if (!route)
      return sendJson(res, 404, {
        error: `no such endpoint: ${path} (there are POST /run, GET /metrics, GET /healthz)`,
      });
    const handler = route[req.method ?? 'GET'];
    if (!handler) {
      const allow = Object.keys(route).join(', ');
      return sendJson(res, 405, { error: `${req.method} is not allowed on ${path} (use ${allow})` }, { Allow: allow });
    }
    Promise.resolve(handler(req, res, ctx)).catch((err: unknown) => {
      ctx.log.error({ event: 'http.error', path, err }, `serve: ${req.method} ${path} failed: ${String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error in the probe (a bug); see the logs' });
      else res.destroy();
    });
  };
}

async function postRun(req: IncomingMessage, res: ServerResponse, ctx: ApiContext): Promise<void> {
  let caller: { email?: string; sub?: string } | undefined;
  if (ctx.verifier) {
    const auth = await ctx.verifier(req.headers.authorization);
    if (!auth.ok) {
      const unavailable = auth.code === 'JWKS_UNAVAILABLE';
      ctx.log[unavailable ? 'error' : 'warn'](
        {
          event: 'run.unauthorized',
          code: auth.code,
          reason: auth.reason,
          caller: auth.caller,
          remote: req.socket.remoteAddress,
        },
        `serve: POST /run refused (${auth.code}): ${auth.reason}`,
      );
      if (unavailable) return sendJson(res, 503, { error: auth.reason }, { 'Retry-After': '10' });
      return sendJson(res, 401, { error: auth.reason }, { 'WWW-Authenticate': 'Bearer' });
    }
    caller = {
      ...(auth.caller.email ? { email: auth.caller.email } : {}),
      ...(auth.caller.sub ? { sub: auth.caller.sub } : {}),
    };
  }
  if (ctx.stopping()) return sendJson(res, 503, { error: 'the probe is shutting down' }, { Connection: 'close' });
  const waitMs = tooSoonBy(ctx);
  if (waitMs > 0) {
    const retryAfter = Math.ceil(waitMs / 1000);
    ctx.log.warn(
      { event: 'run.too_soon', caller, retryAfterS: retryAfter, remote: req.socket.remoteAddress },
      `serve: POST /run refused (429): the last run started less than --min-run-interval ` +
        `${formatDuration(ctx.minRunIntervalMs)} ago`,
    );
    return sendJson(
      res,
      429,
      {
        error: `a run started less than ${formatDuration(ctx.minRunIntervalMs)} ago (--min-run-interval); try again in ${retryAfter} s`,
      },
      { 'Retry-After': String(retryAfter) },
    );
  }

  // The caller's traceparent (a deploy pipeline's, a Cloud Scheduler's) parents the run: its trace shows the
  // probe's run under the step that asked for it. The run starts synchronously in start(), so it inherits this.
  const callerContext = propagation.extract(ROOT_CONTEXT, req.headers);
  const { run, joined } = context.with(callerContext, () => ctx.coordinator.start('http'));
  ctx.log.info(
    { event: 'run.requested', caller, joined },
    joined ? 'serve: POST /run joins the run in progress' : 'serve: POST /run starts a run',
  );
  const outcome = await run.outcome;
  const headers = { 'X-Probe-Run': joined ? 'joined' : 'started' };
  if (!outcome.ok)
    return sendJson(res, 500, { error: 'the probe broke during the run (a bug); see the logs' }, headers);
  const reports = outcome.results.map((r) => r.report);
  const aborted = ctx.stopping() && reports.some((r) => r.verdict.code === 'RUN_ABORTED');
  // The probe of the flags has one target: the answer is its report. A definition with several targets
  // (or none in this shard) answers { reports: [...] }.
  const single = reports.length === 1 && reports[0]!.target.name === undefined ? reports[0]! : undefined;
  const body = single ?? { reports };
  if (aborted)
    return sendJson(
      res,
      503,
      { error: 'the run was aborted: the probe is shutting down', ...(single ? { report: single } : { reports }) },
      { ...headers, Connection: 'close' },
    );
  const worst = reports.some((r) => r.result === 'fail')
    ? 'fail'
    : reports.some((r) => r.result === 'degraded')
      ? 'degraded'
      : 'pass';
  sendJson(res, 200, body, { ...headers, 'X-Probe-Result': worst });
}

/** How long until POST /run may start a run; 0 when it may now (or joins the one in progress). */
function tooSoonBy(ctx: ApiContext): number {
  const last = ctx.coordinator.lastStartedAt;
  if (ctx.coordinator.current || last === undefined || ctx.minRunIntervalMs === 0) return 0;
  return Math.max(0, last + ctx.minRunIntervalMs - Date.now());
}

async function getMetrics(_req: IncomingMessage, res: ServerResponse, ctx: ApiContext): Promise<void> {
  send(res, 200, ctx.metrics.contentType, await ctx.metrics.render());
}

function getHealth(_req: IncomingMessage, res: ServerResponse, ctx: ApiContext): void {
  const current = ctx.coordinator.current;
  const targets = ctx.metrics.status().map((t) => ({
    ...(t.target ? { target: t.target } : {}),
    lastRun: t.last
      ? {
          result: t.last.result,
          verdict: t.last.code,
          hop: t.last.hop,
          flaky: t.last.flaky,
          durationMs: t.last.durationMs,
          finishedAt: t.last.finishedAt.toISOString(),
        }
      : null,
    consecutiveFailures: t.consecutiveFailures,
    alerting: t.alerting,
  }));
  // The probe of the flags has one target: its fields sit at the top level.
  const single = targets.length === 1 && !('target' in targets[0]!) ? targets[0] : undefined;
  sendJson(res, 200, {
    status: 'ok',
    every: ctx.everyMs === undefined ? null : formatDuration(ctx.everyMs),
    running: current ? { trigger: current.trigger, startedAt: new Date(current.startedAt).toISOString() } : null,
    ...(single ?? { targets }),
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, headers);
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}
