// DuckDB's statistics propagation proves some joins match nothing (constant or disjoint key
// ranges) and then computes nothing of the side no result row comes from, where the
// interpreter evaluates every row of both sides (semantics.md §1: only a join empty by its form
// is skipped). A side that cannot raise makes no difference; for a program with a join side
// that may, the run disables that optimizer, so both backends raise the same errors. DuckDB
// also skips the probe side of a hash join whose build side is empty, at run time: a side
// that raises by design (a Die, an index, a count) is a MATERIALIZED CTE, computed in full.

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

/**
 * Whether `n` itself may raise (an integer overflow, a bad index or count, a Die, ...);
 * `explicit`: only by design (a Die, an index, a count, a length), not by an overflow.
 */
function mayRaiseHere(n: IR, types: ReadonlyMap<IR, AnyType>, explicit: boolean): boolean {
  const kind = (x: IR): string | undefined => {
    const t = types.get(x);
    return t !== undefined && 'kind' in t ? t.kind : undefined;
  };
  switch (n.kind) {
    case 'ApplyBinaryPrimOp':
    case 'ApplyUnaryPrimOp':
      // Float arithmetic gives inf or NaN; integer arithmetic may overflow or divide by zero.
      if (explicit) return false;
      return n.kind === 'ApplyUnaryPrimOp' ? n.op !== 'Bang' && !FLOATS.has(kind(n) ?? '') : !FLOATS.has(kind(n) ?? '');
    case 'Cast':
      return !explicit && !(FLOATS.has(n.type.kind) || (n.type.kind === 'Int64' && !FLOATS.has(kind(n.value) ?? '')));
    case 'ApplyAggOp':
    case 'ApplyScanOp':
      return !SAFE_AGGREGATORS.has(n.op) && !(explicit && (n.op === 'Sum' || n.op === 'Product'));
    case 'TableHead':
    case 'TableTail':
      return n.n < 0n;
    default:
      return !SAFE.has(n.kind);
  }
}

export interface Raising {
  /** Whether a side of a join holds a node that may raise: the run turns statistics propagation off. */
  readonly joinSideMayRaise: boolean;
  /** Whether table `t` holds a node that raises by design (not an overflow). */
  readonly raisesByDesign: (t: IR) => boolean;
}

/** Where a program may raise, for the joins in it: one walk. */
export function raising(root: IR, types: ReadonlyMap<IR, AnyType>): Raising {
  const any = new WeakMap<IR, boolean>();
  const explicit = new WeakMap<IR, boolean>();
  let joinSide = false;
  memoFold(root, any, (n, kids) => {
    if ((n.kind === 'TableJoin' || n.kind === 'TableLeftJoinRightDistinct') && kids.some((k) => k)) joinSide = true;
    return mayRaiseHere(n, types, false) || kids.some((k) => k);
  });
  return {
    joinSideMayRaise: joinSide,
    raisesByDesign: (t) => memoFold(t, explicit, (n, kids) => mayRaiseHere(n, types, true) || kids.some((k) => k)),
  };
}
