import { escapeControlChars } from '../text/control-chars.ts';
import { EXIT, exitForStop, UsageError } from './exit-codes.ts';

export interface Flushable {
  shutdown(timeoutMs?: number): Promise<void>;
}

const FLUSH_MS = 5_000;
/** After a stop signal the run gets this long to wind down before the process exits anyway. */
const STOP_GRACE_MS = 15_000;

/**
 * Owns the process's end: a first SIGTERM/SIGINT asks the run to stop (it still reports and flushes),
 * a second one exits at once; an unexpected exception is a probe bug (exit 3). Telemetry is flushed,
 * within a bound, on every path.
 */
export class ProcessLifecycle {
  readonly #stop = new AbortController();
  #telemetry: Flushable | undefined;
  #exiting = false;
  #command: string | undefined;

  /**
   * `stopping`: what a first signal stops, in the words of the command ("the run", "the double", "serve").
   */
  constructor(stderr: NodeJS.WritableStream = process.stderr, stopping = 'the run') {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.#stop.signal.aborted) {
        stderr.write(`golden-probe: ${signal} again, exiting now\n`);
        process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
      }
      // On a terminal the live table's wait line may be the current line: erase it rather than run into it.
      const lead = (stderr as { isTTY?: boolean }).isTTY ? '\r\x1b[2K' : '';
      stderr.write(`${lead}golden-probe: ${signal}, stopping ${stopping} (send it again to exit at once)\n`);
      this.#stop.abort(new Error(signal));
      setTimeout(() => void this.exit(exitForStop(this.#stop.signal)), STOP_GRACE_MS).unref();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    const onCrash = (err: unknown) => {
      stderr.write(`golden-probe: internal error (a bug in the probe, please report it): ${describe(err)}\n`);
      void this.exit(EXIT.bug);
    };
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  }

  get stop(): AbortSignal {
    return this.#stop.signal;
  }

  attachTelemetry(telemetry: Flushable): void {
    this.#telemetry = telemetry;
  }

  /** Runs the command and exits with its code; usage errors exit 2 listing every problem. */
  async run(command: string, body: () => Promise<number>): Promise<never> {
    this.#command = command;
    let code: number;
    try {
      code = await body();
    } catch (err) {
      if (err instanceof UsageError) {
        process.stderr.write(
          `golden-probe ${command}: ${err.problems.length === 1 ? 'a problem' : `${err.problems.length} problems`} with the configuration:\n`,
        );
        // One line per problem, whatever a value in it held.
        for (const p of err.problems) {
          process.stderr.write(`  - ${escapeControlChars(p.replace(/\s*[\r\n]+\s*/g, ' '))}\n`);
        }
        process.stderr.write(`see: golden-probe ${command} --help\n`);
        code = EXIT.usage;
      } else {
        process.stderr.write(`golden-probe: internal error (a bug in the probe, please report it): ${describe(err)}\n`);
        code = EXIT.bug;
      }
    }
    return this.exit(code);
  }

  async exit(code: number): Promise<never> {
    if (!this.#exiting) {
      this.#exiting = true;
      if (this.#command === 'run' && (code === EXIT.usage || code === EXIT.bug)) writeNoVerdictLine(code);
      await this.#telemetry?.shutdown(FLUSH_MS).catch(() => undefined);
    }
    process.exit(code);
  }
}

/**
 * A scheduled `run` that ends without a verdict says so on stdout, in the JSON shape of its other lines, so the
 * deployment's no-verdict metric counts this execution's own outcome (scheduling/terraform/monitoring.tf).
 * Fixed text only: the problems themselves went to stderr.
 */
function writeNoVerdictLine(code: number): void {
  const reason = code === EXIT.usage ? 'configuration error' : 'probe bug';
  process.stdout.write(
    `${JSON.stringify({
      severity: 'ERROR',
      outcome: 'no_verdict',
      exitCode: code,
      time: new Date().toISOString(),
      message: `golden-probe run ended without a verdict: ${reason} (exit ${code}); its stderr says why`,
    })}\n`,
  );
}

function describe(err: unknown): string {
  return escapeControlChars(err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err));
}
