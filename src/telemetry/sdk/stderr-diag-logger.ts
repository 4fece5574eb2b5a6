// OTEL_LOG_LEVEL: the SDK's own diagnostics. The API's DiagConsoleLogger (what NodeSDK would register for it) writes
// info, debug and verbose through console.info/debug/trace, that is to stdout, into the JSON log lines that
// log-based metrics parse; this one writes every level to stderr, whether or not anything is exported.
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { scrubSecrets } from '../../config/secret.ts';
import { escapeControlChars } from '../../text/control-chars.ts';
import type { DiagLevelName } from './check-otel-env.ts';

const LEVELS: Record<DiagLevelName, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

export function stderrDiagLogger(write: (line: string) => void = (l) => process.stderr.write(l)): DiagLogger {
  const at =
    (level: string) =>
    (message: string, ...args: unknown[]) => {
      const rest = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a)));
      const text = [message, ...rest].join(' ').replace(/\s*\n\s*/g, ' ');
      // The SDK may quote a request or an error; no secret the process holds leaves through it either.
      write(`otel ${level}: ${escapeControlChars(scrubSecrets(text))}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug'), verbose: at('verbose') };
}

/** Registers it for OTEL_LOG_LEVEL, replacing any other logger silently. */
export function installStderrDiag(level: DiagLevelName | undefined): void {
  if (level === undefined) return;
  diag.setLogger(stderrDiagLogger(), { logLevel: LEVELS[level], suppressOverrideMessage: true });
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
