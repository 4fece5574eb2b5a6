import { GOLDEN_EVENTS } from '../agent/agent-events.ts';
import { escapeControlChars } from '../text/control-chars.ts';
import { cleanupOutcome } from './cleanup-outcome.ts';
import type { HopReport, Report } from './types.ts';

const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

/** The report for a person: hop table, the five events with their times, the verdict, the trace. */
export function renderHumanSummary(report: Report, opts: { traceExported?: boolean } = {}): string {
  return `${renderHeader(report)}${renderRunBody(report, opts)}`;
}

/** The run's two header lines: which probe, run and attempt, and the target's URLs (each URL once). */
export function renderHeader(run: Pick<Report, 'probe' | 'runId' | 'attempt' | 'startedAt' | 'target'>): string {
  const { target } = run;
  return escapeControlChars(
    `golden-path-probe · ${run.probe} · run ${run.runId} · attempt ${run.attempt} · ${run.startedAt}\n` +
      `target${target.name ? ` ${target.name}` : ''}: api ${target.api} · auth ${target.auth} · ws ${target.ws}\n`,
  );
}

/** The hop table's heading row. */
export const TABLE_HEADING = `  ${pad('hop', 22)}${pad('status', 10)}${lpad('time', 9)}  ${pad('http', 5)} detail`;

/** Everything after the header: the hop table, the agent events, the verdict and its evidence, the trace. */
export function renderRunBody(
  report: Report,
  opts: { traceExported?: boolean; untimed?: boolean; tableShown?: boolean } = {},
): string {
  const lines: string[] = [];
  // On a terminal the table was already shown, hop by hop, as the run went (src/report/live-table.ts).
  if (!opts.tableShown) {
    lines.push('');
    lines.push(TABLE_HEADING);
    for (const hop of report.hops) lines.push(`  ${hopLine(hop, opts.untimed)}`);
  }

  const agent = report.hops.find((h) => h.name === 'agent.run');
  if (agent && agent.status !== 'skip') {
    lines.push('');
    // A plain capture has no timing: only which events came, and how often.
    lines.push(opts.untimed ? '  agent events (no timing in the capture):' : '  agent events (ms after start_agent):');
    for (const name of GOLDEN_EVENTS) {
      const seen = agent.events?.filter((e) => e.type === name) ?? [];
      const present = opts.untimed ? `×${seen.length}` : seen.map((e) => `${e.atMs} ms`).join(', ');
      // A run that passed without them ran no tool (the tool pair is the agent's choice): not missing.
      const optional = !seen.length && !agent.missing?.includes(name) && agent.status !== 'fail';
      const times = seen.length ? present : optional ? '— (no tool ran)' : 'MISSING';
      lines.push(`    ${seen.length ? '✓' : optional ? '·' : '✗'} ${pad(name, 17)} ${times}`);
    }
  }

  if (report.users) lines.push('', ...usersTable(report));
  lines.push('');
  const { verdict } = report;
  lines.push(`${headline(report)}  (${opts.untimed ? 'no timing in the capture' : `${report.durationMs} ms`})`);
  lines.push(`  ${verdict.summary}`);
  if (report.attempts) {
    const results = report.attempts.map((a) => (a.result === 'fail' ? `fail ${a.verdict.code}` : a.result)).join(' → ');
    lines.push(
      `  attempts: ${report.attempts.length} (${results})${report.flaky ? ' — FLAKY: passed only after a failed attempt' : ''}`,
    );
  }
  for (const line of verdict.evidence) lines.push(`  - ${line}`);
  for (const note of report.cleanup ?? []) {
    const what = note.resource === 'thread' ? 'thread' : 'chat message';
    lines.push(`  clean-up: ${what} ${note.id} ${cleanupOutcome(note)} (${note.detail})`);
  }
  if (report.traceId) {
    // Without an exporter the id still went out in traceparent (the services' own traces carry it).
    const where =
      opts.traceExported === false
        ? "  (not exported: set OTEL_EXPORTER_OTLP_ENDPOINT to send the probe's spans)"
        : report.traceUrl
          ? `  ${report.traceUrl}`
          : '';
    lines.push(`trace: ${report.traceId}${where}`);
  }
  // For a terminal: whatever a report holds, no escape sequence or other control character goes out raw.
  return `${escapeControlChars(lines.join('\n'))}\n`;
}

/**
 * "PASS", "FAIL  SERVICE_SECRET_MISMATCH at service.auth"; the code only when it says more than the result.
 * With several users, how many got this verdict, and what the others got.
 */
function headline(report: Report): string {
  const { verdict, users } = report;
  const result = report.result.toUpperCase();
  const code = resultShowsCode(report) ? `  ${verdict.code}${verdict.hop ? ` at ${verdict.hop}` : ''}` : '';
  if (!users) return `${result}${code}`;
  const others = Object.entries(users.verdicts)
    .filter(([c]) => c !== verdict.code && c !== 'PASS')
    .sort(([, a], [, b]) => b - a)
    .map(([c, n]) => `${c} ×${n}`);
  const count = `: ${users.verdicts[verdict.code] ?? 0} of ${users.count} users`;
  return `${result}${code}${count}${others.length ? `; also ${others.join(', ')}` : ''}`;
}

/** The verdict's code says more than the result ("FAIL  X", not "PASS  PASS"); shared with the HTML report. */
export function resultShowsCode(report: Pick<Report, 'result' | 'verdict'>): boolean {
  return report.verdict.code !== report.result.toUpperCase();
}

/** A hop's detail, as the table's last column says it; the HTML report shows the same words. */
export function hopDetail(hop: HopReport): string {
  if (hop.status === 'skip') return hop.skippedBecause ?? '';
  const coded =
    (hop.status === 'fail' || (hop.status === 'degraded' && hop.code)) &&
    !hop.evidence?.[0]?.startsWith(`${hop.code}:`);
  return coded ? `${hop.code ?? ''} ${hop.evidence?.[0] ?? ''}`.trim() : (hop.evidence?.[0] ?? '');
}

/** One row of the hop table (also streamed alone, as each hop finishes, on a terminal). */
export function hopLine(hop: HopReport, untimed = false): string {
  const time = hop.status === 'skip' || untimed ? '—' : `${hop.durationMs} ms`;
  const detail = hopDetail(hop);
  return `${pad(hop.name, 22)}${pad(hop.status, 10)}${lpad(time, 9)}  ${pad(hop.httpStatus ? String(hop.httpStatus) : '', 5)} ${detail}`.trimEnd();
}

function usersTable(report: Report): string[] {
  const u = report.users!;
  const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
  const verdicts = Object.entries(u.verdicts)
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');
  return [
    `  ${u.count} users: ${u.passed} passed, ${u.degraded} degraded, ${u.failed} failed (${verdicts}); hops above ` +
      `are user ${u.shownUser}'s`,
    `  ${pad('hop', 22)}${lpad('pass', 6)}${lpad('fail', 6)}${lpad('skip', 6)}${lpad('p50', 10)}${lpad('p95', 10)}${lpad('max', 10)}`,
    ...u.perHop.map(
      (h) =>
        `  ` +
        `${pad(h.hop, 22)}${lpad(String(h.pass + h.degraded), 6)}${lpad(String(h.fail), 6)}${lpad(String(h.skip), 6)}${lpad(ms(h.p50Ms), 10)}${lpad(ms(h.p95Ms), 10)}${lpad(ms(h.maxMs), 10)}`,
    ),
  ];
}
