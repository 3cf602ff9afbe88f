// Demand (semantics.md §1, "Unneeded values"): which part of each node's value the program's
// result needs. A value node nothing needs is not evaluated by any backend, so an error inside
// it is not raised. SQL engines prune what no output column reads (unread projection columns,
// aggregates and struct fields, tables only counted), so every backend prunes by this one
// analysis instead of each by its own rules. Hail's PruneDeadFields is the model.
//
// An analysis: one backward walk from the root, results in side tables, the IR untouched.
// Linear: each node is visited once; demands on struct fields are merged per binder.
//
// A value demand is NONE (not needed at all), ALL, or the struct or tuple fields needed (an
// empty set: only whether the value is missing). A table demand says whether its rows are
// needed at all (`count`), which row and global fields are, and whether its order is.

import { childEnv, emptyEnv, type Bind, type Env } from '../ir/binds.js';
import { children } from '../ir/children.js';
import { AGG_KINDS, constantValue, isTableIR, type IR, type ValueIR } from '../ir/nodes.js';
import type { TableType, Type } from '../ir/types.js';
import { fold, memoFold } from '../ir/walk.js';
import { fieldWrittenOut, foldsToMissing, lengthByForm, presentByForm, staticallyMissing } from './static-missing.js';
import type { AnyType } from './typecheck.js';

export type Demand = null | 'all' | ReadonlyMap<string, Demand>;
export const NONE = null;
export const ALL = 'all' as const;

export interface TableDemand {
  /** Whether the table's rows (their number, which ones) are needed at all. */
  readonly count: boolean;
  readonly rows: Demand;
  readonly global: Demand;
  /** Whether the order of the rows is needed. */
  readonly order: boolean;
}
const TABLE_NONE: TableDemand = { count: false, rows: NONE, global: NONE, order: false };
const TABLE_ALL: TableDemand = { count: true, rows: ALL, global: ALL, order: true };

/** The demand on every node of one program. Nodes absent are needed whole. */
export interface DemandInfo {
  /** Whether a value node's value is needed at all. */
  needed(n: IR): boolean;
  value(n: IR): Demand;
  table(n: IR): TableDemand;
}

/** Whether a predicate is the constant false or missing (after constant folding). */
export function constantFalse(p: IR): boolean {
  const v = constantValue(p);
  return v === false || v === null || staticallyMissing(p);
}

export function union(a: Demand, b: Demand): Demand {
  if (a === NONE) return b;
  if (b === NONE) return a;
  if (a === ALL || b === ALL) return ALL;
  const out = new Map(a);
  for (const [k, v] of b) out.set(k, union(out.get(k) ?? NONE, v));
  return out;
}

/** The demand on field `name` of a value demanded `d`. */
function fieldDemand(d: Demand, name: string): Demand {
  if (d === NONE || d === ALL) return d;
  return d.get(name) ?? NONE;
}

function fields(entries: Iterable<readonly [string, Demand]>): Demand {
  return new Map(entries);
}

function unionTable(a: TableDemand, b: TableDemand): TableDemand {
  return { count: a.count || b.count, rows: union(a.rows, b.rows), global: union(a.global, b.global), order: a.order || b.order };
}

/** Where a variable is bound: its binder node and which of its bindings. */
interface Target {
  readonly node: IR;
  readonly key: string;
}
const keyOf = (bind: Bind): string => `${bind.name}@${bind.source.of}:${'child' in bind.source ? bind.source.child : ''}`;

/** Table nodes whose value children run once per row of their child. */
const ROW_LEVEL: ReadonlySet<string> = new Set(['TableFilter', 'TableMapRows', 'TableAggregateByKey', 'TableKeyByAndAggregate']);
/** Table nodes with no rows when their (first) child has none. */
const KEEPS_EMPTY: ReadonlySet<string> = new Set([
  'TableFilter',
  'TableMapRows',
  'TableMapGlobals',
  'TableKeyBy',
  'TableOrderBy',
  'TableHead',
  'TableTail',
  'TableExplode',
  'TableDistinct',
  'TableRename',
  'TableAggregateByKey',
  'TableKeyByAndAggregate',
]);

const emptyMemo = new WeakMap<IR, boolean>();

