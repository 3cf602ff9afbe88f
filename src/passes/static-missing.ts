// Static missingness (semantics.md §1): a strict operation with an operand that is missing by
// its form (NA, a null Literal, or another such operation) is missing, and its other operands
// are not evaluated. SQL engines fold `NULL + x` to NULL without evaluating x; this rule makes
// every backend do the same. An analysis: results live in a side table, the IR is untouched.

import { constantValue, type IR } from '../ir/nodes.js';
import { memoFold } from '../ir/walk.js';

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

/** Collection operations missing when the listed children are (semantics.md §1), by child index. */
const STRICT_IN: ReadonlyMap<string, readonly number[]> = new Map([
  ['ToStream', [0]],
  ['ToArray', [0]],
  ['ToSet', [0]],
  ['ToDict', [0]],
  ['StreamMap', [0]],
  ['StreamFilter', [0]],
  ['StreamFlatMap', [0]],
  ['StreamTake', [0, 1]],
  ['StreamDrop', [0, 1]],
  ['StreamFold', [0]],
  ['StreamScan', [0]],
  ['StreamAgg', [0]],
  ['ArraySort', [0]],
  ['CollectDistributedArray', [0]],
]);

/**
 * StreamZip (missing with any of its streams), aggregation wrappers (with their body),
 * TableAggregate (with its query), and aggregators that skip missing values (with their value).
 */
const ZIP_AND_AGG: ReadonlySet<string> = new Set(['StreamZip', 'AggArrayPerElement', 'AggFilter', 'AggExplode', 'TableAggregate', 'ApplyAggOp', 'ApplyScanOp']);
const SKIP_MISSING: ReadonlySet<string> = new Set(['Min', 'Max', 'PrevNonnull']);

const LETS: ReadonlySet<string> = new Set(['Let', 'AggLet', 'RelationalLet']);
/** Other kinds whose missingness by form follows from their children's. */
const RECURSE: ReadonlySet<string> = new Set(['If', 'Switch', 'Coalesce', 'InsertFields', 'SelectFields']);

const memo = new WeakMap<IR, boolean>();

/** Whether `n` is missing by its form alone. Memoized, iterative: linear over a program. */
export function staticallyMissing(n: IR): boolean {
  return memoFold(
    n,
    memo,
    (x, kids) => {
      // A field of a struct written out is that field (visited: it lies below `x`).
      const part = fieldOf(x);
      if (part !== undefined) return part === null || staticallyMissing(part);
      // A let is its body (a missing body reads none of the bindings, so none is needed).
      if (LETS.has(x.kind)) return kids[kids.length - 1]!;
      // A conditional on a missing condition, or with only missing outcomes, is missing.
      if (x.kind === 'If' || x.kind === 'Switch') return kids[0]! || kids.slice(1).every((k) => k);
      if (x.kind === 'Coalesce') return kids.every((k) => k);
      // Missing when the struct they start from is.
      if (x.kind === 'InsertFields' || x.kind === 'SelectFields') return kids[0]!;
      // An aggregation whose result is missing by its form reads no rows.
      if ((x.kind === 'TableAggregate' || x.kind === 'StreamAgg') && kids[1]) return true;
      // A fold from a missing zero whose every step is missing or the accumulator is missing.
      if (x.kind === 'StreamFold' && !kids[0] && kids[1] && (kids[2] || isRefThroughLets(x.body, x.accum))) return true;
      // A fold with a step, each missing, is missing (its zero unread).
      if (x.kind === 'StreamFold' && !kids[0] && kids[2] && (lengthByForm(x.a) ?? 0) > 0) return true;
      const strictIn = STRICT_IN.get(x.kind);
      if (strictIn !== undefined) return strictIn.some((i) => kids[i]);
      // No array seen and no length given, or a missing length (semantics.md §5).
      if (x.kind === 'AggArrayPerElement') return kids.length === 3 ? kids[2]! : kids[0]!;
      // Min, Max and PrevNonnull skip missing values: of one missing by its form, missing.
      if (x.kind === 'ApplyAggOp' || x.kind === 'ApplyScanOp') return SKIP_MISSING.has(x.op) && kids[x.initArgs.length] === true;
      // A zip is missing when one of its streams is (its last child is the body).
      if (x.kind === 'StreamZip') return kids.slice(0, -1).some((k) => k);
      // An aggregation's per-row wrappers are their body.
      if (x.kind === 'AggFilter' || x.kind === 'AggExplode') return kids[kids.length - 1]!;
      return kids.some((k) => k);
    },
    (x) => {
      if (x.kind === 'NA' || x.kind === 'Void' || (x.kind === 'Literal' && x.value === null)) return true;
      if (LETS.has(x.kind) || RECURSE.has(x.kind) || STRICT_IN.has(x.kind) || ZIP_AND_AGG.has(x.kind)) return undefined;
      if (fieldOf(x) === null) return true;
      const strict = STRICT.has(x.kind) && !(x.kind === 'ApplyComparisonOp' && (x.op === 'EQWithNA' || x.op === 'NEQWithNA'));
      return strict ? undefined : false;
    },
  );
}

