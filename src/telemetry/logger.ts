import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

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
  /** GOOGLE_CLOUD_PROJECT: gives logging.googleapis.com/trace its full projects/P/traces/ID form. */
  gcpProject?: string;
  destination?: DestinationStream;
}

/**
 * pino JSON lines for Cloud Logging (design §8): severity, message, trace correlation from the active
 * span. Synchronous stdout: a short-lived cron process must not lose its last lines at exit.
 */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level,
      messageKey: 'message',
      base: { service: 'golden-path-probe' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      formatters: {
        level: (label) => ({ severity: SEVERITY[label] ?? 'DEFAULT', level: label }),
      },
      mixin: () => traceFields(opts.gcpProject),
      hooks: {
        streamWrite: (line) => line.replace(JWT_SHAPE, '[REDACTED]'),
      },
    },
    opts.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

function traceFields(project: string | undefined): Record<string, string | boolean> {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !isSpanContextValid(ctx)) return {};
  return {
    trace_id: ctx.traceId,
    span_id: ctx.spanId,
    'logging.googleapis.com/trace': project ? `projects/${project}/traces/${ctx.traceId}` : ctx.traceId,
    'logging.googleapis.com/spanId': ctx.spanId,
    'logging.googleapis.com/trace_sampled': (ctx.traceFlags & 1) === 1,
  };
}
