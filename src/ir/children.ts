// The one table that knows each node's children, in printed (source) order.
// Typed `{ [K in Kind]: ... }`: adding a node kind without an entry here does not compile.

import type { IR, Kind, NodeOf, ValueIR, TableIR, NamedValue } from './nodes.js';

interface ChildSpec<N extends IR> {
  readonly get: (n: N) => readonly IR[];
  /** Rebuilds the node with new children (same count, same order); keeps header and span. */
  readonly set: (n: N, cs: readonly IR[]) => N;
}

const leaf: readonly IR[] = Object.freeze([]);
const none = { get: () => leaf, set: <N,>(n: N): N => n } as const;
const v = (cs: readonly IR[], i: number) => cs[i] as ValueIR;
const t = (cs: readonly IR[], i: number) => cs[i] as TableIR;
const vs = (cs: readonly IR[], from = 0, to = cs.length) => cs.slice(from, to) as ValueIR[];
const named = (fs: readonly NamedValue[], cs: readonly IR[], from = 0): NamedValue[] =>
  fs.map((f, i) => ({ name: f.name, value: cs[from + i] as ValueIR }));

const table: { readonly [K in Kind]: ChildSpec<NodeOf<K>> } = {
  I32: none,
  I64: none,
  F32: none,
  F64: none,
  Str: none,
  True: none,
  False: none,
  Void: none,
  NA: none,
  Literal: none,
  Ref: none,
  RelationalRef: none,
  Cast: { get: (n) => [n.value], set: (n, cs) => ({ ...n, value: v(cs, 0) }) },
  IsNA: { get: (n) => [n.value], set: (n, cs) => ({ ...n, value: v(cs, 0) }) },
  Coalesce: { get: (n) => n.values, set: (n, cs) => ({ ...n, values: vs(cs) }) },
  If: {
    get: (n) => [n.cond, n.then, n.else],
    set: (n, cs) => ({ ...n, cond: v(cs, 0), then: v(cs, 1), else: v(cs, 2) }),
  },
  Switch: {
    get: (n) => [n.x, n.default, ...n.cases],
    set: (n, cs) => ({ ...n, x: v(cs, 0), default: v(cs, 1), cases: vs(cs, 2) }),
  },
  Let: {
    get: (n) => [...n.bindings.map((b) => b.value), n.body],
    set: (n, cs) => ({
      ...n,
      bindings: n.bindings.map((b, i) => ({ scope: b.scope, name: b.name, value: v(cs, i) })),
      body: v(cs, n.bindings.length),
    }),
  },
  AggLet: { get: (n) => [n.value, n.body], set: (n, cs) => ({ ...n, value: v(cs, 0), body: v(cs, 1) }) },
  ApplyBinaryPrimOp: { get: (n) => [n.l, n.r], set: (n, cs) => ({ ...n, l: v(cs, 0), r: v(cs, 1) }) },
  ApplyUnaryPrimOp: { get: (n) => [n.x], set: (n, cs) => ({ ...n, x: v(cs, 0) }) },
  ApplyComparisonOp: { get: (n) => [n.l, n.r], set: (n, cs) => ({ ...n, l: v(cs, 0), r: v(cs, 1) }) },
  MakeStruct: {
    get: (n) => n.fields.map((f) => f.value),
    set: (n, cs) => ({ ...n, fields: named(n.fields, cs) }),
  },
  InsertFields: {
    get: (n) => [n.old, ...n.fields.map((f) => f.value)],
    set: (n, cs) => ({ ...n, old: v(cs, 0), fields: named(n.fields, cs, 1) }),
  },
  SelectFields: { get: (n) => [n.old], set: (n, cs) => ({ ...n, old: v(cs, 0) }) },
  GetField: { get: (n) => [n.o], set: (n, cs) => ({ ...n, o: v(cs, 0) }) },
  MakeTuple: { get: (n) => n.values, set: (n, cs) => ({ ...n, values: vs(cs) }) },
  GetTupleElement: { get: (n) => [n.o], set: (n, cs) => ({ ...n, o: v(cs, 0) }) },
  MakeArray: { get: (n) => n.values, set: (n, cs) => ({ ...n, values: vs(cs) }) },
  ArrayRef: { get: (n) => [n.a, n.i], set: (n, cs) => ({ ...n, a: v(cs, 0), i: v(cs, 1) }) },
  ArrayLen: { get: (n) => [n.a], set: (n, cs) => ({ ...n, a: v(cs, 0) }) },
  ArraySort: { get: (n) => [n.a, n.lessThan], set: (n, cs) => ({ ...n, a: v(cs, 0), lessThan: v(cs, 1) }) },
  ToArray: { get: (n) => [n.a], set: (n, cs) => ({ ...n, a: v(cs, 0) }) },
  ToStream: { get: (n) => [n.a], set: (n, cs) => ({ ...n, a: v(cs, 0) }) },
  ToSet: { get: (n) => [n.a], set: (n, cs) => ({ ...n, a: v(cs, 0) }) },
  ToDict: { get: (n) => [n.a], set: (n, cs) => ({ ...n, a: v(cs, 0) }) },
  StreamRange: {
    get: (n) => [n.start, n.stop, n.step],
    set: (n, cs) => ({ ...n, start: v(cs, 0), stop: v(cs, 1), step: v(cs, 2) }),
  },
  StreamMap: { get: (n) => [n.a, n.body], set: (n, cs) => ({ ...n, a: v(cs, 0), body: v(cs, 1) }) },
  StreamFilter: { get: (n) => [n.a, n.cond], set: (n, cs) => ({ ...n, a: v(cs, 0), cond: v(cs, 1) }) },
  StreamFlatMap: { get: (n) => [n.a, n.body], set: (n, cs) => ({ ...n, a: v(cs, 0), body: v(cs, 1) }) },
  StreamFold: {
    get: (n) => [n.a, n.zero, n.body],
    set: (n, cs) => ({ ...n, a: v(cs, 0), zero: v(cs, 1), body: v(cs, 2) }),
  },
  StreamScan: {
    get: (n) => [n.a, n.zero, n.body],
    set: (n, cs) => ({ ...n, a: v(cs, 0), zero: v(cs, 1), body: v(cs, 2) }),
  },
  StreamLen: { get: (n) => [n.a], set: (n, cs) => ({ ...n, a: v(cs, 0) }) },
  StreamTake: { get: (n) => [n.a, n.num], set: (n, cs) => ({ ...n, a: v(cs, 0), num: v(cs, 1) }) },
  StreamDrop: { get: (n) => [n.a, n.num], set: (n, cs) => ({ ...n, a: v(cs, 0), num: v(cs, 1) }) },
  StreamZip: {
    get: (n) => [...n.streams, n.body],
    set: (n, cs) => ({ ...n, streams: vs(cs, 0, n.streams.length), body: v(cs, n.streams.length) }),
  },
  StreamAgg: { get: (n) => [n.a, n.query], set: (n, cs) => ({ ...n, a: v(cs, 0), query: v(cs, 1) }) },
  ApplyAggOp: {
    get: (n) => [...n.initArgs, ...n.seqArgs],
    set: (n, cs) => ({ ...n, initArgs: vs(cs, 0, n.initArgs.length), seqArgs: vs(cs, n.initArgs.length) }),
  },
  ApplyScanOp: {
    get: (n) => [...n.initArgs, ...n.seqArgs],
    set: (n, cs) => ({ ...n, initArgs: vs(cs, 0, n.initArgs.length), seqArgs: vs(cs, n.initArgs.length) }),
  },
  AggFilter: { get: (n) => [n.cond, n.agg], set: (n, cs) => ({ ...n, cond: v(cs, 0), agg: v(cs, 1) }) },
  AggExplode: { get: (n) => [n.array, n.agg], set: (n, cs) => ({ ...n, array: v(cs, 0), agg: v(cs, 1) }) },
  AggGroupBy: { get: (n) => [n.key, n.agg], set: (n, cs) => ({ ...n, key: v(cs, 0), agg: v(cs, 1) }) },
  AggArrayPerElement: {
    get: (n) => (n.knownLength ? [n.a, n.agg, n.knownLength] : [n.a, n.agg]),
    set: (n, cs) => ({ ...n, a: v(cs, 0), agg: v(cs, 1), knownLength: n.knownLength ? v(cs, 2) : null }),
  },
  Apply: { get: (n) => n.args, set: (n, cs) => ({ ...n, args: vs(cs) }) },
  Die: { get: (n) => [n.message], set: (n, cs) => ({ ...n, message: v(cs, 0) }) },
  TableCount: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableAggregate: { get: (n) => [n.child, n.query], set: (n, cs) => ({ ...n, child: t(cs, 0), query: v(cs, 1) }) },
  TableCollect: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableGetGlobals: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableWrite: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  RelationalLet: { get: (n) => [n.value, n.body], set: (n, cs) => ({ ...n, value: v(cs, 0), body: v(cs, 1) }) },
  CollectDistributedArray: {
    get: (n) => [n.contexts, n.globals, n.body, n.dynamicId],
    set: (n, cs) => ({ ...n, contexts: v(cs, 0), globals: v(cs, 1), body: v(cs, 2), dynamicId: v(cs, 3) }),
  },
  Grad: { get: (n) => [n.body], set: (n, cs) => ({ ...n, body: v(cs, 0) }) },
  Gradient: { get: (n) => [n.body], set: (n, cs) => ({ ...n, body: v(cs, 0) }) },

  TableRange: none,
  TableRead: none,
  TableParallelize: { get: (n) => [n.rowsAndGlobal], set: (n, cs) => ({ ...n, rowsAndGlobal: v(cs, 0) }) },
  TableFilter: { get: (n) => [n.child, n.pred], set: (n, cs) => ({ ...n, child: t(cs, 0), pred: v(cs, 1) }) },
  TableMapRows: { get: (n) => [n.child, n.newRow], set: (n, cs) => ({ ...n, child: t(cs, 0), newRow: v(cs, 1) }) },
  TableMapGlobals: {
    get: (n) => [n.child, n.newGlobal],
    set: (n, cs) => ({ ...n, child: t(cs, 0), newGlobal: v(cs, 1) }),
  },
  TableKeyBy: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableOrderBy: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableAggregateByKey: { get: (n) => [n.child, n.expr], set: (n, cs) => ({ ...n, child: t(cs, 0), expr: v(cs, 1) }) },
  TableKeyByAndAggregate: {
    get: (n) => [n.child, n.expr, n.newKey],
    set: (n, cs) => ({ ...n, child: t(cs, 0), expr: v(cs, 1), newKey: v(cs, 2) }),
  },
  TableJoin: { get: (n) => [n.left, n.right], set: (n, cs) => ({ ...n, left: t(cs, 0), right: t(cs, 1) }) },
  TableLeftJoinRightDistinct: {
    get: (n) => [n.left, n.right],
    set: (n, cs) => ({ ...n, left: t(cs, 0), right: t(cs, 1) }),
  },
  TableUnion: { get: (n) => n.children, set: (n, cs) => ({ ...n, children: cs as TableIR[] }) },
  TableHead: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableTail: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableExplode: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableDistinct: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  TableRename: { get: (n) => [n.child], set: (n, cs) => ({ ...n, child: t(cs, 0) }) },
  RelationalLetTable: {
    get: (n) => [n.value, n.body],
    set: (n, cs) => ({ ...n, value: v(cs, 0), body: t(cs, 1) }),
  },
};

export function children(n: IR): readonly IR[] {
  return (table[n.kind] as ChildSpec<IR>).get(n);
}

/** Returns `n` itself when every child is identical (`===`), so unchanged subtrees stay shared. */
export function withChildren<N extends IR>(n: N, cs: readonly IR[]): N {
  const old = children(n);
  if (old.length !== cs.length) throw new Error(`${n.kind}: expected ${old.length} children, got ${cs.length}`);
  if (old.every((c, i) => c === cs[i])) return n;
  return (table[n.kind] as ChildSpec<IR>).set(n, cs) as N;
}

/** Every node kind, from the table (so tests can check coverage). */
export const allKinds = Object.keys(table) as Kind[];
