// DuckDB's statistics propagation proves some joins match nothing (constant or disjoint key
// ranges) and then computes nothing of the side no result row comes from, where the
// interpreter evaluates every row of both sides (semantics.md §1: only a join empty by its form
// is skipped). A side that cannot raise makes no difference; for a program with a join side
// that may, the run disables that optimizer, so both backends raise the same errors.

import type { IR } from '../../ir/nodes.js';
import { memoFold } from '../../ir/walk.js';
import type { AnyType } from '../../passes/typecheck.js';

/** Kinds that never raise by themselves (their operands may). */
const SAFE: ReadonlySet<string> = new Set([
  'I32', 'I64', 'F32', 'F64', 'Str', 'True', 'False', 'Literal', 'NA', 'Void', 'Ref', 'RelationalRef',
  'GetField', 'GetTupleElement', 'MakeStruct', 'MakeTuple', 'MakeArray', 'InsertFields', 'SelectFields',
  'If', 'Switch', 'Coalesce', 'IsNA', 'ApplyComparisonOp', 'ToArray', 'ToStream', 'ToSet', 'ArrayLen', 'StreamLen',
  'StreamMap', 'StreamFilter', 'StreamFlatMap', 'Let', 'AggLet', 'AggFilter', 'AggExplode', 'AggGroupBy', 'ArraySort', 'StreamAgg',
  'TableCount', 'TableCollect', 'TableAggregate', 'TableGetGlobals', 'RelationalLet',
  'TableRead', 'TableRange', 'TableKeyBy', 'TableMapRows', 'TableFilter', 'TableOrderBy', 'TableMapGlobals', 'TableRename',
  'TableDistinct', 'TableJoin', 'TableLeftJoinRightDistinct', 'TableUnion', 'TableAggregateByKey', 'TableKeyByAndAggregate',
  'TableExplode', 'RelationalLetTable',
]);
const SAFE_AGGREGATORS: ReadonlySet<string> = new Set(['Count', 'Min', 'Max', 'Collect', 'CollectAsSet', 'PrevNonnull']);
const FLOATS: ReadonlySet<string> = new Set(['Float32', 'Float64']);

/** Whether `n` itself may raise (an integer overflow, a bad index or count, a Die, ...). */
function mayRaiseHere(n: IR, types: ReadonlyMap<IR, AnyType>): boolean {
  const kind = (x: IR): string | undefined => {
    const t = types.get(x);
    return t !== undefined && 'kind' in t ? t.kind : undefined;
  };
  switch (n.kind) {
    case 'ApplyBinaryPrimOp':
    case 'ApplyUnaryPrimOp':
      // Float arithmetic gives inf or NaN; integer arithmetic may overflow or divide by zero.
      return n.kind === 'ApplyUnaryPrimOp' ? n.op !== 'Bang' && !FLOATS.has(kind(n) ?? '') : !FLOATS.has(kind(n) ?? '');
    case 'Cast':
      return !(FLOATS.has(n.type.kind) || (n.type.kind === 'Int64' && !FLOATS.has(kind(n.value) ?? '')));
    case 'ApplyAggOp':
    case 'ApplyScanOp':
      return !SAFE_AGGREGATORS.has(n.op);
    case 'TableHead':
    case 'TableTail':
      return n.n < 0n;
    default:
      return !SAFE.has(n.kind);
  }
}

/** Whether a side of a join in `root` holds a node that may raise. */
export function joinSideMayRaise(root: IR, types: ReadonlyMap<IR, AnyType>): boolean {
  const memo = new WeakMap<IR, boolean>();
  let found = false;
  memoFold(root, memo, (n, kids) => {
    if ((n.kind === 'TableJoin' || n.kind === 'TableLeftJoinRightDistinct') && kids.some((k) => k)) found = true;
    return mayRaiseHere(n, types) || kids.some((k) => k);
  });
  return found;
}
