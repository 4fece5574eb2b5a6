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
    super(problems.join('; '));
    this.name = 'UsageError';
    this.problems = problems;
  }
}
