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
    // A field of a struct written out (a Literal, MakeStruct, MakeTuple) is that field.
    const part = fieldOf(x);
    if (part !== undefined) {
      if (part === null) memo.set(x, true);
      else if (memo.has(part)) memo.set(x, memo.get(part)!);
      else stack.push([x, false], [part, false]);
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

/**
 * For GetField or GetTupleElement of a struct written out: the field's node, or null when the
 * field is a missing value inside a Literal; undefined otherwise.
 */
function fieldOf(x: IR): IR | null | undefined {
  if (x.kind !== 'GetField' && x.kind !== 'GetTupleElement') return undefined;
  const o = x.o;
  const key = x.kind === 'GetField' ? x.name : x.index;
  if (o.kind === 'MakeStruct' && x.kind === 'GetField') return o.fields.find((f) => f.name === key)?.value;
  if (o.kind === 'MakeTuple' && x.kind === 'GetTupleElement') {
    const i = o.indices.indexOf(key as number);
    return i < 0 ? undefined : o.values[i];
  }
  if (o.kind === 'Literal' && o.value !== null) {
    const t = o.type;
    const i = t.kind === 'Struct' ? t.fields.findIndex((f) => f.name === key) : t.kind === 'Tuple' ? t.fields.findIndex((f) => f.index === key) : -1;
    if (i >= 0 && (o.value as readonly unknown[])[i] === null) return null;
  }
  return undefined;
}

/** Whether `n` is a strict operation that is statically missing (so: missing, nothing evaluated). */
export function foldsToMissing(n: IR): boolean {
  return STRICT.has(n.kind) && staticallyMissing(n);
}
