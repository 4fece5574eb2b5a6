// Turns export failures into at most one warning per process. A collector that is down must be visible to
// whoever reads the run's stderr, but must neither flood it nor change the run's outcome.
// A failure during the run is reported at once (a long-lived `serve` process may not shut down for days);
// during shutdown, failures are gathered so that one line covers every signal that was lost.
import { scrubSecrets } from '../../config/secret.ts';

export type SignalName = 'traces' | 'metrics';

const ORDER: readonly SignalName[] = ['traces', 'metrics'];

export class ExportFailureReporter {
  readonly #onWarning: (message: string) => void;
  #spent = false;
  #gathering = false;
  readonly #gathered = new Map<SignalName, string>();

  constructor(onWarning: (message: string) => void) {
    this.#onWarning = onWarning;
  }

  /** An export's result came back failed. `target` is already safe to show (see displayUrl). */
  failed(signal: SignalName, target: string, error: unknown, timeoutMs: number): void {
    this.#add(signal, `${target}: ${describeExportError(error, timeoutMs)}`);
  }

  /** Shutdown's own bound ran out with this signal's flush still pending. */
  unfinished(signal: SignalName, target: string, withinMs: number): void {
    this.#add(signal, `${target}: the export had not finished when shutdown's ${withinMs} ms ran out`);
  }

  /** From now on, gather failures into the one line that close() writes. */
  beginShutdown(): void {
    this.#gathering = true;
  }

  /** Writes what shutdown gathered, if nothing was written before; later results say nothing new. */
  close(): void {
    if (!this.#spent && this.#gathered.size > 0) {
      const [first, ...rest] = ORDER.filter((s) => this.#gathered.has(s)).map(
        (s) => [s, this.#gathered.get(s)] as const,
      );
      if (first)
        this.#warn(
          [`${first[0]} could not be exported to ${first[1]}`, ...rest.map(([s, detail]) => `${s} to ${detail}`)].join(
            '; ',
          ),
        );
    }
    this.#spent = true;
  }

  #add(signal: SignalName, detail: string): void {
    if (this.#spent) return;
    if (this.#gathering) {
      if (!this.#gathered.has(signal)) this.#gathered.set(signal, detail);
      return;
    }
    this.#warn(`${signal} could not be exported to ${detail}`);
  }

  #warn(message: string): void {
    this.#spent = true;
    try {
      // A collector's error body is quoted; it must not carry a secret out of the process either.
      this.#onWarning(scrubSecrets(message));
    } catch {
      // A broken warning sink must not break the exporter's callback chain.
    }
  }
}

/** One short line, no secrets: system error codes, HTTP statuses, never headers or response bodies. */
export function describeExportError(error: unknown, timeoutMs: number): string {
  const code = systemErrorCode(error);
  if (code !== undefined) return code;
  if (error instanceof Error) {
    if (error.message === 'Request timed out') return `no answer within ${timeoutMs} ms`;
    const status = (error as { code?: unknown }).code;
    if (error.name === 'OTLPExporterError' && typeof status === 'number') {
      return `the collector answered HTTP ${status}${error.message ? ` ${oneLine(error.message)}` : ''}`;
    }
    if (error.message === 'Export failed with retryable status')
      return 'the collector kept answering with a retryable status (429, 502, 503 or 504)';
    return oneLine(error.message || error.name);
  }
  return oneLine(String(error));
}

function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E[A-Z0-9_]+$/.test(code)) return code;
  // Connecting to a name with several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError.
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const innerCode = systemErrorCode(inner);
      if (innerCode !== undefined) return innerCode;
    }
  }
  return undefined;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
