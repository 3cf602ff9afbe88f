// "Did you mean ...?": the closest known word to a misspelt one, for hints.

/** Edit distance with adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  // Rows i-2, i-1 and i of the table.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `name`, if it is close enough to be a likely typo: within a third of
 * the name's length (at least 1). With `ignoreCase`, `iff` finds `If`.
 */
export function nearest(name: string, candidates: Iterable<string>, ignoreCase = false): string | undefined {
  const key = ignoreCase ? name.toLowerCase() : name;
  let best: string | undefined;
  let bestD = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(key, ignoreCase ? c.toLowerCase() : c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