/** Whether a `TableExplode` explodes a field missing by its form on every row. */
export function explodesMissing(n: IR): boolean {
  return n.kind === 'TableExplode' && rowFieldMissing(n.child, n.path[0]!, n.path.slice(1), true);
}

/** Table nodes whose rows are some of their child's, fields, key and all. */
const SAME_ROWS: ReadonlySet<string> = new Set(['TableFilter', 'TableHead', 'TableTail', 'TableDistinct', 'TableMapGlobals']);

/** Whether one of the first `n` key fields of table `t` is missing by its form on every row. */
function keyMissing(t: IR, n: number): boolean {
  const keys = keysByForm(t);
  return keys !== undefined && keys.slice(0, n).some((k) => rowFieldMissing(t, k));
}

/** The key fields of a table as its form shows them (a `TableKeyBy` below nodes keeping them). */
function keysByForm(t: IR): readonly string[] | undefined {
  while (t.kind !== 'TableKeyBy') {
    if (t.kind !== 'TableMapRows' && !SAME_ROWS.has(t.kind)) return undefined;
    t = (t as { readonly child: IR }).child;
  }
  return t.keys;
}

/** Whether the value at `path` inside `v` is missing by its form (or, with `orEmpty`, empty by it). */
function pathMissing(v: IR, path: readonly string[], orEmpty = false): boolean {
  for (const name of path) {
    if (staticallyMissing(v)) return true;
    // (Exploded, a struct missing drops the row as an empty new field does: either way none.)
    const added = orEmpty && v.kind === 'InsertFields' ? v.fields.find((x) => x.name === name)?.value : undefined;
    const f = added ?? fieldWrittenOut({ kind: 'GetField', name, o: v as ValueIR }, v);
    if (f === null) return true;
    if (f === undefined) return false;
    v = f;
  }
  return staticallyMissing(v) || (orEmpty && lengthByForm(v) === 0);
}

/** Whether field `name` of struct `s` written out (at `path` inside it) is missing by its form. */
function fieldMissing(s: ValueIR, name: string, path: readonly string[], orEmpty = false): boolean {
  const f = fieldWrittenOut({ kind: 'GetField', name, o: s }, s);
  return f === null || (f !== undefined && pathMissing(f, path, orEmpty));
}

/** Whether row field `name` (at `path` inside it) of table `t` is missing by its form on every row. */
function rowFieldMissing(t: IR, name: string, path: readonly string[] = [], orEmpty = false): boolean {
  for (;;) {
    switch (t.kind) {
      case 'TableMapRows': {
        if (staticallyMissing(t.newRow)) return true;
        // A field inserted into the row itself (never missing; `row` here is this map's).
        const r = t.newRow;
        const added = r.kind === 'InsertFields' && r.old.kind === 'Ref' && r.old.name === 'row' ? r.fields.find((x) => x.name === name) : undefined;
        if (added !== undefined) return pathMissing(added.value, path, orEmpty);
        return fieldMissing(r, name, path, orEmpty);
      }
      case 'TableAggregateByKey':
      case 'TableKeyByAndAggregate': {
        // A field of the aggregated struct (the others are keys).
        const e = t.expr;
        if (e.kind === 'NA') return e.type.kind === 'Struct' && e.type.fields.some((x) => x.name === name);
        return fieldMissing(e, name, path, orEmpty);
      }
      default:
        if (t.kind !== 'TableKeyBy' && t.kind !== 'TableOrderBy' && !SAME_ROWS.has(t.kind)) return false;
        t = (t as { readonly child: IR }).child;
    }
  }
}

/**
 * Whether a table has no rows by its form: a TableRange, TableHead or TableTail of 0, a
 * TableParallelize of a literal with no rows, a TableFilter on a constant false or missing
 * predicate, or a node that keeps such a child empty.
 */
