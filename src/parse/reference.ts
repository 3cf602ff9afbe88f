// The reference parser: the grammar in `ir.ohm` plus semantic actions that build IR.
//
// It is the executable specification the production reader (`reader.ts`) is tested against,
// so it builds exactly what the reader builds, spans included: every node's span runs from its
// `(` to just after its `)`. It recurses (ohm does), so it is for small inputs only: tests and
// short files. It shares no code with the reader beyond the IR modules.

import { readFileSync } from 'node:fs';
import * as ohm from 'ohm-js';
import type { CodeName } from '../diagnostics/codes.js';
import { diagnostic, UserError } from '../diagnostics/diagnostic.js';
import type * as N from '../ir/nodes.js';
import type { IR, Span, TableIR, ValueIR } from '../ir/nodes.js';
import {
  primitive,
  tArray,
  tDict,
  TInt32,
  tSet,
  tStream,
  tTupleFields,
  type ArrayType,
  type PrimitiveKind,
  type StructType,
  type TableType,
  type Type,
} from '../ir/types.js';
import { decodeJson, INT64_MAX, INT64_MIN, ValueError } from '../ir/value.js';

const grammar = ohm.grammar(readFileSync(new URL('./ir.ohm', import.meta.url), 'utf8'));

type Node = ohm.Node;

function fail(name: CodeName, span: Span, message: string): never {
  throw new UserError([diagnostic(name, span, message)]);
}
const spanOf = (n: Node): Span => ({ start: n.source.startIdx, end: n.source.endIdx });

const build = (n: Node): unknown => n['build']();
const value = (n: Node) => build(n) as ValueIR;
const table = (n: Node) => build(n) as TableIR;
const type = (n: Node) => build(n) as Type;
const each = <X>(iteration: Node, f: (n: Node) => X): X[] => iteration.children.map(f);
const listItems = (list: Node): Node[] => list.asIteration().children;

// ---- tokens ---------------------------------------------------------------------------------

const escapes: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The text between the quotes of a string or backticked name, escapes resolved. */
function unquoted(n: Node): string {
  return n.sourceString
    .slice(1, -1)
    .replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) =>
      e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (escapes[e] ?? e),
    );
}
const string = unquoted;
const name = (n: Node): string => (n.sourceString.startsWith('`') ? unquoted(n) : n.sourceString);
/** An enumeration word (operator, scope, ...), possibly backticked. */
const word = (n: Node): string => n.sourceString.replace(/^`|`$/g, '');
const bool = (n: Node): boolean => n.sourceString === 'True';

function int32(n: Node): number {
  const v = BigInt(n.sourceString);
  if (v < -(2n ** 31n) || v >= 2n ** 31n) fail('numberOutOfRange', spanOf(n), `${n.sourceString} is out of range for Int32`);
  return Number(v);
}
function int64(n: Node): bigint {
  const v = BigInt(n.sourceString);
  if (v < INT64_MIN || v > INT64_MAX) fail('numberOutOfRange', spanOf(n), `${n.sourceString} is out of range for Int64`);
  return v;
}
function float64(n: Node): number {
  const s = n.sourceString;
  if (s === 'nan') return NaN;
  if (s === 'inf') return Infinity;
  if (s === 'neginf' || s === '-inf') return -Infinity;
  // An integer becomes a float as in Hail (a Long, then a Double), so `-0` reads as 0.0.
  return /^-?\d+$/.test(s) ? Number(s) + 0 : Number(s);
}
/** Out of range means rounding to an infinity: 3.4028235e38 is the largest float32, written short. */
function float32(n: Node): number {
  const x = float64(n);
  const f = Math.fround(x);
  if (Number.isFinite(x) && !Number.isFinite(f)) fail('numberOutOfRange', spanOf(n), `${n.sourceString} is out of range for Float32`);
  return f;
}

// ---- readers and writers [ext] ---------------------------------------------------------------

type FieldKind = 'string' | 'strings';

