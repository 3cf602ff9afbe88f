// Table nodes of the reference interpreter. A table value is its global and a re-iterable,
// lazily pulled sequence of rows (positional structs), in the order semantics.md §7 defines.
// Streaming nodes hold O(1) rows; sorts, tails and hash groupings materialise.

import { InternalError } from '../../diagnostics/diagnostic.js';
import type { IR, TableIR, TableReader } from '../../ir/nodes.js';
import { fieldIndex, type StructType, type TableType, type Type } from '../../ir/types.js';
import { compareValues, type Value } from '../../ir/value.js';
import { keyString, type AggContext } from './aggregate.js';
import type { Compiled, V } from './compile.js';
import { RuntimeError } from './errors.js';
import { frame, type Frame } from './frames.js';
import { keepsKey } from '../../passes/keeps-key.js';
import { constantFalse, explodesMissing, type DemandInfo } from '../../passes/demand.js';

export type Row = readonly Value[];

export interface TableValue {
  readonly global: Value;
  rows(): Iterable<Row>;
}

/** Supplies the rows of a TableRead, as positional structs of the given row type. */
export type TableSource = (reader: TableReader, type: TableType) => Iterable<Row>;

interface AggRuntime {
  start(): AggContext;
  seq(f: Frame, c: AggContext): void;
  result(f: Frame, c: AggContext): unknown;
}

interface Deps {
  /** What the result needs of each table (passes/demand.ts); without it, everything. */
  readonly demand?: DemandInfo;
  readonly typeOf: (n: IR) => Type;
  readonly tableTypeOf: (n: IR) => TableType;
  readonly source: TableSource | undefined;
}

/** Compares rows on the fields at `idx`, each ascending (or descending) by the total order, missing last. */
function rowComparator(t: StructType, idx: readonly number[], descending: readonly boolean[] = []) {
  return (a: Row, b: Row): number => {
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      const x = a[i]!;
      const y = b[i]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return x === null ? 1 : -1; // missing last in both directions
      }
      const c = compareValues(t.fields[i]!.type, x, y);
      if (c !== 0) return descending[j] ? -c : c;
    }
    return 0;
  };
}

function keyIndices(t: TableType, key: readonly string[] = t.key): number[] {
  return key.map((k) => fieldIndex(t.row, k));
}

function hasMissing(row: Row, idx: readonly number[]): boolean {
  return idx.some((i) => row[i] === null);
}

