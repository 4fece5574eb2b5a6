/** Design §4. CI and schedulers depend on these. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  bug: 3,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM mid-run: 128 + the signal's number, as shells report it. */
  interrupted: 130,
  terminated: 143,
} as const;

/** The exit code of a run the process was told to stop: the stop signal's reason is Error(signal name). */
export function exitForStop(stop: AbortSignal): number {
  const reason = (stop.reason as { message?: unknown } | undefined)?.message;
  return reason === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
}

export class UsageError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    const listed = withoutEchoes(problems);
    super(listed.join('; '));
    this.name = 'UsageError';
    this.problems = listed;
  }
}

/**
 * One mistake, one line: a flag given without its value (`--api-url` last) is not also reported as a
 * missing required setting, and a problem found twice is listed once.
 */
function withoutEchoes(problems: readonly string[]): string[] {
  const valueless = new Set(
    problems.map((p) => /^(--[\w-]+): needs a value/.exec(p)?.[1]).filter((f) => f !== undefined),
  );
  const kept = problems.filter((p) => {
    const required = /^(--[\w-]+) \/ [A-Z0-9_]+: required/.exec(p);
    return !(required && valueless.has(required[1]!));
  });
  return [...new Set(kept)];
}