/** The JSON object in string token `s`. */
function jsonObject(s: Node, what: string): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(string(s));
  } catch (e) {
    return fail('badReaderWriter', spanOf(s), `the ${what} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return fail('badReaderWriter', spanOf(s), `the ${what} must be a JSON object`);
  return o as Record<string, unknown>;
}

/** True when `o` has `name` and exactly `fields` besides, each of the given kind. */
function hasExactly(o: Record<string, unknown>, fields: Record<string, FieldKind>): boolean {
  const keys = Object.keys(o);
  return (
    keys.length === Object.keys(fields).length + 1 &&
    keys.every((k) => {
      const v = o[k];
      switch (k === 'name' ? 'name' : fields[k]) {
        case 'name':
          return true;
        case 'string':
          return typeof v === 'string';
        case 'strings':
          return Array.isArray(v) && v.every((x) => typeof x === 'string');
        default:
          return false;
      }
    })
  );
}

function tableReader(s: Node): N.TableReader {
  const o = jsonObject(s, 'reader');
  if (o.name === 'DuckDBTableReader' && hasExactly(o, { table: 'string' })) {
    return { name: o.name, table: o.table as string };
  }
  if ((o.name === 'ParquetReader' || o.name === 'CSVReader') && hasExactly(o, { paths: 'strings' })) {
    return { name: o.name, paths: o.paths as string[] };
  }
  return fail(
    'badReaderWriter',
    spanOf(s),
    'a reader is {"name":"DuckDBTableReader","table":...}, {"name":"ParquetReader","paths":[...]} or {"name":"CSVReader","paths":[...]}',
  );
}

function tableWriter(s: Node): N.TableWriter {
  const o = jsonObject(s, 'writer');
  if (o.name === 'ParquetWriter' && hasExactly(o, { path: 'string' })) return { name: o.name, path: o.path as string };
  if (o.name === 'DuckDBTableWriter' && hasExactly(o, { table: 'string' })) return { name: o.name, table: o.table as string };
  return fail('badReaderWriter', spanOf(s), 'a writer is {"name":"ParquetWriter","path":...} or {"name":"DuckDBTableWriter","table":...}');
}

// ---- semantic actions -----------------------------------------------------------------------
// One action per rule; object literals list fields in the order of `nodes.ts`, and evaluate
// children in source order, so the first error in the text is the one reported.

function withSpan(this: Node, _open: Node, node: Node, _close: Node): IR {
  return { ...(build(node) as IR), span: spanOf(this) };
}

const field = (f: Node): N.NamedValue => ({ name: name(f.child(1)), value: value(f.child(2)) });

const actions: ohm.ActionDict<unknown> = {
  Value: withSpan,
  Table: withSpan,
  UnknownNode: (n, _rest) => fail('unknownNode', spanOf(n), `unknown node '${n.sourceString}'`),

  // values
  I32: (_k, n): N.I32 => ({ kind: 'I32', value: int32(n) }),
  I64: (_k, n): N.I64 => ({ kind: 'I64', value: int64(n) }),
  F32: (_k, x): N.F32 => ({ kind: 'F32', value: float32(x) }),
  F64: (_k, x): N.F64 => ({ kind: 'F64', value: float64(x) }),
  Str: (_k, s): N.Str => ({ kind: 'Str', value: string(s) }),
  True: (_k): N.True => ({ kind: 'True' }),
  False: (_k): N.False => ({ kind: 'False' }),
  Void: (_k): N.Void => ({ kind: 'Void' }),
  NA: (_k, t): N.NA => ({ kind: 'NA', type: type(t) }),
  Literal: (_k, t, s): N.Literal => {
    const ty = type(t);
    try {
      return { kind: 'Literal', type: ty, value: decodeJson(ty, string(s)) };
    } catch (e) {
      if (e instanceof ValueError) fail('badLiteral', spanOf(s), `Literal does not match its type: ${e.message}`);
      throw e;
    }
  },
  Cast: (_k, t, x): N.Cast => ({ kind: 'Cast', type: type(t), value: value(x) }),
  IsNA: (_k, x): N.IsNA => ({ kind: 'IsNA', value: value(x) }),
  Coalesce: (_k, xs): N.Coalesce => ({ kind: 'Coalesce', values: each(xs, value) }),
  If: (_k, c, a, b): N.If => ({ kind: 'If', cond: value(c), then: value(a), else: value(b) }),
  Switch: (_k, x, d, cs): N.Switch => ({ kind: 'Switch', x: value(x), default: value(d), cases: each(cs, value) }),
  Let(_k, binders, xs): N.Let {
    const heads = each(binders, (b) => ({ scope: word(b.child(0)) as N.Scope, name: name(b.child(1)) }));
    const vs = xs.children;
    if (vs.length !== heads.length + 1) {
      fail('arityMismatch', spanOf(this), `Let binds ${heads.length} names but has ${vs.length - 1} values`);
    }
    const bindings = heads.map((h, i): N.Binding => ({ scope: h.scope, name: h.name, value: value(vs[i]!) }));
    return { kind: 'Let', bindings, body: value(vs[vs.length - 1]!) };
  },
  AggLet: (_k, n, scan, v, b): N.AggLet => ({ kind: 'AggLet', name: name(n), isScan: bool(scan), value: value(v), body: value(b) }),
  Ref: (_k, n): N.Ref => ({ kind: 'Ref', name: name(n) }),
  ApplyBinaryPrimOp: (_k, op, l, r): N.ApplyBinaryPrimOp => ({
    kind: 'ApplyBinaryPrimOp',
    op: word(op) as N.BinaryOp,
    l: value(l),
    r: value(r),
  }),
  ApplyUnaryPrimOp: (_k, op, x): N.ApplyUnaryPrimOp => ({ kind: 'ApplyUnaryPrimOp', op: word(op) as N.UnaryOp, x: value(x) }),
  ApplyComparisonOp: (_k, op, l, r): N.ApplyComparisonOp => ({
    kind: 'ApplyComparisonOp',
    op: word(op) as N.ComparisonOp,
    l: value(l),
    r: value(r),
  }),
  MakeStruct: (_k, fs): N.MakeStruct => ({ kind: 'MakeStruct', fields: each(fs, field) }),
  InsertFields: (_k, old, order, fs): N.InsertFields => ({
    kind: 'InsertFields',
    old: value(old),
    fieldOrder: build(order) as string[] | null,
    fields: each(fs, field),
  }),
  FieldOrder_none: (_k) => null,
  SelectFields: (_k, fs, old): N.SelectFields => ({ kind: 'SelectFields', fields: build(fs) as string[], old: value(old) }),
  GetField: (_k, n, o): N.GetField => ({ kind: 'GetField', name: name(n), o: value(o) }),
  MakeTuple(_k, is, xs): N.MakeTuple {
    const indices = build(is) as number[];
    if (indices.length !== xs.numChildren) {
      fail('arityMismatch', spanOf(this), `MakeTuple has ${indices.length} indices but ${xs.numChildren} values`);
    }
    return { kind: 'MakeTuple', indices, values: each(xs, value) };
  },
  GetTupleElement: (_k, i, o): N.GetTupleElement => ({ kind: 'GetTupleElement', index: int32(i), o: value(o) }),
  MakeArray: (_k, t, xs): N.MakeArray => ({ kind: 'MakeArray', type: build(t) as ArrayType | null, values: each(xs, value) }),
  OptionalArrayType_none: (_k) => null,
  OptionalArrayType_some: (_plus, t) => type(t),
  ArrayRef: (_k, id, a, i): N.ArrayRef => ({ kind: 'ArrayRef', errorId: int32(id), a: value(a), i: value(i) }),
  ArrayLen: (_k, a): N.ArrayLen => ({ kind: 'ArrayLen', a: value(a) }),
  ArraySort: (_k, l, r, a, lt): N.ArraySort => ({
    kind: 'ArraySort',
    left: name(l),
    right: name(r),
    a: value(a),
    lessThan: value(lt),
  }),
  ToArray: (_k, a): N.ToArray => ({ kind: 'ToArray', a: value(a) }),
  ToStream: (_k, m, a): N.ToStream => ({ kind: 'ToStream', requiresMemoryManagement: bool(m), a: value(a) }),
  ToSet: (_k, a): N.ToSet => ({ kind: 'ToSet', a: value(a) }),
  ToDict: (_k, a): N.ToDict => ({ kind: 'ToDict', a: value(a) }),
  StreamRange: (_k, id, m, start, stop, step): N.StreamRange => ({
    kind: 'StreamRange',
    errorId: int32(id),
    requiresMemoryManagement: bool(m),
    start: value(start),
    stop: value(stop),
    step: value(step),
  }),
  StreamMap: (_k, n, a, b): N.StreamMap => ({ kind: 'StreamMap', name: name(n), a: value(a), body: value(b) }),
  StreamFilter: (_k, n, a, c): N.StreamFilter => ({ kind: 'StreamFilter', name: name(n), a: value(a), cond: value(c) }),
  StreamFlatMap: (_k, n, a, b): N.StreamFlatMap => ({ kind: 'StreamFlatMap', name: name(n), a: value(a), body: value(b) }),
  StreamFold: (_k, acc, n, a, z, b): N.StreamFold => ({
    kind: 'StreamFold',
    accum: name(acc),
    name: name(n),
    a: value(a),
    zero: value(z),
    body: value(b),
  }),
  StreamScan: (_k, acc, n, a, z, b): N.StreamScan => ({
    kind: 'StreamScan',
    accum: name(acc),
    name: name(n),
    a: value(a),
    zero: value(z),
    body: value(b),
  }),
  StreamLen: (_k, a): N.StreamLen => ({ kind: 'StreamLen', a: value(a) }),
  StreamTake: (_k, a, n): N.StreamTake => ({ kind: 'StreamTake', a: value(a), num: value(n) }),
  StreamDrop: (_k, a, n): N.StreamDrop => ({ kind: 'StreamDrop', a: value(a), num: value(n) }),
  StreamZip(_k, id, behavior, ns, xs): N.StreamZip {
    const errorId = int32(id);
    const names = build(ns) as string[];
    const vs = xs.children;
    if (names.length !== vs.length - 1) {
      fail('arityMismatch', spanOf(this), `StreamZip names ${names.length} elements but zips ${vs.length - 1} streams`);
    }
    return {
      kind: 'StreamZip',
      errorId,
      behavior: word(behavior) as N.ZipBehavior,
      names,
      streams: vs.slice(0, -1).map(value),
      body: value(vs[vs.length - 1]!),
    };
  },
  StreamAgg: (_k, n, a, q): N.StreamAgg => ({ kind: 'StreamAgg', name: name(n), a: value(a), query: value(q) }),
  ApplyAggOp: (_k, op, init, seq): N.ApplyAggOp => ({
    kind: 'ApplyAggOp',
    op: word(op) as N.AggOp,
    initArgs: build(init) as ValueIR[],
    seqArgs: build(seq) as ValueIR[],
  }),
  ApplyScanOp: (_k, op, init, seq): N.ApplyScanOp => ({
    kind: 'ApplyScanOp',
    op: word(op) as N.AggOp,
    initArgs: build(init) as ValueIR[],
    seqArgs: build(seq) as ValueIR[],
  }),
  AggFilter: (_k, scan, c, agg): N.AggFilter => ({ kind: 'AggFilter', isScan: bool(scan), cond: value(c), agg: value(agg) }),
  AggExplode: (_k, n, scan, a, agg): N.AggExplode => ({
    kind: 'AggExplode',
    name: name(n),
    isScan: bool(scan),
    array: value(a),
    agg: value(agg),
  }),
  AggGroupBy: (_k, scan, key, agg): N.AggGroupBy => ({ kind: 'AggGroupBy', isScan: bool(scan), key: value(key), agg: value(agg) }),
  AggArrayPerElement_knownLength: (_k, e, i, scan, _known, a, agg, len): N.AggArrayPerElement => ({
    kind: 'AggArrayPerElement',
    elementName: name(e),
    indexName: name(i),
    isScan: bool(scan),
    a: value(a),
    agg: value(agg),
    knownLength: value(len),
  }),
  AggArrayPerElement_plain: (_k, e, i, scan, _known, a, agg): N.AggArrayPerElement => ({
    kind: 'AggArrayPerElement',
    elementName: name(e),
    indexName: name(i),
    isScan: bool(scan),
    a: value(a),
    agg: value(agg),
    knownLength: null,
  }),
  Apply: (_k, id, fn, targs, rt, args): N.Apply => ({
    kind: 'Apply',
    errorId: int32(id),
    fn: name(fn),
    typeArgs: build(targs) as Type[],
    returnType: type(rt),
    args: each(args, value),
  }),
  Die: (_k, t, id, msg): N.Die => ({ kind: 'Die', type: type(t), errorId: int32(id), message: value(msg) }),
  TableCount: (_k, t): N.TableCount => ({ kind: 'TableCount', child: table(t) }),
  TableAggregate: (_k, t, q): N.TableAggregate => ({ kind: 'TableAggregate', child: table(t), query: value(q) }),
  TableCollect: (_k, t): N.TableCollect => ({ kind: 'TableCollect', child: table(t) }),
  TableGetGlobals: (_k, t): N.TableGetGlobals => ({ kind: 'TableGetGlobals', child: table(t) }),
  TableWrite: (_k, w, t): N.TableWrite => ({ kind: 'TableWrite', writer: tableWriter(w), child: table(t) }),
  RelationalLet: (_k, n, v, b): N.RelationalLet => ({ kind: 'RelationalLet', name: name(n), value: value(v), body: value(b) }),
  RelationalRef: (_k, n, t): N.RelationalRef => ({ kind: 'RelationalRef', name: name(n), type: type(t) }),
  CollectDistributedArray: (_k, sid, cn, gn, ctxs, globals, body, dyn): N.CollectDistributedArray => ({
    kind: 'CollectDistributedArray',
    staticId: name(sid),
    contextName: name(cn),
    globalName: name(gn),
    contexts: value(ctxs),
    globals: value(globals),
    body: value(body),
    dynamicId: value(dyn),
  }),
  Grad: (_k, n, b): N.Grad => ({ kind: 'Grad', name: name(n), body: value(b) }),
  Gradient: (_k, ns, b): N.Gradient => ({ kind: 'Gradient', names: build(ns) as string[], body: value(b) }),

  // tables
  TableRange: (_k, n, parts): N.TableRange => ({ kind: 'TableRange', n: int32(n), nPartitions: build(parts) as number | null }),
  TableRead: (_k, t, drop, r): N.TableRead => ({
    kind: 'TableRead',
    type: build(t) as TableType | null,
    dropRows: bool(drop),
    reader: tableReader(r),
  }),
  OptionalTableType_none: (_k) => null,
  TableParallelize: (_k, parts, rg): N.TableParallelize => ({
    kind: 'TableParallelize',
    nPartitions: build(parts) as number | null,
    rowsAndGlobal: value(rg),
  }),
  TableFilter: (_k, t, p): N.TableFilter => ({ kind: 'TableFilter', child: table(t), pred: value(p) }),
  TableMapRows: (_k, t, r): N.TableMapRows => ({ kind: 'TableMapRows', child: table(t), newRow: value(r) }),
  TableMapGlobals: (_k, t, g): N.TableMapGlobals => ({ kind: 'TableMapGlobals', child: table(t), newGlobal: value(g) }),
  TableKeyBy: (_k, keys, sorted, parts, t): N.TableKeyBy => ({
    kind: 'TableKeyBy',
    keys: build(keys) as string[],
    isSorted: bool(sorted),
    nPartitions: parts.numChildren === 0 ? null : (build(parts.child(0)) as number | null),
    child: table(t),
  }),
  TableOrderBy: (_k, _open, fields, _close, t): N.TableOrderBy => ({
    kind: 'TableOrderBy',
    sortFields: each(fields, (f): N.SortField => {
      const s = name(f);
      return { field: s.slice(1), order: s[0] as 'A' | 'D' };
    }),
    child: table(t),
  }),
  TableAggregateByKey: (_k, t, e): N.TableAggregateByKey => ({ kind: 'TableAggregateByKey', child: table(t), expr: value(e) }),
  TableKeyByAndAggregate: (_k, parts, buffer, t, e, key): N.TableKeyByAndAggregate => ({
    kind: 'TableKeyByAndAggregate',
    nPartitions: build(parts) as number | null,
    bufferSize: int32(buffer),
    child: table(t),
    expr: value(e),
    newKey: value(key),
  }),
  TableJoin: (_k, jt, key, l, r): N.TableJoin => ({
    kind: 'TableJoin',
    joinType: word(jt) as N.JoinType,
    joinKey: int32(key),
    left: table(l),
    right: table(r),
  }),
  TableLeftJoinRightDistinct: (_k, root, l, r): N.TableLeftJoinRightDistinct => ({
    kind: 'TableLeftJoinRightDistinct',
    root: name(root),
    left: table(l),
    right: table(r),
  }),
  TableUnion: (_k, ts): N.TableUnion => ({ kind: 'TableUnion', children: each(ts, table) }),
  TableHead: (_k, n, t): N.TableHead => ({ kind: 'TableHead', n: int64(n), child: table(t) }),
  TableTail: (_k, n, t): N.TableTail => ({ kind: 'TableTail', n: int64(n), child: table(t) }),
  TableExplode: (_k, path, t): N.TableExplode => ({ kind: 'TableExplode', path: build(path) as string[], child: table(t) }),
  TableRename(_k, rk, rv, gk, gv, t): N.TableRename {
    const [rowOld, rowNew, globalOld, globalNew] = [rk, rv, gk, gv].map((l) => build(l) as string[]) as [
      string[],
      string[],
      string[],
      string[],
    ];
    if (rowOld.length !== rowNew.length || globalOld.length !== globalNew.length) {
      fail('arityMismatch', spanOf(this), 'TableRename needs as many new names as old names');
    }
    return {
      kind: 'TableRename',
      rowMap: rowOld.map((k, i) => [k, rowNew[i]!] as const),
      globalMap: globalOld.map((k, i) => [k, globalNew[i]!] as const),
      child: table(t),
    };
  },
  TableDistinct: (_k, t): N.TableDistinct => ({ kind: 'TableDistinct', child: table(t) }),
  RelationalLetTable: (_k, n, v, b): N.RelationalLetTable => ({
    kind: 'RelationalLetTable',
    name: name(n),
    value: value(v),
    body: table(b),
  }),

  // header attributes
  Values: (_o, xs, _c) => each(xs, value),
  Names: (_o, xs, _c) => each(xs, name),
  Strings: (_o, xs, _c) => each(xs, string),
  Ints: (_o, xs, _c) => each(xs, int32),
  Types: (_o, xs, _c) => each(xs, type),
  OptionalInt_none: (_k) => null,
  OptionalInt_some: (n) => int32(n),

  // types
  Type: (_plus, t) => build(t),
  PrimitiveType: (k) => (k.sourceString === 'Int' ? TInt32 : primitive(k.sourceString as PrimitiveKind)),
  ArrayType: (_k, _o, t, _c) => tArray(type(t)),
  StreamType: (_k, _o, t, _c) => tStream(type(t)),
  SetType: (_k, _o, t, _c) => tSet(type(t)),
  DictType: (_k, _o, k, _comma, v, _c) => tDict(type(k), type(v)),
  TupleType: (_k, _o, ts, _c) => tTupleFields(listItems(ts).map((t, index) => ({ index, type: type(t) }))),
  TupleSubsetType: (_k, _o, fs, _c) =>
    tTupleFields(listItems(fs).map((f) => ({ index: int32(f.child(0)), type: type(f.child(2)) }))),
  StructType: (_k, _o, fs, _c): StructType => ({
    kind: 'Struct',
    fields: listItems(fs).map((f) => ({ name: name(f.child(0)), type: type(f.child(2)) })),
  }),
  TableType: (_k, _o, _g, _c1, _p1, global, _s1, _kk, _c2, key, _s2, _r, _c3, _p2, row, _close): TableType => ({
    global: build(global) as StructType,
    key: build(key) as string[],
    row: build(row) as StructType,
  }),
  TableKey_none: (_k) => [],
  TableKey_some: (_o, ks, _c) => listItems(ks).map(name),
};

const semantics = grammar.createSemantics().addOperation<unknown>('build', actions);

/**
 * Parses one program (a value or table node) with the grammar. Throws `UserError` with one
 * diagnostic: `unexpectedToken` at ohm's failure position when the text does not match,
 * otherwise the first semantic error in source order.
 */
export function parseReference(text: string): IR {
  const match = grammar.match(text);
  if (match.failed()) {
    const at = match.getRightmostFailurePosition();
    fail('unexpectedToken', { start: at, end: Math.min(at + 1, text.length) }, `expected ${match.getExpectedText()}`);
  }
  return semantics(match)['build']() as IR;
}