/** Whether `n` is a read of `name`, under lets that do not rebind it. */
function isRefThroughLets(n: IR, name: string): boolean {
  for (;;) {
    if (n.kind === 'Ref') return n.name === name;
    if (n.kind !== 'Let' || n.bindings.some((b) => b.name === name)) return false;
    n = n.body;
  }
}

/**
 * For GetField or GetTupleElement of a struct written out: the field's node, or null when the
 * field is a missing value inside a Literal; undefined otherwise.
 */
function fieldOf(x: IR): IR | null | undefined {
  return x.kind === 'GetField' || x.kind === 'GetTupleElement' ? fieldWrittenOut(x, x.o) : undefined;
}

/** As `fieldOf`, with `o` (the struct, maybe already rewritten) in place of `x`'s own. */
export function fieldWrittenOut(x: IR, o: IR, present: (n: IR) => boolean = presentByForm): IR | null | undefined {
  if (x.kind !== 'GetField' && x.kind !== 'GetTupleElement') return undefined;
  const key = x.kind === 'GetField' ? x.name : x.index;
  if (o.kind === 'MakeStruct' && x.kind === 'GetField') return o.fields.find((f) => f.name === key)?.value;
  if (o.kind === 'InsertFields' && x.kind === 'GetField') {
    // A new field is the struct's when the old struct is present, or when it is missing by its
    // form (missing either way: no field of the old struct is read); an old one is the old's.
    const added = o.fields.find((f) => f.name === key);
    if (added !== undefined) return present(o.old) || staticallyMissing(added.value) ? added.value : undefined;
    return fieldWrittenOut(x, o.old, present);
  }
  // A selected field is the old struct's (missing with it).
  if (o.kind === 'SelectFields' && x.kind === 'GetField') return o.fields.includes(key as string) ? fieldWrittenOut(x, o.old, present) : undefined;
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
  return (STRICT.has(n.kind) || STRICT_IN.has(n.kind) || ZIP_AND_AGG.has(n.kind)) && staticallyMissing(n);
}

/** Whether `n` is never missing by its form: a present constant, or a container written out. */
export function presentByForm(n: IR, known?: (n: IR) => boolean): boolean {
  if (known?.(n)) return true;
  switch (n.kind) {
    case 'I32':
    case 'I64':
    case 'F32':
    case 'F64':
    case 'Str':
    case 'True':
    case 'False':
    case 'MakeArray':
    case 'MakeStruct':
    case 'MakeTuple':
    case 'IsNA':
    case 'TableCollect':
    case 'TableCount':
    // A global is never missing (semantics.md §7).
    case 'TableGetGlobals':
      return true;
    case 'Literal':
      return n.value !== null;
    case 'Cast':
      return presentByForm(n.value, known);
    case 'ToStream':
    case 'ToArray':
    case 'StreamMap':
    case 'StreamFilter':
    case 'StreamScan':
      return presentByForm(n.a, known);
    case 'StreamRange':
      return presentByForm(n.start, known) && presentByForm(n.stop, known) && presentByForm(n.step, known);
    case 'InsertFields':
    case 'SelectFields':
      return presentByForm(n.old, known);
    case 'Let':
      return presentByForm(n.body, known);
    // Aggregators that are never missing (semantics.md §5), and a dict of groups.
    case 'ApplyAggOp':
    case 'ApplyScanOp':
      return PRESENT_AGGREGATORS.has(n.op);
    case 'AggGroupBy':
      return true;
    case 'AggFilter':
    case 'AggExplode':
      return presentByForm(n.agg, known);
    default:
      return false;
  }
}

