import { randomUUID } from 'node:crypto';
import {
  context,
  isSpanContextValid,
  type Link,
  type Span,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { Logger } from 'pino';
import { inSecretScope } from '../config/secret.ts';
import type { RunConfig } from '../config/types.ts';
import type { HopName } from '../domain/hops.ts';
import type { ProbeDefinition } from '../domain/probe-definition.ts';
import type { HopContext, HopOutcome, RunState } from '../hops/hop-contract.ts';
import { HOPS, missingInput } from '../hops/hop-table.ts';
import { boundedSignal } from '../net/bounded-signal.ts';
import { CookieJar } from '../net/cookie-jar.ts';
import { HttpClient, type RequestRecord } from '../net/http-client.ts';
import { cleanupOutcome } from '../report/cleanup-outcome.ts';
import { type HopReport, REPORT_SCHEMA, type Report, type RunResult, type Verdict } from '../report/types.ts';
import { probeTracer } from '../telemetry/tracer.ts';
import { type LogFindings, withCause } from '../triage/cause-verdict.ts';
import { decideVerdict, refineWithTriage } from '../triage/decide-verdict.ts';
import { noTriage, runTriage } from '../triage/triage.ts';
import { cleanUp } from './clean-up.ts';
import { hopLimits } from './hop-limits.ts';

export interface RunOptions {
  config: RunConfig;
  definition: ProbeDefinition;
  log: Logger;
  /** Fires when the process is told to stop (SIGTERM/SIGINT): the run ends early but still reports. */
  stop?: AbortSignal;
  attempt?: number;
  /** The definition's name for this target, when it has several. */
  targetName?: string | undefined;
  /** A keep-alive client shared by several users' runs; by default each run has its own. */
  http?: HttpClient;
  /** Which synthetic user this is, with --users N. */
  userIndex?: number;
  /** Links of the run's root span: to the previous attempt's, to the --users invocation. */
  links?: Link[];
  /** Told the root span's context once it started (the next attempt links to it). */
  onRootSpan?: (span: SpanContext) => void;
  /** Start a trace of its own even inside another span (a --users user: linked, not a child). */
  root?: boolean;
  /** Told as the run goes (a terminal's live table); never changes the run. */
  observer?: RunObserver;
}

/** What a live view is told while a run goes: its start, each hop's start (with the run's state) and end. */
export interface RunObserver {
  runStarted(run: { runId: string; attempt: number; startedAt: string; probe: string; target: Report['target'] }): void;
  hopStarted(name: HopName, state: Readonly<RunState>, budgetMs: number): void;
  hopFinished(hop: HopReport): void;
}

const TRIAGE_BUDGET_MS = 5_000;
const MIN_TRIAGE_MS = 1_000;

/**
 * One attempt of a probe: every hop in order under one deadline, triage after a failure, one report. The
 * tokens it meets belong to the secret scope of the run (its own when called alone).
 */
export function runProbe(opts: RunOptions): Promise<Report> {
  return inSecretScope(() => runAttempt(opts));
}

async function runAttempt(opts: RunOptions): Promise<Report> {
  const { config, definition, log } = opts;
  const runId = randomUUID();
  const startedAt = new Date();
  const t0 = performance.now();
  const stop = opts.stop ?? new AbortController().signal;
  const deadline = boundedSignal(stop, config.timeoutMs);
  const runDeadline = deadline.signal;
  const state: RunState = {
    threadId: `thread_probe_${runId.replaceAll('-', '').slice(0, 16)}`,
    threadSource: 'client',
    cookies: new CookieJar(config.apiUrl),
    created: {},
  };
  const http = opts.http ?? new HttpClient();
  const tracer = probeTracer();

  return tracer.startActiveSpan(
    'golden_path',
    {
      kind: SpanKind.INTERNAL,
      ...(opts.root ? { root: true } : {}),
      ...(opts.links?.length ? { links: opts.links } : {}),
      attributes: {
        'probe.name': definition.name,
        'probe.run_id': runId,
        'probe.attempt': opts.attempt ?? 1,
        'probe.target': opts.targetName ?? config.apiUrl,
        'probe.user_index': opts.userIndex ?? 0,
      },
    },
    async (root) => {
      opts.onRootSpan?.(root.spanContext());
      const hops: HopReport[] = [];
      const observer = opts.observer;
      observer?.runStarted({
        runId,
        attempt: opts.attempt ?? 1,
        startedAt: startedAt.toISOString(),
        probe: definition.name,
        target: {
          ...(opts.targetName ? { name: opts.targetName } : {}),
          api: config.apiUrl,
          auth: config.authUrl,
          ws: config.wsUrl,
        },
      });
      const openSpans = new Map<HopName, { span: Span; end: number }>();
      const settled = new Set<HopName>();
      try {
        for (const name of hopsToRun(config, definition, opts.userIndex ?? 0)) {
          const skip = skipReason(name, hops, state, runDeadline, stop);
          if (skip) {
            hops.push({
              name,
              status: 'skip',
              durationMs: 0,
              startMs: Math.round(performance.now() - t0),
              skippedBecause: skip,
            });
            log.info({ hop: name, status: 'skip', reason: skip }, `${name}: skip (${skip})`);
            observer?.hopFinished(hops.at(-1)!);
            continue;
          }
          const hopStart = performance.now();
          const span = tracer.startSpan(name, { kind: SpanKind.INTERNAL }, context.active());
          const { budgetMs: budget, degradedMs } = hopLimits(name, config, definition);
          const hopDeadline = boundedSignal(runDeadline, budget);
          const requests: RequestRecord[] = [];
          const ctx: HopContext = {
            config,
            definition,
            runId,
            http: http.recordingInto(requests, state.cookies),
            log,
            signal: hopDeadline.signal,
            state,
          };
          let outcome: HopOutcome;
          observer?.hopStarted(name, state, budget);
          try {
            outcome = await context.with(trace.setSpan(context.active(), span), () => HOPS[name].run(ctx));
          } finally {
            hopDeadline.release();
          }
          if (stop.aborted && outcome.status === 'fail') {
            // Interrupted is not failed (docs/verdicts.md): the hop did not finish, so it is not judged.
            const why = `${STOPPED} (${stopCause(stop)}) during this hop`;
            outcome = {
              ...outcome,
              status: 'skip',
              code: 'RUN_ABORTED',
              skippedBecause: why,
              evidence: [...outcome.evidence, why],
            };
          }
          if (outcome.settled) settled.add(name);
          const durationMs = performance.now() - hopStart;
          const report = toHopReport(name, outcome, durationMs, hopStart - t0, degradedMs);
          if (requests.length > 0) report.requests = requests;
          hops.push(report);
          observer?.hopFinished(report);
          // A performance.now() time: on the span's own clock, like its start and its events.
          openSpans.set(name, { span, end: performance.now() });
          context.with(trace.setSpan(context.active(), span), () => logHop(log, report));
        }

        // Deleting what the run created runs beside triage, under its own short deadline.
        const cleaning = cleanUp(config, state, http, stop);
        const failed = hops.some((h) => h.status === 'fail');
        const triageMs = Math.round(
          Math.max(MIN_TRIAGE_MS, Math.min(TRIAGE_BUDGET_MS, config.timeoutMs - (performance.now() - t0))),
        );
        const findings =
          failed && !stop.aborted
            ? await triageWithin(stop, triageMs, (signal) => runTriage({ config, state, http, signal }))
            : noTriage();
        // Triage's finding applies to every hop that saw the same symptom, not only the first.
        for (const hop of hops)
          if (hop.status === 'fail' && hop.code && !settled.has(hop.name))
            hop.code = refineWithTriage(hop.code, findings);
        const traceId = isSpanContextValid(root.spanContext()) ? root.spanContext().traceId : null;
        const logs =
          failed && config.gcp && !stop.aborted
            ? await readServiceLogs(config, state, http, traceId, startedAt, stop)
            : undefined;
        // Told to stop before the hops were done: no conclusion, unless a hop had already failed on its own (a
        // real finding about staging, kept). A stop after the last hop changes nothing.
        const interrupted =
          stop.aborted &&
          !hops.some((h) => h.status === 'fail') &&
          hops.some((h) => h.code === 'RUN_ABORTED' || h.skippedBecause === STOPPED);
        const verdict = interrupted
          ? abortedVerdict(hops, stopCause(stop))
          : withCause(
              decideVerdict(hops, findings, thresholds(config, definition), settled, {
                login: config.login,
                apiUrl: config.apiUrl,
                authUrl: config.authUrl,
                wsUrl: config.wsUrl,
                gcpProject: config.gcp !== undefined,
              }),
              state.configFindings,
              logs,
            );

        // Hop spans stay open until the verdict is known, so error.type carries the triaged code.
        for (const hop of hops) {
          const open = openSpans.get(hop.name);
          if (!open) continue;
          endHopSpan(open.span, hop, open.end);
        }

        const result: RunResult = interrupted
          ? 'aborted'
          : hops.some((h) => h.status === 'fail')
            ? 'fail'
            : hops.some((h) => h.status === 'degraded')
              ? 'degraded'
              : 'pass';
        const failedHop = result === 'fail' ? (hops.find((h) => h.status === 'fail')?.name ?? null) : null;
        root.setAttributes({
          'probe.result': result,
          'probe.failed_hop': failedHop ?? '',
          'probe.verdict': verdict.code,
        });
        if (result === 'fail') {
          root.setAttribute('error.type', verdict.code);
          // The description is the sentence, not the code again (error.type and probe.verdict carry that).
          root.setStatus({ code: SpanStatusCode.ERROR, message: verdict.summary });
        }

        const report: Report = {
          schema: REPORT_SCHEMA,
          probe: definition.name,
          runId,
          attempt: opts.attempt ?? 1,
          target: {
            ...(opts.targetName ? { name: opts.targetName } : {}),
            api: config.apiUrl,
            auth: config.authUrl,
            ws: config.wsUrl,
          },
          startedAt: startedAt.toISOString(),
          durationMs: Math.round(performance.now() - t0),
          result,
          failedHop,
          verdict,
          traceId,
          traceUrl:
            traceId && config.traceUrlTemplate ? config.traceUrlTemplate.replaceAll('{traceId}', traceId) : null,
          hops,
          ...(state.configFindings ? { findings: state.configFindings } : {}),
        };
        const cleanup = await cleaning;
        if (cleanup.length > 0) {
          report.cleanup = cleanup;
          const line = cleanup.map((c) => `${c.resource} ${cleanupOutcome(c)}`).join(', ');
          log[cleanup.every((c) => c.deleted) ? 'info' : 'warn']({ cleanup }, `clean-up: ${line}`);
        }
        if (state.transcript) {
          report.transcript = state.transcript.snapshot({
            user: state.tokenSubject,
            thread: state.threadId,
            threadSource: state.threadSource,
          });
        }
        log[result === 'fail' ? 'error' : result === 'degraded' || result === 'aborted' ? 'warn' : 'info'](
          { result, failedHop, verdict: verdict.code, durationMs: report.durationMs, runId },
          `${definition.name}: ${result} ${verdict.code}${failedHop ? ` at ${failedHop}` : ''}: ${verdict.summary}`,
        );
        return report;
      } finally {
        for (const { span } of openSpans.values()) if (span.isRecording()) span.end();
        state.socket?.terminate();
        deadline.release();
        if (!opts.http) await http.close();
        root.end();
      }
    },
  );
}

const STOPPED = 'the probe was told to stop';

/** Which signal stopped the run (the lifecycle aborts with Error(signal name)), for the sentences. */
function stopCause(stop: AbortSignal): string {
  const reason = (stop.reason as { message?: unknown } | undefined)?.message;
  return typeof reason === 'string' && /^SIG[A-Z]+$/.test(reason) ? reason : 'a stop signal';
}

/**
 * A run told to stop concludes nothing about staging: RUN_ABORTED at the hop it was in (or the first it did
 * not start), whatever the hops before it found.
 */
function abortedVerdict(hops: readonly HopReport[], cause: string): Verdict {
  const at = hops.find((h) => h.code === 'RUN_ABORTED') ?? hops.find((h) => h.status === 'skip');
  const where = at ? ` during ${at.name}` : '';
  return {
    code: 'RUN_ABORTED',
    hop: at?.name ?? null,
    summary: `The run was stopped (${cause})${where} before it could finish: no conclusion about staging.`,
    evidence: at?.evidence ?? (at?.skippedBecause ? [`${at.name}: ${at.skippedBecause}`] : []),
  };
}

/** Long enough for two entries:list calls; the lookup is evidence, and must not hold a failed run's report back. */
const LOG_LOOKUP_MS = 4_000;

async function readServiceLogs(
  config: RunConfig,
  state: RunState,
  http: HttpClient,
  traceId: string | null,
  startedAt: Date,
  stop: AbortSignal,
): Promise<LogFindings> {
  const settings = config.gcp!;
  const [{ tokenSource }, { lookupServiceLogs }] = await Promise.all([
    import('../gcp/access-token.ts'),
    import('../triage/service-logs.ts'),
  ]);
  state.gcpToken ??= tokenSource(settings);
  const token = state.gcpToken;
  return triageWithin(stop, LOG_LOOKUP_MS, (signal) =>
    lookupServiceLogs({ settings, http, token, traceId, startedAt, signal }),
  );
}

/** Work after the hops, bounded by its own budget and the stop signal, not by the (maybe spent) run deadline. */
async function triageWithin<T>(stop: AbortSignal, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const bounded = boundedSignal(stop, ms);
  try {
    return await work(bounded.signal);
  } finally {
    bounded.release();
  }
}

/** Hop config comes first when a GCP project is configured; with --users N only the first user reads it. */
function hopsToRun(config: RunConfig, definition: ProbeDefinition, userIndex: number): readonly HopName[] {
  const golden = definition.hops.filter((h) => h !== 'config');
  return config.gcp && userIndex === 0 ? ['config', ...golden] : golden;
}

function skipReason(
  name: HopName,
  done: readonly HopReport[],
  state: RunState,
  deadline: AbortSignal,
  stop: AbortSignal,
): string | undefined {
  if (stop.aborted) return STOPPED;
  if (deadline.aborted) return 'the run deadline (--timeout-ms) passed';
  return missingInput(name, state, done);
}

function thresholds(config: RunConfig, definition: ProbeDefinition): Map<string, number> {
  const map = new Map<string, number>();
  for (const name of definition.hops) {
    const t = hopLimits(name, config, definition).degradedMs;
    if (t !== undefined) map.set(name, t);
  }
  return map;
}

function toHopReport(
  name: HopName,
  outcome: HopOutcome,
  durationMs: number,
  startMs: number,
  threshold: number | undefined,
): HopReport {
  const slow = outcome.status === 'pass' && threshold !== undefined && durationMs > threshold;
  const report: HopReport = {
    name,
    status: slow ? 'degraded' : outcome.status,
    durationMs: Math.round(durationMs),
    startMs: Math.round(startMs),
  };
  if (outcome.httpStatus !== undefined) report.httpStatus = outcome.httpStatus;
  if (outcome.code) report.code = outcome.code;
  if (outcome.evidence.length) report.evidence = outcome.evidence;
  if (outcome.events) report.events = outcome.events;
  if (outcome.missing) report.missing = outcome.missing;
  if (outcome.skippedBecause) report.skippedBecause = outcome.skippedBecause;
  if (outcome.artifacts?.length) report.artifacts = outcome.artifacts;
  if (outcome.network) report.network = outcome.network;
  return report;
}

/**
 * The hop's status code is its own attribute (probe.hop.http_status), not http.response.status_code: that one
 * belongs to the CLIENT span that got the answer, so a search for a 403 finds one span per failure.
 */
function endHopSpan(span: Span, hop: HopReport, endTime: number): void {
  span.setAttribute('probe.hop.status', hop.status);
  if (hop.httpStatus !== undefined) span.setAttribute('probe.hop.http_status', hop.httpStatus);
  if (hop.evidence?.length) span.setAttribute('probe.evidence', hop.evidence);
  if (hop.missing?.length) span.setAttribute('probe.agent.missing', hop.missing);
  if (hop.status === 'fail') {
    span.setAttribute('error.type', hop.code ?? 'BACKEND_ERROR');
    // The description says what happened; error.type already names the code.
    const first = hop.evidence?.[0];
    span.setStatus({ code: SpanStatusCode.ERROR, ...(first ? { message: first } : {}) });
  }
  span.end(endTime);
}

function logHop(log: Logger, hop: HopReport): void {
  const fields = {
    hop: hop.name,
    status: hop.status,
    durationMs: hop.durationMs,
    httpStatus: hop.httpStatus,
    code: hop.code,
    evidence: hop.evidence,
  };
  const line = `${hop.name}: ${hop.status} in ${hop.durationMs} ms${hop.code ? ` (${hop.code})` : ''}`;
  if (hop.status === 'fail') log.error(fields, line);
  else if (hop.status === 'degraded') log.warn(fields, line);
  else log.info(fields, line);
}
