/** Levenshtein distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/**
 * The `count` names of `valid` closest to `name` (smallest edit distance, case ignored; ties in
 * the order of `valid`), for "did you mean" lists in error messages.
 */
export function closestNames(name: string, valid: readonly string[], count = 5): string[] {
  const lower = name.toLowerCase();
  return [...new Set(valid)]
    .map((candidate, index) => ({
      candidate,
      index,
      distance: editDistance(lower, candidate.toLowerCase()),
    }))
    .sort((a, b) => a.distance - b.distance || a.index - b.index)
    .slice(0, count)
    .map((c) => c.candidate);
}
