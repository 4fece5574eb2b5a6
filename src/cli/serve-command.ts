import { UsageError } from './exit-codes.ts';
import type { ProcessLifecycle } from './process-lifecycle.ts';

/** `golden-probe serve`: scheduled and HTTP-triggered runs, /metrics, /healthz. */
export async function serveCommand(_life: ProcessLifecycle, _argv: readonly string[]): Promise<number> {
  throw new UsageError(['serve: not available in this build']);
}