const PRESENT_AGGREGATORS: ReadonlySet<string> = new Set(['Count', 'Sum', 'Product', 'Collect', 'CollectAsSet', 'Take', 'TakeBy']);

const lengthMemo = new WeakMap<IR, number>();
/** Kinds whose length by form follows from their children's. */
const LENGTH_KINDS: ReadonlySet<string> = new Set(['StreamRange', 'StreamMap', 'StreamFilter', 'StreamFlatMap', 'StreamTake', 'StreamDrop', 'ToStream', 'ToArray', 'ArraySort', 'ToSet', 'ToDict']);

/**
 * The number of elements of a stream (or array) by its form: a literal or `MakeArray`, a
 * `StreamRange` of constants, a map, flat map, sort, take or drop (of a constant count, or any of
 * an empty stream) of such streams, a filter of an
 * empty one or on a predicate false or missing by its form, a set or dict of an empty one; undefined for any other. Memoized: linear over a program.
 */
export function lengthByForm(a: IR): number | undefined {
  const n = memoFold(
    a,
    lengthMemo,
    (x, kids) => {
      switch (x.kind) {
        case 'StreamRange': {
          // (A constant is an I32 or, in a folded shadow, a Literal.)
          const [start, stop, step] = [x.start, x.stop, x.step].map((c) => {
            const v = constantValue(c);
            return typeof v === 'number' ? v : undefined;
          });
          if (start === undefined || stop === undefined || step === undefined || step === 0) return -1;
          return Math.max(0, Math.ceil((stop - start) / step));
        }
        case 'StreamMap':
        case 'ToStream':
        case 'ToArray':
        case 'ArraySort':
          return kids[0]!;
        // (Distinct elements or keys: of an empty one, empty.)
        case 'ToSet':
        case 'ToDict':
          return kids[0] === 0 ? 0 : -1;
        // A filter keeps nothing on a predicate false or missing by its form.
        case 'StreamFilter':
          return kids[0] === 0 || staticallyMissing(x.cond) || constantValue(x.cond) === false ? 0 : -1;
        // A missing inner stream adds nothing (semantics.md §1); a length by form is the same for every element.
        case 'StreamFlatMap':
          if (kids[0] === 0 || staticallyMissing(x.body)) return 0;
          return kids[0]! < 0 || kids[1]! < 0 ? -1 : kids[0]! * kids[1]!;
        // A take or drop of a constant count (not negative, which raises) changes it by that count.
        case 'StreamTake':
        case 'StreamDrop': {
          // (Of an empty stream, nothing: whatever the count, no element runs a body.)
          if (kids[0] === 0) return 0;
          const c = constantValue(x.num);
          if (kids[0]! < 0 || typeof c !== 'number' || c < 0) return -1;
          return x.kind === 'StreamTake' ? Math.min(kids[0]!, c) : Math.max(0, kids[0]! - c);
        }
        default:
          return -1;
      }
    },
    // Only a stream's own stream child matters: settle anything else at once.
    (x) => {
      if (x.kind === 'Literal') return Array.isArray(x.value) ? x.value.length : -1;
      if (x.kind === 'MakeArray') return x.values.length;
      return LENGTH_KINDS.has(x.kind) ? undefined : -1;
    },
  );
  return n < 0 ? undefined : n;
}