export function staticallyEmpty(n: IR): boolean {
  return memoFold(
    n,
    emptyMemo,
    (x, kids) => {
      if ((x.kind === 'TableHead' || x.kind === 'TableTail') && x.n <= 0n) return true;
      if (x.kind === 'TableRange' && x.n <= 0) return true;
      if (x.kind === 'TableParallelize' && noRowsLiteral(x.rowsAndGlobal)) return true;
      if (x.kind === 'TableFilter' && constantFalse(x.pred)) return true;
      if (x.kind === 'TableExplode' && explodesMissing(x)) return true;
      if (x.kind === 'TableJoin') {
        const [l, r] = kids as [boolean, boolean];
        // A key missing by its form on every row of a side matches nothing (semantics.md §7).
        if (x.joinType === 'inner' && (keyMissing(x.left, x.joinKey) || keyMissing(x.right, x.joinKey))) return true;
        return x.joinType === 'inner' ? l || r : x.joinType === 'left' ? l : x.joinType === 'right' ? r : l && r;
      }
      if (x.kind === 'TableLeftJoinRightDistinct') return kids[0] === true;
      if (x.kind === 'RelationalLetTable') return kids[1] === true;
      if (x.kind === 'TableUnion') return kids.every((k) => k);
      return KEEPS_EMPTY.has(x.kind) && kids[0] === true;
    },
    (x) => (isTableIR(x) ? undefined : false),
  );
}

/** A Literal struct whose rows array is empty. */
function noRowsLiteral(n: IR): boolean {
  if (n.kind !== 'Literal' || n.value === null || n.type.kind !== 'Struct') return false;
  const rows = (n.value as readonly unknown[])[n.type.fields.findIndex((f) => f.name === 'rows')];
  return Array.isArray(rows) && rows.length === 0;
}

/** The kinds of AGG_KINDS that aggregate (the others pass rows on to them). */
const AGGREGATORS: ReadonlySet<string> = new Set(['ApplyAggOp', 'ApplyScanOp', 'AggGroupBy', 'AggArrayPerElement']);

/**
 * Whether an aggregator's result depends on the order of its rows: a scan's (which rows come
 * before), `Collect`, `Take`, `TakeBy` (ties) and `PrevNonnull`. Float sums differ only by
 * rounding, which the comparison of semantics.md §9 allows.
 */
function orderSensitive(node: IR): boolean {
  if (node.kind === 'ApplyScanOp') return true;
  if (node.kind === 'ApplyAggOp') return node.op === 'Collect' || node.op === 'Take' || node.op === 'TakeBy' || node.op === 'PrevNonnull';
  return 'isScan' in node && node.isScan;
}

const nonEmptyByForm = (a: IR): boolean => (lengthByForm(a) ?? 0) > 0;
const emptyByForm = (a: IR): boolean => lengthByForm(a) === 0;

/** Whether child `i` of an aggregation node is evaluated per row (not its result or init args). */
function perRowPart(node: IR, i: number): boolean {
  if (node.kind === 'ApplyAggOp' || node.kind === 'ApplyScanOp') return i >= node.initArgs.length;
  return i === 0 && node.kind !== 'StreamAgg';
}

/** Whether an aggregation owner aggregates the rows of a table (a stream) empty by its form. */
function rowsEmpty(owner: IR | undefined): boolean {
  if (owner === undefined) return false;
  return (owner.kind === 'TableAggregate' && staticallyEmpty(owner.child)) || (owner.kind === 'StreamAgg' && emptyByForm(owner.a));
}

