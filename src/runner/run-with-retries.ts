import type { Report } from '../report/types.ts';

export interface RetryOptions {
  retries: number;
  stop: AbortSignal;
  /** Wait before attempt n+1 (n ≥ 1). Default: 1 s, 2 s, 4 s … capped at 10 s. */
  backoffMs?: (failedAttempt: number) => number;
}

const defaultBackoff = (n: number) => Math.min(1_000 * 2 ** (n - 1), 10_000);

/**
 * Flake control: a failed attempt is re-run (after a backoff) up to `retries` times. The run fails only
 * if the last attempt fails; a pass after a failure is marked flaky. The report keeps every attempt.
 */
export async function runWithRetries(
  runAttempt: (attempt: number) => Promise<Report>,
  opts: RetryOptions,
): Promise<Report> {
  const attempts: Report[] = [];
  const backoff = opts.backoffMs ?? defaultBackoff;
  for (let attempt = 1; ; attempt++) {
    const report = await runAttempt(attempt);
    attempts.push(report);
    const done =
      report.result !== 'fail' || attempt > opts.retries || opts.stop.aborted || report.verdict.code === 'RUN_ABORTED';
    if (done) {
      if (opts.retries === 0) return report;
      const flaky = report.result !== 'fail' && attempts.some((a) => a.result === 'fail');
      return { ...report, flaky, attempts };
    }
    await sleep(backoff(attempt), opts.stop);
  }
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
  });
}
