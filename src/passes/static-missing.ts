// Static missingness (semantics.md §1): a strict operation with an operand that is missing by
// its form (NA, a null Literal, or another such operation) is missing, and its other operands
// are not evaluated. SQL engines fold `NULL + x` to NULL without evaluating x; this rule makes
// every backend do the same. An analysis: results live in a side table, the IR is untouched.

import type { IR } from '../ir/nodes.js';
import { children } from '../ir/children.js';

const STRICT: ReadonlySet<string> = new Set([
  'ApplyBinaryPrimOp',
  'ApplyUnaryPrimOp',
  'ApplyComparisonOp',
  'Cast',
  'Apply',
  'GetField',
  'GetTupleElement',
  'ArrayRef',
  'ArrayLen',
  'StreamLen',
]);

const memo = new WeakMap<IR, boolean>();

/** Whether `n` is missing by its form alone. Memoized, iterative: linear over a program. */
export function staticallyMissing(n: IR): boolean {
  const m = memo.get(n);
  if (m !== undefined) return m;
  const stack: [IR, boolean][] = [[n, false]];
  while (stack.length > 0) {
    const [x, done] = stack.pop()!;
    if (memo.has(x)) continue;
    if (x.kind === 'NA' || (x.kind === 'Literal' && x.value === null)) {
      memo.set(x, true);
      continue;
    }
    if (!STRICT.has(x.kind) || (x.kind === 'ApplyComparisonOp' && (x.op === 'EQWithNA' || x.op === 'NEQWithNA'))) {
      memo.set(x, false);
      continue;
    }
    const kids = children(x);
    if (!done) {
      stack.push([x, true]);
      for (const k of kids) if (!memo.has(k)) stack.push([k, false]);
      continue;
    }
    memo.set(x, kids.some((k) => memo.get(k) === true));
  }
  return memo.get(n)!;
}

/** Whether `n` is a strict operation that is statically missing (so: missing, nothing evaluated). */
export function foldsToMissing(n: IR): boolean {
  return STRICT.has(n.kind) && staticallyMissing(n);
}
