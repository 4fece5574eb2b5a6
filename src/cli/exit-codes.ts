/** Design §4. CI and schedulers depend on these. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  bug: 3,
} as const;

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
