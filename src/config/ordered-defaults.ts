/** One value of a chain that must rise (a degraded threshold below its deadline): the value set, and the default. */
export interface ChainLink {
  set: number | undefined;
  fallback: number;
}

/**
 * The chain's values, with no default contradicting a value that was set. An unset value keeps its default
 * unless that breaks the order with its neighbour; then it becomes twice the value below it or half the
 * value above it, and squeezed between two values that leave no room for either, their geometric mean.
 * Set values come back as they are: their own contradictions are the caller's to report.
 */
export function resolveChain(links: readonly ChainLink[]): number[] {
  const values = links.map((l) => l.set ?? l.fallback);
  const unset = (i: number) => links[i]!.set === undefined;
  for (let i = 1; i < values.length; i++) {
    if (unset(i) && values[i]! <= values[i - 1]!) values[i] = values[i - 1]! * 2;
  }
  for (let i = values.length - 2; i >= 0; i--) {
    if (unset(i) && values[i]! >= values[i + 1]!) values[i] = values[i + 1]! / 2;
  }
  for (let i = 1; i < values.length - 1; i++) {
    if (unset(i) && values[i]! <= values[i - 1]!) values[i] = Math.sqrt(values[i - 1]! * values[i + 1]!);
  }
  return values.map((v, i) => (unset(i) ? Math.max(1, Math.round(v)) : v));
}