export function analyzeDemand(root: IR, types: ReadonlyMap<IR, AnyType>): DemandInfo {
  // 1. Resolve every Ref and RelationalRef to its binder, and every aggregator to the node
  //    whose aggregation it feeds.
  const target = new Map<IR, Target>();
  const owner = new Map<IR, IR>();
  const resolve = (node: IR, bind: Bind): Target => ({ node, key: keyOf(bind) });
  fold<Env<Target>, null>(root, emptyEnv<Target>(), {
    enter: (node, i, env) => childEnv(node, i, env, resolve),
    leave: (node, env) => {
      if (node.kind === 'Ref') {
        const t = env.eval.get(node.name);
        if (t !== undefined) target.set(node, t);
      } else if (node.kind === 'RelationalRef') {
        const t = env.rel.get(node.name);
        if (t !== undefined) target.set(node, t);
      } else if (AGG_KINDS.has(node.kind)) {
        const scan = 'isScan' in node ? node.isScan : node.kind === 'ApplyScanOp';
        const o = scan ? env.scanOwner : env.aggOwner;
        if (o !== undefined) owner.set(node, o);
      }
      return null;
    },
  });

  // 2. Walk from the root, children in reverse order: every binding's value comes before its
  //    scope in a node's children, so the reads of a name are all seen before its value.
  const values = new Map<IR, Demand>();
  const tables = new Map<IR, TableDemand>();
  const bound = new Map<IR, Map<string, Demand>>();

  /** Per owner, the AggFilters being walked whose condition is false or missing by its form. */
  const deadFilters = new Map<IR, number>();
  const entered = new Set<IR>();
  /** Needed aggregators per owner whose result depends on the order of the rows. */
  const orderedCount = new Map<IR, number>();

  /** Needed aggregators per owner that rows can reach (not under an AggFilter false by its form). */
  const liveCount = new Map<IR, number>();
  /** Whether a needed aggregator that rows can reach feeds `node`'s aggregation (then it reads them). */
  const aggregates = (node: IR): boolean => (liveCount.get(node) ?? 0) > 0;
  /** Whether one whose result depends on the row order does (the order then matters). */
  const ordered = (node: IR): boolean => (orderedCount.get(node) ?? 0) > 0;
  const boundDemand = (node: IR, key: string): Demand => bound.get(node)?.get(key) ?? NONE;
  const rowOf = (node: IR): Demand => boundDemand(node, 'row@row:0');
  const globalOf = (node: IR): Demand => boundDemand(node, 'global@global:0');
  const typeOf = (n: IR): AnyType | undefined => types.get(n);
  const keyFields = (n: IR): readonly string[] => {
    const t = typeOf(n);
    return t !== undefined && !('kind' in t) ? (t as TableType).key : [];
  };
  const withFields = (d: Demand, names: readonly string[]): Demand => (names.length === 0 ? d : union(d, fields(names.map((k) => [k, ALL] as const))));
  /** `d` on a struct of type `t` without the fields `drop` (ALL spelled out). */
  const without = (d: Demand, t: Type | undefined, drop: ReadonlySet<string>): Demand => {
    if (d === NONE) return NONE;
    if (d === ALL) {
      if (t === undefined || t.kind !== 'Struct') return ALL;
      return fields(t.fields.filter((f) => !drop.has(f.name)).map((f) => [f.name, ALL] as const));
    }
    return fields([...d].filter(([k]) => !drop.has(k)));
  };
  const globalType = (n: IR): Type | undefined => {
    const t = typeOf(n);
    return t !== undefined && !('kind' in t) ? (t as TableType).global : undefined;
  };
  /**
   * The demand on a struct that becomes a row or a global: only its fields, since a missing
   * row or global stands for one whose fields are all missing (semantics.md §7).
   */
  const fieldsOnly = (d: Demand, t: Type | undefined): Demand => {
    if (d === ALL && t !== undefined && t.kind === 'Struct') d = fields(t.fields.map((f) => [f.name, ALL] as const));
    return d !== NONE && d !== ALL && d.size === 0 ? NONE : d;
  };
  const valueType = (n: IR): Type | undefined => {
    const t = typeOf(n);
    return t !== undefined && 'kind' in t ? t : undefined;
  };
  const rowType = (n: IR): Type | undefined => {
    const t = typeOf(n);
    return t !== undefined && !('kind' in t) ? (t as TableType).row : undefined;
  };
  interface Frame {
    readonly node: IR;
    readonly kids: readonly IR[];
    next: number;
    /** Needed aggregators of this node's own aggregation that rows reach, seen before its body was walked. */
    readonly liveBefore: number;
  }

  /**
   * Whether a needed aggregator that rows reach is inside the body of an AggLet, AggFilter or
   * AggExplode (not one under an AggFilter that passes none, an AggExplode of a missing array,
   * an AggArrayPerElement of missing arrays): in a scan too, whose SQL guards each aggregate's
   * arguments by its filter.
   */
  const innerAggregators = (node: Extract<IR, { isScan: boolean }>, frame: Frame): boolean => {
    const o = owner.get(node) ?? node;
    return (liveCount.get(o) ?? 0) > frame.liveBefore;
  };

  // (NONE is null: never `??` a demand.)
  const valueOf = (n: IR): Demand => (values.has(n) ? values.get(n)! : ALL);
  const setValue = (n: IR, d: Demand): void => {
    const old = values.get(n);
    values.set(n, old === undefined ? d : union(old, d));
  };
  const setTable = (n: IR, d: TableDemand): void => {
    const old = tables.get(n);
    // A keyed table in demanded order is ordered by its key fields.
    const keyed = d.order ? { ...d, rows: withFields(d.rows, keyFields(n)) } : d;
    tables.set(n, old === undefined ? keyed : unionTable(old, keyed));
  };

  /** The demand on child `i` of `node`, asked just before the child is walked. */
  const childDemand = (node: IR, i: number, frame: Frame): Demand | TableDemand => {
    const kid = frame.kids[i]!;
    if (isTableIR(node)) return tableChildDemand(node, i, kid);
    const d = valueOf(node);
    // A node missing by its form evaluates nothing (semantics.md §1).
    if (d === NONE || staticallyMissing(node)) return isTableIR(kid) ? TABLE_NONE : NONE;
    // Per-row parts of an aggregation over a table empty by its form: no row evaluates them.
    if (AGG_KINDS.has(node.kind) && perRowPart(node, i) && rowsEmpty(owner.get(node))) return NONE;
    switch (node.kind) {
      case 'GetField':
        return fields([[node.name, d]]);
      case 'GetTupleElement':
        return fields([[String(node.index), d]]);
      case 'MakeStruct':
        return fieldDemand(d, node.fields[i]!.name);
      case 'MakeTuple':
        return fieldDemand(d, String(node.indices[i]));
      case 'InsertFields': {
        // New fields of a struct missing by its form are never evaluated.
        if (i > 0) return staticallyMissing(node.old) ? NONE : fieldDemand(d, node.fields[i - 1]!.name);
        const t = typeOf(node.old);
        return without(d, t !== undefined && 'kind' in t ? t : undefined, new Set(node.fields.map((f) => f.name)));
      }
      case 'SelectFields':
        return d === ALL ? fields(node.fields.map((f) => [f, ALL] as const)) : d;
      case 'If':
        return i === 0 ? ALL : d;
      case 'Switch':
        return i === 0 ? ALL : d;
      case 'Coalesce':
        // Nothing after an argument present by its form is evaluated.
        return node.values.slice(0, i).some((v) => presentByForm(v)) ? NONE : d;
      case 'Let':
        return i < node.bindings.length ? boundDemand(node, `${node.bindings[i]!.name}@type:${i}`) : d;
      case 'AggLet':
        // The value runs per row only for the aggregators inside the body (semantics.md §5).
        if (i === 1) return d;
        return innerAggregators(node, frame) ? boundDemand(node, `${node.name}@type:0`) : NONE;
      case 'AggFilter':
      case 'AggExplode':
        if (i === 1) return d;
        return innerAggregators(node, frame) ? ALL : NONE;
      case 'RelationalLet':
        return i === 0 ? boundDemand(node, `${node.name}@type:0`) : d;
      case 'StreamFold':
      case 'StreamScan':
        // Over a stream with no element by its form, the body never runs.
        if (i === 2 && emptyByForm(node.a)) return NONE;
        // Over a stream with an element by its form, a fold's zero is never the result: it is
        // needed only as the accumulator is (an engine drops an unread zero of an unrolled loop).
        return i === 1 && node.kind === 'StreamFold' && nonEmptyByForm(node.a) ? boundDemand(node, `${node.accum}@type:1`) : ALL;
      case 'CollectDistributedArray':
        // The globals are a binding of the body; the dynamic ID names the stage, no value reads it.
        return i === 1 ? boundDemand(node, `${node.globalName}@type:1`) : i === 3 ? NONE : ALL;
      case 'TableCount':
        return { count: true, rows: NONE, global: NONE, order: false };
      case 'TableGetGlobals':
        // Only its fields: a global is never missing as a whole (semantics.md §7).
        return { count: false, rows: NONE, global: fieldsOnly(d, globalType(kid)), order: false };
      case 'TableAggregate':
        if (i === 1) return d;
        // Without an aggregator the rows are not needed at all.
        return { count: aggregates(node), rows: rowOf(node), global: globalOf(node), order: ordered(node) };
      case 'TableCollect':
        return { count: true, rows: ALL, global: fieldDemand(d, 'global'), order: true };
      default:
        if (foldsToMissing(node)) return isTableIR(kid) ? TABLE_NONE : NONE;
        return isTableIR(kid) ? TABLE_ALL : ALL;
    }
  };

  const tableChildDemand = (node: IR, i: number, kid: IR): Demand | TableDemand => {
    const d = tables.get(node) ?? TABLE_ALL;
    const valueKid = !isTableIR(kid);
    // Per-row values over rows known to be none are never computed (SQL engines drop them).
    if (valueKid && ROW_LEVEL.has(node.kind) && 'child' in node && staticallyEmpty(node.child as IR)) return NONE;
    switch (node.kind) {
      case 'TableRange':
      case 'TableRead':
        return TABLE_NONE;
      case 'TableParallelize': {
        // Whether the rows array is missing decides whether the table fails, if it is read.
        const global = fieldsOnly(d.global, globalType(node));
        if (!d.count && global === NONE) return NONE;
        return fields([['rows', d.count ? ALL : fields([])], ['global', global]]);
      }
      case 'TableFilter':
        // A constant false predicate keeps no row: nothing of the child's rows is needed.
        if (constantFalse(node.pred)) return valueKid ? NONE : { ...TABLE_NONE, global: d.global };
        if (valueKid) return d.count ? ALL : NONE;
        return { ...d, rows: union(d.rows, rowOf(node)), global: union(d.global, globalOf(node)) };
      case 'TableMapRows':
        if (valueKid) return d.count ? fieldsOnly(d.rows, rowType(node)) : NONE;
        return {
          count: d.count,
          rows: rowOf(node),
          global: union(d.global, globalOf(node)),
          order: d.order || ordered(node),
        };
      case 'TableMapGlobals':
        if (valueKid) return fieldsOnly(d.global, globalType(node));
        return { ...d, global: globalOf(node) };
      case 'TableKeyBy':
      case 'TableOrderBy': {
        const by = node.kind === 'TableKeyBy' ? node.keys : node.sortFields.map((f) => f.field);
        return { ...d, rows: d.order ? withFields(d.rows, by) : d.rows };
      }
      case 'TableHead':
      case 'TableTail':
        // No rows wanted: none of the child's rows are needed.
        if (node.n <= 0n) return { ...TABLE_NONE, global: d.global };
        return { ...d, order: d.count };
      case 'TableExplode':
        // Exploding a field missing by its form gives no row: the child's rows are not needed.
        if (explodesMissing(node)) return { ...TABLE_NONE, global: d.global };
        return { ...d, rows: d.count ? withFields(d.rows, [node.path[0]!]) : d.rows };
      case 'TableDistinct':
        return { ...d, rows: d.count ? withFields(d.rows, keyFields(node)) : d.rows, order: d.count };
      case 'TableRename': {
        const back = (dm: Demand, map: readonly (readonly [string, string])[]): Demand => {
          if (dm === NONE || dm === ALL) return dm;
          const old = new Map(map.map(([o, n]) => [n, o] as const));
          return fields([...dm].map(([k, v]) => [old.get(k) ?? k, v] as const));
        };
        return { ...d, rows: back(d.rows, node.rowMap), global: back(d.global, node.globalMap) };
      }
      case 'TableUnion':
        return { ...d, global: i === 0 ? d.global : NONE };
      case 'TableAggregateByKey': {
        if (valueKid) return d.count ? fieldsOnly(without(d.rows, rowType(node), new Set(keyFields(node))), undefined) : NONE;
        const keys = keyFields(node);
        return { count: d.count, rows: d.count ? withFields(rowOf(node), keys) : NONE, global: union(d.global, globalOf(node)), order: d.count && ordered(node) };
      }
      case 'TableKeyByAndAggregate': {
        // The new key is needed for its fields (a missing key is one of missing fields).
        if (i === 2) return d.count ? fieldsOnly(ALL, valueType(node.newKey)) : NONE;
        if (i === 1) return d.count ? fieldsOnly(without(d.rows, rowType(node), new Set(keyFields(node))), undefined) : NONE;
        return { count: d.count, rows: d.count ? rowOf(node) : NONE, global: union(d.global, globalOf(node)), order: d.count && ordered(node) };
      }
      case 'TableJoin': {
        if (!d.count || staticallyEmpty(node)) return { ...TABLE_NONE, global: d.global === NONE ? NONE : ALL };
        const side = i === 0 ? node.left : node.right;
        const st = rowType(side);
        const names = new Set(st?.kind === 'Struct' ? st.fields.map((f) => f.name) : []);
        const rows = d.rows === ALL ? ALL : d.rows === NONE ? NONE : fields([...d.rows].filter(([k]) => names.has(k)));
        // Rows match on the join key; the rest of a key orders the result, when that is needed.
        const keys = d.order ? keyFields(side) : keyFields(side).slice(0, node.joinKey);
        return { count: true, rows: withFields(rows, keys), global: d.global === NONE ? NONE : ALL, order: d.order };
      }
      case 'TableLeftJoinRightDistinct': {
        if (!d.count || staticallyEmpty(node)) return { ...TABLE_NONE, global: i === 0 ? d.global : NONE };
        if (i === 0) return { count: true, rows: withFields(without(d.rows, rowType(node), new Set([node.root])), keyFields(node.left)), global: d.global, order: d.order };
        return { count: true, rows: fieldDemand(d.rows, node.root) === NONE ? withFields(NONE, keyFields(node.right)) : ALL, global: NONE, order: true };
      }
      case 'RelationalLetTable':
        return valueKid ? boundDemand(node, `${node.name}@type:0`) : d;
      default:
        return valueKid ? ALL : TABLE_ALL;
    }
  };


  // The root's whole value is needed.
  if (isTableIR(root)) setTable(root, TABLE_ALL);
  else setValue(root, ALL);
  const stack: Frame[] = [];
  const push = (node: IR): void => {
    const kids = children(node);
    enterNode(node);
    // An Agg* node's body is its last child, walked first: the aggregators of its aggregation
    // counted after that and not before are the body's.
    const o = owner.get(node) ?? node;
    stack.push({ node, kids, next: kids.length - 1, liveBefore: liveCount.get(o) ?? 0 });
  };
  const enterNode = (node: IR): void => {
    if (isTableIR(node)) return;
    const d = valueOf(node);
    if (d === NONE) return;
    if (node.kind === 'Ref' || node.kind === 'RelationalRef') {
      const t = target.get(node);
      if (t === undefined) return;
      let m = bound.get(t.node);
      if (m === undefined) bound.set(t.node, (m = new Map()));
      m.set(t.key, union(m.get(t.key) ?? NONE, d));
    } else if ((node.kind === 'AggFilter' && constantFalse(node.cond)) || (node.kind === 'AggExplode' && staticallyMissing(node.array))) {
      // No row passes: the aggregators inside read none (as SQL folds FILTER (WHERE FALSE)), nor
      // do those of an explode of a missing array.
      const o = owner.get(node);
      if (o !== undefined) {
        deadFilters.set(o, (deadFilters.get(o) ?? 0) + 1);
        entered.add(node);
      }
    } else if (AGGREGATORS.has(node.kind) && !foldsToMissing(node)) {
      const o = owner.get(node);
      if (o !== undefined) {
        // (An AggArrayPerElement over arrays missing by their form skips every row.)
        const skipsRows = node.kind === 'AggArrayPerElement' && staticallyMissing(node.a);
        if ((deadFilters.get(o) ?? 0) === 0 && !skipsRows) liveCount.set(o, (liveCount.get(o) ?? 0) + 1);
        if (orderSensitive(node)) orderedCount.set(o, (orderedCount.get(o) ?? 0) + 1);
        // Nor do the aggregators inside it (with a length given, its body still runs).
        if (skipsRows) {
          deadFilters.set(o, (deadFilters.get(o) ?? 0) + 1);
          entered.add(node);
        }
      }
    }
  };
  push(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < 0) {
      stack.pop();
      if (entered.has(top.node)) {
        const o = owner.get(top.node)!;
        deadFilters.set(o, deadFilters.get(o)! - 1);
      }
      continue;
    }
    const i = top.next--;
    const kid = top.kids[i]!;
    const d = childDemand(top.node, i, top);
    if (isTableIR(kid)) setTable(kid, d as TableDemand);
    else setValue(kid, d as Demand);
    push(kid);
  }

  return {
    needed: (n) => (values.has(n) ? values.get(n) !== NONE : true),
    value: (n) => (values.has(n) ? values.get(n)! : ALL),
    table: (n) => tables.get(n) ?? TABLE_ALL,
  };
}

