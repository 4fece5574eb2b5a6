/**
 * "Did you mean": the known name a mistyped one is most likely meant to be. A swapped pair of letters counts
 * as one edit (`--api-ulr` → `api-url`), as do a missing, an extra or a wrong letter; the allowance grows
 * with the name's length (1 edit up to 5 characters, 2 up to 11, 3 beyond). Only one best match is named: a
 * tie, or nothing within reach, gives undefined, and the caller lists what there is instead.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  const wanted = name.toLowerCase();
  const limit = wanted.length <= 5 ? 1 : wanted.length <= 11 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const candidate of known) {
    const d = typoDistance(wanted, candidate.toLowerCase());
    if (d > limit) continue;
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance && candidate !== best) tie = true;
  }
  if (best !== undefined && !tie) return best;
  if (best !== undefined) return undefined;
  // A name cut short (`--api` for `--api-url`): the one known name it begins, if only one.
  const extended = wanted.length >= 4 ? known.filter((k) => k.toLowerCase().startsWith(wanted)) : [];
  return extended.length === 1 ? extended[0] : undefined;
}

/** Edits between two words: insertions, deletions, substitutions and swaps of neighbours (optimal string alignment). */
export function typoDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