export function tableOps(deps: Deps) {
  const { tableTypeOf } = deps;

  function table(node: TableIR, kids: readonly Compiled[], agg: (query: Compiled, scope: IR) => AggRuntime): V {
    const k = kids.map((c) => c.v);
    const out = tableTypeOf(node);
    switch (node.kind) {
      case 'TableRange': {
        const n = node.n;
        if (n < 0) return () => fail('InvalidArgument', `TableRange: negative size ${n}`, node);
        return (): TableValue => ({
          global: [],
          *rows() {
            for (let i = 0; i < n; i++) yield [i];
          },
        });
      }
      case 'TableRead': {
        const reader = node.reader;
        return (): TableValue => {
          if (deps.source === undefined) fail('Input', 'TableRead: no table source is configured for the interpreter', node);
          const src = deps.source!;
          // Readers have no globals: a declared global struct reads as all missing.
          return { global: present(null, out.global), rows: () => (node.dropRows ? [] : src(reader, out)) };
        };
      }
      case 'TableParallelize': {
        const [rg] = k as [V];
        const d = deps.demand?.table(node);
        // (A global with no fields carries nothing to compute.)
        const need = { count: d === undefined || d.count, global: out.global.fields.length > 0 && (d === undefined || d.global !== null) };
        return (f): TableValue => {
          const v = rg(f) as readonly Value[] | null;
          // A missing rows array fails the table when its rows or its global are needed (semantics.md §7).
          const check = () => {
            if (v === null || v[0] === null) fail('InvalidArgument', 'TableParallelize: the rows array is missing', node);
          };
          return {
            get global() {
              if (!need.global) return present(null, out.global);
              check();
              return present(v![1]!, out.global);
            },
            rows: () => {
              if (!need.count) return [];
              check();
              return (v![0] as readonly Row[]).map((r) => present(r, out.row));
            },
          };
        };
      }
      case 'TableFilter': {
        const [child, pred] = k as [V, V];
        // A constant false or missing predicate keeps no row: the child's rows are not computed.
        const never = constantFalse(node.pred);
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return {
            get global() {
              return t.global;
            },
            *rows() {
              if (never) return;
              for (const row of t.rows()) if (pred(frame(node, [t.global, row], f)) === true) yield row;
            },
          };
        };
      }
      case 'TableMapRows': {
        const [child, newRow] = k as [V, V];
        const scan = kids[1]!.scanScope === node ? kids[1]!.scan : null;
        // A map that may change a key re-sorts the rows into key order (semantics.md §7).
        const resort = keepsKey(node.newRow, out.key) ? undefined : rowComparator(out.row, keyIndices(out));
        return (f): TableValue => {
          const t = child(f) as TableValue;
          const mapped: TableValue = {
            get global() {
              return t.global;
            },
            *rows() {
              const c = scan ? agg(kids[1]!, node).start() : undefined;
              for (const row of t.rows()) {
                // A scan's value for a row aggregates the rows before it: read, then feed.
                const r = present(newRow(frame(node, [t.global, row], f, c ? { scan: c } : undefined)), out.row);
                if (scan) scan(frame(node, [t.global, row], f), c!);
                yield r;
              }
            },
          };
          return resort === undefined ? mapped : rowsOf(t, () => stableSort([...mapped.rows()], resort));
        };
      }
      case 'TableMapGlobals': {
        const [child, g] = k as [V, V];
        return (f): TableValue => {
          const t = child(f) as TableValue;
          // The new global (and so the child's) is computed when read, once.
          let global: { value: Value } | undefined;
          return {
            get global() {
              global ??= { value: present(g(frame(node, [t.global], f)), out.global) };
              return global.value;
            },
            rows: () => t.rows(),
          };
        };
      }
      case 'TableKeyBy': {
        const [child] = k as [V];
        const inT = tableTypeOf(node.child);
        const ordered = node.keys.every((key, i) => inT.key[i] === key);
        const cmp = rowComparator(out.row, keyIndices(out));
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return rowsOf(t, () => (ordered ? t.rows() : stableSort([...t.rows()], cmp)));
        };
      }
      case 'TableOrderBy': {
        const [child] = k as [V];
        const idx = node.sortFields.map((s) => fieldIndex(out.row, s.field));
        const cmp = rowComparator(out.row, idx, node.sortFields.map((s) => s.order === 'D'));
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return rowsOf(t, () => stableSort([...t.rows()], cmp));
        };
      }
      case 'TableAggregateByKey': {
        const [child] = k as [V];
        const inT = tableTypeOf(node.child);
        const kIdx = keyIndices(inT);
        const same = rowComparator(inT.row, kIdx);
        const run = agg(kids[1]!, node);
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return {
            get global() {
              return t.global;
            },
            *rows() {
              let key: Row | null = null;
              let c: AggContext | null = null;
              const exprT = deps.typeOf(node.expr) as StructType;
              const finish = (): Row => [...kIdx.map((i) => key![i]!), ...present(run.result(frame(node, [t.global], f), c!), exprT)];
              for (const row of t.rows()) {
                if (key !== null && same(key, row) !== 0) {
                  yield finish();
                  key = null;
                }
                if (key === null) {
                  key = row;
                  c = run.start();
                }
                run.seq(frame(node, [t.global, row], f), c!);
              }
              if (key !== null) yield finish();
            },
          };
        };
      }
      case 'TableKeyByAndAggregate': {
        const [child, , newKey] = k as [V, V, V];
        const run = agg(kids[1]!, node);
        const keyT = deps.typeOf(node.newKey) as StructType;
        const cmp = rowComparator(keyT, keyT.fields.map((_, i) => i));
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return {
            get global() {
              return t.global;
            },
            rows: () => {
              const groups = new Map<string, { key: Row; ctx: AggContext }>();
              for (const row of t.rows()) {
                const key = present(newKey(frame(node, [t.global, row], f)), keyT);
                const ks = keyString(keyT, key);
                let g = groups.get(ks);
                if (g === undefined) {
                  g = { key, ctx: run.start() };
                  groups.set(ks, g);
                }
                run.seq(frame(node, [t.global, row], f), g.ctx);
              }
              const sorted = stableSort([...groups.values()], (a, b) => cmp(a.key, b.key));
              const exprT = deps.typeOf(node.expr) as StructType;
              return sorted.map((g) => [...g.key, ...present(run.result(frame(node, [t.global], f), g.ctx), exprT)]);
            },
          };
        };
      }
      case 'TableJoin':
        return join(node, k as [V, V]);
      case 'TableLeftJoinRightDistinct': {
        const [left, right] = k as [V, V];
        const lt = tableTypeOf(node.left);
        const rt = tableTypeOf(node.right);
        const n = rt.key.length;
        const lIdx = keyIndices(lt).slice(0, n);
        const rIdx = keyIndices(rt);
        const valueIdx = rt.row.fields.map((_, i) => i).filter((i) => !rIdx.includes(i));
        const cmpKeys = keyComparator(lt.row, lIdx, rIdx);
        return (f): TableValue => {
          const l = left(f) as TableValue;
          const r = right(f) as TableValue;
          return {
            get global() {
              return l.global;
            },
            *rows() {
              const it = r.rows()[Symbol.iterator]();
              let cur = it.next();
              for (const row of l.rows()) {
                if (hasMissing(row, lIdx)) {
                  yield [...row, null];
                  continue;
                }
                while (!cur.done && (hasMissing(cur.value, rIdx) || cmpKeys(row, cur.value) > 0)) cur = it.next();
                const match = !cur.done && cmpKeys(row, cur.value) === 0 ? cur.value : null;
                yield [...row, match === null ? null : valueIdx.map((i) => match[i]!)];
              }
            },
          };
        };
      }
      case 'TableUnion': {
        const cmp = out.key.length > 0 ? rowComparator(out.row, keyIndices(out)) : null;
        return (f): TableValue => {
          const ts = k.map((c) => c(f) as TableValue);
          const all = function* () {
            for (const t of ts) yield* t.rows();
          };
          return rowsOf(ts[0]!, () => (cmp ? stableSort([...all()], cmp) : all()));
        };
      }
      case 'TableHead':
      case 'TableTail': {
        const [child] = k as [V];
        const n = node.n;
        const head = node.kind === 'TableHead';
        return (f): TableValue => {
          if (n < 0n) fail('InvalidArgument', `${node.kind}: negative count ${n}`, node);
          const t = child(f) as TableValue;
          return {
            get global() {
              return t.global;
            },
            *rows() {
              if (head) {
                // No rows wanted: the child's are not computed. Otherwise they all are, as a SQL
                // engine computes a table before its LIMIT (semantics.md §7).
                if (n === 0n) return;
                const all = [...t.rows()];
                yield* all.slice(0, Number(n < BigInt(all.length) ? n : BigInt(all.length)));
              } else {
                // No rows wanted: the child's are not computed (semantics.md §7).
                if (n === 0n) return;
                const buf: Row[] = [];
                for (const row of t.rows()) {
                  buf.push(row);
                  if (BigInt(buf.length) > n) buf.shift();
                }
                yield* buf;
              }
            },
          };
        };
      }
      case 'TableExplode': {
        const [child] = k as [V];
        const inT = tableTypeOf(node.child);
        const path: number[] = [];
        let st: Type = inT.row;
        for (const name of node.path) {
          const s = st as StructType;
          const i = fieldIndex(s, name);
          path.push(i);
          st = s.fields[i]!.type;
        }
        const empty = explodesMissing(node);
        const replace = (v: Row, depth: number, x: Value): Row => {
          const copy = [...v];
          copy[path[depth]!] = depth === path.length - 1 ? x : replace(v[path[depth]!] as Row, depth + 1, x);
          return copy;
        };
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return {
            get global() {
              return t.global;
            },
            *rows() {
              // A field missing by its form: no row, the child's rows not computed (semantics.md §7).
              if (empty) return;
              for (const row of t.rows()) {
                let v: Value = row;
                for (const i of path) v = v === null ? null : (v as Row)[i]!;
                if (v === null) continue;
                for (const x of v as readonly Value[]) yield replace(row, 0, x);
              }
            },
          };
        };
      }
      case 'TableDistinct': {
        const [child] = k as [V];
        const cmp = rowComparator(out.row, keyIndices(out));
        return (f): TableValue => {
          const t = child(f) as TableValue;
          return {
            get global() {
              return t.global;
            },
            *rows() {
              let prev: Row | null = null;
              for (const row of t.rows()) {
                if (prev === null || cmp(prev, row) !== 0) yield row;
                prev = row;
              }
            },
          };
        };
      }
      case 'TableRename': {
        const [child] = k as [V];
        return (f) => child(f);
      }
      case 'RelationalLetTable': {
        const [value, body] = k as [V, V];
        return (f) => body(frame(node, [value(f)], f));
      }
      default:
        throw new InternalError(`interpreter: unknown table node ${(node as IR).kind}`);
    }
  }

  function join(node: Extract<TableIR, { kind: 'TableJoin' }>, [left, right]: [V, V]): V {
    const lt = tableTypeOf(node.left);
    const rt = tableTypeOf(node.right);
    const n = node.joinKey;
    const lIdx = keyIndices(lt).slice(0, n);
    const rIdx = keyIndices(rt).slice(0, n);
    const lOther = lt.row.fields.map((_, i) => i).filter((i) => !lIdx.includes(i));
    const rOther = rt.row.fields.map((_, i) => i).filter((i) => !rIdx.includes(i));
    const cmpLR = keyComparator(lt.row, lIdx, rIdx);
    const cmpLL = keyComparator(lt.row, lIdx, lIdx);
    const cmpRR = keyComparator(rt.row, rIdx, rIdx);
    const keepLeft = node.joinType === 'left' || node.joinType === 'outer';
    const keepRight = node.joinType === 'right' || node.joinType === 'outer';
    const make = (l: Row | null, r: Row | null): Row => [
      ...(l !== null ? lIdx.map((i) => l[i]!) : rIdx.map((i) => r![i]!)),
      ...lOther.map((i) => (l === null ? null : l[i]!)),
      ...rOther.map((i) => (r === null ? null : r[i]!)),
    ];
    // The result key continues past the join key (the right key's rest): the merge is in join key
    // order, so a stable sort by the whole key puts the table in key order (semantics.md §7).
    const out = tableTypeOf(node);
    const byKey = out.key.length > n ? rowComparator(out.row, keyIndices(out)) : undefined;
    return (f): TableValue => {
      const L = left(f) as TableValue;
      const R = right(f) as TableValue;
      const global = [...(L.global as Row), ...(R.global as Row)];
      const merged = {
        *rows() {
          // Both sides are in key order: a merge over runs of equal join keys. Keys with a
          // missing field match nothing (as in SQL).
          const li = groups(L.rows(), cmpLL);
          const ri = groups(R.rows(), cmpRR);
          let a = li.next();
          let b = ri.next();
          while (!a.done || !b.done) {
            const la = a.done ? null : a.value;
            const rb = b.done ? null : b.value;
            const lMissing = la !== null && hasMissing(la[0]!, lIdx);
            const rMissing = rb !== null && hasMissing(rb[0]!, rIdx);
            // Key order field by field (a missing field sorts last in its place); keys with a
            // missing field match nothing, so such runs that compare equal go left first.
            let c = la === null ? 1 : rb === null ? -1 : cmpLR(la[0]!, rb[0]!);
            if (c === 0 && (lMissing || rMissing)) c = -1;
            if (c < 0) {
              if (keepLeft) for (const l of la!) yield make(l, null);
              a = li.next();
            } else if (c > 0) {
              if (keepRight) for (const r of rb!) yield make(null, r);
              b = ri.next();
            } else {
              for (const l of la!) for (const r of rb!) yield make(l, r);
              a = li.next();
              b = ri.next();
            }
          }
        },
      };
      return { global, rows: byKey === undefined ? () => merged.rows() : () => stableSort([...merged.rows()], byKey) };
    };
  }

  return { table };
}

