// `golden-probe serve`: one HTTP server, an optional fixed-rate schedule, at most one run at a time, and a
// graceful end on the stop signal (SIGTERM/SIGINT): no new runs, the current one aborted through the
// same signal (it still reports), the server closed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { HttpClient } from '../net/http-client.ts';
import type { Report } from '../report/types.ts';
import { formatDuration } from './duration.ts';
import { createApiHandler } from './http-api.ts';
import { createOidcVerifier } from './oidc-verifier.ts';
import { RunCoordinator, type RunTrigger, type TargetResult } from './run-coordinator.ts';
import { IntervalScheduler } from './scheduler.ts';
import { ServeMetrics } from './serve-metrics.ts';
import type { ServeOptions } from './serve-options.ts';

/** How long open connections get to finish their responses once the runs are over. */
const CLOSE_GRACE_MS = 2_000;

export interface ServeInput {
  options: ServeOptions;
  /** One run with retries, reports and OTLP metrics; `failed` follows the exit-code rule of `golden-probe run`. */
  runOnce: () => Promise<TargetResult[]>;
  log: Logger;
  /** This shard's target names (undefined: the one target of the flags), for metrics at 0 before any run. */
  targets: ReadonlyArray<string | undefined>;
  /** Fires on SIGTERM/SIGINT; the run given by runOnce honours it too. */
  stop: AbortSignal;
}

export class ListenError extends Error {
  readonly code: string;
  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListenError';
    this.code = code;
  }
}

export interface RunningServe {
  url: string;
  port: number;
  /** Resolves when the stop signal has been handled: schedule stopped, run over, server closed. */
  done: Promise<void>;
}

export async function startServe(input: ServeInput): Promise<RunningServe> {
  const { options, log, stop } = input;
  const metrics = new ServeMetrics(options.failAfter, input.targets);
  let stopping = false;

  const coordinator = new RunCoordinator(async (trigger: RunTrigger) => {
    log.info(
      { event: 'run.start', trigger },
      `serve: run started (${trigger === 'schedule' ? 'scheduled' : 'POST /run'})`,
    );
    try {
      const results = await input.runOnce();
      const finishedAt = new Date();
      for (const { report, failed } of results) {
        metrics.observe(report, failed, finishedAt);
        logRunEnd(log, trigger, report, failed, metrics);
      }
      return results;
    } catch (err) {
      metrics.internalError();
      log.error({ event: 'run.error', trigger, err }, `serve: the probe broke during a run (a bug): ${String(err)}`);
      throw err;
    }
  });

  const jwksClient = options.oidc ? new HttpClient() : undefined;
  const verifier = options.oidc && jwksClient ? createOidcVerifier(options.oidc, jwksClient) : undefined;
  const server = createServer(
    createApiHandler({
      coordinator,
      metrics,
      verifier,
      log,
      everyMs: options.everyMs,
      minRunIntervalMs: options.minRunIntervalMs,
      stopping: () => stopping,
    }),
  );
  const port = await listen(server, options.port, options.host);
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  log.info(
    {
      event: 'listening',
      url,
      port,
      every: options.everyMs === undefined ? null : formatDuration(options.everyMs),
      failAfter: options.failAfter,
      minRunInterval: formatDuration(options.minRunIntervalMs),
      oidc: options.oidc
        ? { audience: options.oidc.audience, jwksUrl: options.oidc.jwksUrl.href, allow: options.oidc.allow ?? null }
        : null,
    },
    `serve: listening on ${url} (POST /run, GET /metrics, GET /healthz)${options.everyMs === undefined ? '' : `, a run every ${formatDuration(options.everyMs)}`}`,
  );

  if (options.unauthenticated) {
    log.warn(
      { event: 'serve.unauthenticated', host: options.host },
      `serve: POST /run is open (--allow-unauthenticated): anyone who reaches ${url} can start runs against ` +
        'staging and read their reports; keep it behind something that authenticates (Cloud Run IAM), or use ' +
        '--oidc-audience with --oidc-allow',
    );
  }

  const scheduler =
    options.everyMs === undefined
      ? undefined
      : new IntervalScheduler(options.everyMs, () => {
          const current = coordinator.current;
          if (current) {
            metrics.skippedTick();
            const runningForMs = Date.now() - current.startedAt;
            log.warn(
              { event: 'tick.skipped', runningForMs, every: formatDuration(options.everyMs!) },
              `serve: scheduled run skipped: the previous run is still going (${runningForMs} ms so far, longer ` +
                `than --every ${formatDuration(options.everyMs!)})`,
            );
            return;
          }
          coordinator.start('schedule');
        });

  if (!stop.aborted) scheduler?.start();
  const done = new Promise<void>((resolve) => {
    const shutdown = async () => {
      stopping = true;
      scheduler?.stop();
      const running = coordinator.current;
      log.info(
        { event: 'stopping', running: running?.trigger ?? null },
        `serve: stopping${running ? '; aborting the run in progress' : ''}`,
      );
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      await coordinator.idle();
      // The last responses (a POST /run that waited for the aborted run) get a moment to go out.
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(force);
      await jwksClient?.close();
      log.info({ event: 'stopped' }, 'serve: stopped');
      resolve();
    };
    if (stop.aborted) void shutdown();
    else stop.addEventListener('abort', () => void shutdown(), { once: true });
  });

  return { url, port, done };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ERR_LISTEN';
      const why =
        code === 'EADDRINUSE'
          ? 'the port is in use'
          : code === 'EACCES'
            ? 'permission denied'
            : code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND'
              ? 'no such local address'
              : err.message;
      reject(new ListenError(`cannot listen on ${host}:${port}: ${why} (${code})`, code, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function logRunEnd(log: Logger, trigger: RunTrigger, report: Report, failed: boolean, metrics: ServeMetrics): void {
  const status = metrics.status().find((t) => t.target === (report.target.name ?? null));
  const inARow = status?.consecutiveFailures ?? 0;
  const target = report.target.name;
  log[failed ? 'error' : 'info'](
    {
      event: 'run.end',
      trigger,
      ...(target ? { target } : {}),
      result: report.result,
      verdict: report.verdict.code,
      failedHop: report.failedHop,
      flaky: report.flaky === true,
      durationMs: report.durationMs,
      consecutiveFailures: inARow,
      alerting: status?.alerting ?? false,
    },
    `serve: ${target ? `${target}: ` : ''}run ${report.result} ${report.verdict.code}${report.flaky ? ' (flaky)' : ''}; ${inARow} failed in a row${status?.alerting ? ', ALERTING' : ''}`,
  );
}
