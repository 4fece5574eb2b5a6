import { SpanKind } from '@opentelemetry/api';
import type { GcpSettings } from '../config/gcp-settings.ts';
import type { TokenSource } from '../gcp/access-token.ts';
import { type LogLine, listLogEntries } from '../gcp/cloud-logging.ts';
import { troubleLine } from '../gcp/trouble-line.ts';
import type { HttpClient } from '../net/http-client.ts';
import { probeTracer } from '../telemetry/tracer.ts';
import type { LogCause, LogFindings } from './cause-verdict.ts';

/** Lines the services write that name a cause; the backend's is in docs/netra-protocol-notes.md §9. */
const MARKERS: ReadonlyArray<{ marker: string; code: LogCause['code'] }> = [
  { marker: 'SYSTEM_USER_AUTH_FAILURE', code: 'SYSTEM_USER_AUTH_FAILED' },
];
const QUOTED = 5;
const QUOTE_CHARS = 200;

export interface ServiceLogsInput {
  settings: GcpSettings;
  http: HttpClient;
  token: TokenSource;
  traceId: string | null;
  startedAt: Date;
  signal: AbortSignal;
}

/**
 * After a failure: the services' ERROR entries carrying this run's trace id (the probe's traceparent
 * reached them), else both services' ERROR entries in the run's time window. A few are quoted, one line
 * each; a known marker becomes a cause. Bounded by `signal`; never throws, so it cannot fail the run.
 */
export async function lookupServiceLogs(input: ServiceLogsInput): Promise<LogFindings> {
  return probeTracer().startActiveSpan('triage.logs', { kind: SpanKind.INTERNAL }, async (span) => {
    try {
      return await lookup(input);
    } catch (err) {
      return {
        causes: [],
        evidence: [
          `logs: ${troubleLine('logging', "the services' error logs", err, {
            project: input.settings.project,
            ...(input.settings.logView ? { logView: input.settings.logView } : {}),
          })}`,
        ],
      };
    } finally {
      span.end();
    }
  });
}

async function lookup(input: ServiceLogsInput): Promise<LogFindings> {
  const { settings, http, token, traceId, signal } = input;
  const services = [settings.backendService, settings.authService];
  let lines: LogLine[] = [];
  let where = "on this run's trace";
  if (traceId) {
    lines = await listLogEntries(
      settings,
      http,
      token,
      `trace="projects/${settings.project}/traces/${traceId}" AND severity>=ERROR`,
      signal,
    );
  }
  if (lines.length === 0) {
    where = "in the run's time window";
    const window = [
      'resource.type="cloud_run_revision"',
      `resource.labels.service_name=(${services.map((s) => `"${s}"`).join(' OR ')})`,
      'severity>=ERROR',
      `timestamp>="${new Date(input.startedAt.getTime() - 1_000).toISOString()}"`,
      `timestamp<="${new Date(Date.now() + 1_000).toISOString()}"`,
    ].join(' AND ');
    lines = await listLogEntries(settings, http, token, window, signal);
  }
  if (lines.length === 0)
    return {
      causes: [],
      evidence: [`logs: no ERROR entry from ${services.join(' or ')} on this run's trace or in its time window`],
    };

  const quote = (l: LogLine) => `log ${where}: ${l.service} ${l.timestamp} ${l.severity}: ${cut(l.text)}`;
  const causes: LogCause[] = [];
  for (const { marker, code } of MARKERS) {
    const hits = lines.filter((l) => l.text.includes(marker));
    if (hits.length) causes.push({ code, evidence: hits.slice(0, 2).map(quote) });
  }
  const marked = new Set(causes.flatMap((c) => c.evidence));
  const others = lines
    .map(quote)
    .filter((q) => !marked.has(q))
    .slice(0, QUOTED);
  const more = lines.length > QUOTED ? [`logs: ${lines.length} ERROR entries ${where}; the newest are quoted`] : [];
  return { causes, evidence: [...others, ...more] };
}

const cut = (text: string) => (text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text);