/** Compares a left row's fields `li` with a right row's fields `ri`, pairwise (missing last). */
function keyComparator(t: StructType, li: readonly number[], ri: readonly number[]) {
  return (a: Row, b: Row): number => {
    for (let j = 0; j < li.length; j++) {
      const x = a[li[j]!]!;
      const y = b[ri[j]!]!;
      if (x === null || y === null) {
        if (x === y) continue;
        return x === null ? 1 : -1;
      }
      const c = compareValues(t.fields[li[j]!]!.type, x, y);
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Runs of consecutive rows that compare equal. */
function* groups(rows: Iterable<Row>, same: (a: Row, b: Row) => number): Generator<Row[]> {
  let run: Row[] = [];
  for (const row of rows) {
    if (run.length > 0 && same(run[0]!, row) !== 0) {
      yield run;
      run = [];
    }
    run.push(row);
  }
  if (run.length > 0) yield run;
}

function stableSort<T>(xs: T[], cmp: (a: T, b: T) => number): T[] {
  // Array.prototype.sort is stable (ES2019).
  return xs.sort(cmp);
}


/** A row or global is never missing: a missing struct stands for one whose fields are all missing. */
function present(v: unknown, t: StructType): Row {
  return v === null ? t.fields.map(() => null) : (v as Row);
}

function fail(errorClass: 'InvalidArgument' | 'Input', message: string, node: IR): never {
  const e = new RuntimeError(errorClass, message);
  e.span = node.span;
  throw e;
}


/** A table with `t`'s global, read only when asked for (reading it may raise), and `rows`. */
function rowsOf(t: TableValue, rows: TableValue['rows']): TableValue {
  return {
    get global() {
      return t.global;
    },
    rows,
  };
}
