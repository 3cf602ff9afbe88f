// Two sources of last-bit differences between backends that a program can magnify (`tan` near
// a pole, a `Cast` to an integer): math libraries (V8's `exp` and DuckDB's can differ by one
// ulp), and float `Sum`/`Product`, which a SQL engine may add in another order (semantics.md
// §6). The harness measures how far: it reruns a program with every such result moved one ulp
// each way (semantics.md §9).
let direction: 0 | 1 | -1 = 0;
const bits = new Float64Array(1);
const word = new BigInt64Array(bits.buffer);

/** Runs `f` with every inexact result (not 0, not infinite, not NaN) one ulp up (1) or down (-1). */
export function withInexactNudge<T>(to: 1 | -1, f: () => T): T {
  const before = direction;
  direction = to;
  try {
    return f();
  } finally {
    direction = before;
  }
}

/** `r` as the current nudge moves it. */
export function nudged(r: number): number {
  if (direction === 0 || r === 0 || !Number.isFinite(r)) return r;
  bits[0] = r;
  // For a negative double, adding 1 to the bits moves it down.
  word[0] += BigInt(r > 0 ? direction : -direction);
  return bits[0]!;
}
