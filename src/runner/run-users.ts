import { SpanKind } from '@opentelemetry/api';
import type { RunConfig } from '../config/types.ts';
import { HttpClient } from '../net/http-client.ts';
import type { HopAggregate, Report, UsersSummary } from '../report/types.ts';
import { probeTracer } from '../telemetry/tracer.ts';
import { percentile } from './percentile.ts';
import { type RunOptions, runProbe } from './run-probe.ts';

/**
 * N independent synthetic users in one process, each with its own login, socket and agent run, sharing
 * one keep-alive HTTP client. The report is that of the first user with the most frequent failure (else
 * the first user's), with the aggregate over all users in `users`.
 */
export async function runUsers(opts: RunOptions): Promise<Report> {
  const count = opts.config.users;
  if (count <= 1) return runProbe(opts);
  // One span for the invocation, which the attempts' links point at; each user's run is a trace of its own
  // (a trace per user stays readable), linked to it, so a backend finds every user of one invocation.
  const invocation = probeTracer().startSpan('golden_path.users', {
    kind: SpanKind.INTERNAL,
    root: true,
    ...(opts.links?.length ? { links: opts.links } : {}),
    attributes: { 'probe.name': opts.definition.name, 'probe.users': count, 'probe.attempt': opts.attempt ?? 1 },
  });
  opts.onRootSpan?.(invocation.spanContext());
  const link = { context: invocation.spanContext() };
  const http = new HttpClient();
  try {
    const reports = await Promise.all(
      Array.from({ length: count }, (_, i) => {
        const { onRootSpan: _told, ...rest } = opts;
        return runProbe({
          ...rest,
          config: configForUser(opts.config, i),
          http,
          userIndex: i,
          links: [{ ...link, attributes: { 'probe.user_index': i } }],
          root: true,
        });
      }),
    );
    const shownUser = headlineUser(reports, opts.definition.hops);
    const shown = reports[shownUser]!;
    return { ...shown, users: summarise(reports, shownUser) };
  } finally {
    await http.close();
    invocation.end();
  }
}

/**
 * Whose report heads a many-user run: the first user with the most frequent failure verdict, so the
 * headline names what most users hit, not whichever failure came first (286 LOGIN_UNAVAILABLE must not
 * hide behind 7 BACKEND_AUTH_UNAVAILABLE). A tie goes to the verdict whose hop comes first in the probe's
 * hop order, the one nearer the cause. No failure: the first degraded user, else the first user.
 */
export function headlineUser(reports: readonly Report[], hopOrder: readonly string[]): number {
  const byCode = new Map<string, { count: number; first: number; hopIndex: number }>();
  reports.forEach((r, i) => {
    if (r.result !== 'fail') return;
    const hopIndex = r.verdict.hop === null ? hopOrder.length : hopOrder.indexOf(r.verdict.hop);
    const seen = byCode.get(r.verdict.code);
    if (seen) {
      seen.count++;
      seen.hopIndex = Math.min(seen.hopIndex, hopIndex);
    } else byCode.set(r.verdict.code, { count: 1, first: i, hopIndex });
  });
  let best: { count: number; first: number; hopIndex: number } | undefined;
  for (const g of byCode.values()) {
    if (!best || g.count > best.count || (g.count === best.count && g.hopIndex < best.hopIndex)) best = g;
  }
  return (
    best?.first ??
    Math.max(
      0,
      reports.findIndex((r) => r.result === 'degraded'),
    )
  );
}

/** In e2e mode each user gets its own identity (the auth service derives the user id from the email). */
function configForUser(config: RunConfig, index: number): RunConfig {
  if (config.login !== 'e2e') return config; // a password identity is one account: users share it
  const email = config.userEmail ?? 'golden-probe@staging.netrasystems.ai';
  const at = email.lastIndexOf('@');
  return { ...config, userEmail: `${email.slice(0, at)}-u${index}${email.slice(at)}` };
}

function summarise(reports: readonly Report[], shownUser: number): UsersSummary {
  const verdicts: Record<string, number> = {};
  for (const r of reports) verdicts[r.verdict.code] = (verdicts[r.verdict.code] ?? 0) + 1;
  const perHop: HopAggregate[] = reports[0]!.hops.map(({ name }) => {
    const hops = reports.map((r) => r.hops.find((h) => h.name === name)!).filter(Boolean);
    const ran = hops
      .filter((h) => h.status !== 'skip')
      .map((h) => h.durationMs)
      .sort((a, b) => a - b);
    const countOf = (status: string) => hops.filter((h) => h.status === status).length;
    return {
      hop: name,
      pass: countOf('pass'),
      degraded: countOf('degraded'),
      fail: countOf('fail'),
      skip: countOf('skip'),
      p50Ms: percentile(ran, 50),
      p95Ms: percentile(ran, 95),
      maxMs: ran.length ? ran[ran.length - 1]! : null,
    };
  });
  return {
    count: reports.length,
    passed: reports.filter((r) => r.result === 'pass').length,
    degraded: reports.filter((r) => r.result === 'degraded').length,
    failed: reports.filter((r) => r.result === 'fail').length,
    verdicts,
    perHop,
    shownUser,
  };
}
