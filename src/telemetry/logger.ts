import { isSpanContextValid, TraceFlags, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import { holdsSecret, scrubDeep, scrubSecrets } from '../config/secret.ts';
import { escapeControlChars } from '../text/control-chars.ts';
import { DEFAULT_SERVICE_NAME } from './service-name.ts';

const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

const REDACT_PATHS = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.*',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'password',
  '*.password',
  'bypassKey',
  '*.bypassKey',
  'serviceSecret',
  '*.serviceSecret',
  '["X-E2E-Bypass-Key"]',
  '["X-Service-Secret"]',
  '*["X-E2E-Bypass-Key"]',
  '*["X-Service-Secret"]',
];

// Last line of defence: anything shaped like a JWT never reaches the log stream, whatever field it hid in.
const JWT_SHAPE = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+/g;

export interface LoggerOptions {
  level: string;
  /** The resource's service.name (OTEL_SERVICE_NAME): the same name on log lines, spans and metrics. */
  service?: string;
  /**
   * The GCP project the probe runs in (PROBE_GCP_PROJECT, GOOGLE_CLOUD_PROJECT). Cloud Logging links a line to
   * its trace only through `logging.googleapis.com/trace` = projects/P/traces/ID; without a project that field
   * is left out (a bare trace id there links nowhere).
   */
  gcpProject?: string | undefined;
  destination?: DestinationStream;
}

/**
 * pino JSON lines for Cloud Logging (docs/telemetry.md): severity, message, trace correlation from the active
 * span. Synchronous stdout: a short-lived cron process must not lose its last lines at exit.
 */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      messageKey: 'message',
      base: { service: opts.service ?? DEFAULT_SERVICE_NAME },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: {
        level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT', level: label }),
      },
      mixin: () => traceFields(opts.gcpProject),
      hooks: {
        // JSON.stringify leaves C1 controls, DEL and U+FFFE raw; as \uXXXX escapes they stay the same JSON.
        streamWrite: (line) => escapeControlChars(scrubLine(line).replace(JWT_SHAPE, '[REDACTED]')),
      },
    },
    opts.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/**
 * The whole serialized line, message and every field (child bindings and error stacks included), with
 * every value the process holds as a Secret taken out: a server's words quoted in a log line may echo the
 * bypass key or the token. A line that holds none (nearly all) is passed on as it is. One that does is
 * parsed and scrubbed field by field, so its JSON keeps its shape; should a secret's text still show in
 * the result (it spans fields: a secret made of JSON punctuation), the text itself is scrubbed, whatever
 * that does to the line: no secret reaches the log, not even by accident of layout.
 */
function scrubLine(line: string): string {
  if (!holdsSecret(line)) return line;
  try {
    const fields = `${JSON.stringify(scrubDeep(JSON.parse(line) as unknown))}\n`;
    if (!holdsSecret(fields)) return fields;
  } catch {
    // Not JSON after all: scrub the text.
  }
  return scrubSecrets(line);
}

/** The OpenTelemetry log data model's trace_id, span_id, trace_flags; Cloud Logging's fields with a project. */
function traceFields(project: string | undefined): Record<string, string | boolean> {
  const span = trace.getActiveSpan();
  const ctx = span?.spanContext();
  if (!span || !ctx || !isSpanContextValid(ctx)) return {};
  const fields: Record<string, string | boolean> = {
    trace_id: ctx.traceId,
    span_id: ctx.spanId,
    trace_flags: (ctx.traceFlags & 0xff).toString(16).padStart(2, '0'),
  };
  if (!project) return fields;
  return {
    ...fields,
    'logging.googleapis.com/trace': `projects/${project}/traces/${ctx.traceId}`,
    'logging.googleapis.com/spanId': ctx.spanId,
    // Cloud Logging links a line to its trace when this is true: only a span that an SDK records (and so
    // hands to its exporter) can be found there. Unexported runs still carry ids, sampled on the wire.
    'logging.googleapis.com/trace_sampled': span.isRecording() && (ctx.traceFlags & TraceFlags.SAMPLED) !== 0,
  };
}
