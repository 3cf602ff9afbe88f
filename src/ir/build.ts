// The constructor module: one short function per node, for passes, tests and API users.

import type * as N from './nodes.js';
import type { ArrayType, TableType, Type } from './types.js';
import type { Value } from './value.js';

type V = N.ValueIR;
type T = N.TableIR;

export const i32 = (value: number): N.I32 => ({ kind: 'I32', value });
export const i64 = (value: bigint | number): N.I64 => ({ kind: 'I64', value: BigInt(value) });
export const f32 = (value: number): N.F32 => ({ kind: 'F32', value: Math.fround(value) });
export const f64 = (value: number): N.F64 => ({ kind: 'F64', value });
export const str = (value: string): N.Str => ({ kind: 'Str', value });
export const true_ = (): N.True => ({ kind: 'True' });
export const false_ = (): N.False => ({ kind: 'False' });
export const bool = (b: boolean): N.True | N.False => (b ? true_() : false_());
export const void_ = (): N.Void => ({ kind: 'Void' });
export const na = (type: Type): N.NA => ({ kind: 'NA', type });
export const literal = (type: Type, value: Value): N.Literal => ({ kind: 'Literal', type, value });
export const cast = (type: Type, value: V): N.Cast => ({ kind: 'Cast', type, value });
export const isNA = (value: V): N.IsNA => ({ kind: 'IsNA', value });
export const coalesce = (...values: V[]): N.Coalesce => ({ kind: 'Coalesce', values });
export const if_ = (cond: V, then: V, else_: V): N.If => ({ kind: 'If', cond, then, else: else_ });
export const switch_ = (x: V, default_: V, cases: V[]): N.Switch => ({ kind: 'Switch', x, default: default_, cases });
export const let_ = (bindings: [string, V][] | N.Binding[], body: V): N.Let => ({
  kind: 'Let',
  bindings: bindings.map((b) => (Array.isArray(b) ? { scope: 'eval' as const, name: b[0], value: b[1] } : b)),
  body,
});
export const aggLet = (name: string, isScan: boolean, value: V, body: V): N.AggLet => ({
  kind: 'AggLet',
  name,
  isScan,
  value,
  body,
});
export const ref = (name: string): N.Ref => ({ kind: 'Ref', name });
export const binary = (op: N.BinaryOp, l: V, r: V): N.ApplyBinaryPrimOp => ({ kind: 'ApplyBinaryPrimOp', op, l, r });
export const unary = (op: N.UnaryOp, x: V): N.ApplyUnaryPrimOp => ({ kind: 'ApplyUnaryPrimOp', op, x });
export const compare = (op: N.ComparisonOp, l: V, r: V): N.ApplyComparisonOp => ({
  kind: 'ApplyComparisonOp',
  op,
  l,
  r,
});
export const makeStruct = (fields: [string, V][]): N.MakeStruct => ({
  kind: 'MakeStruct',
  fields: fields.map(([name, value]) => ({ name, value })),
});
export const insertFields = (old: V, fields: [string, V][], fieldOrder: string[] | null = null): N.InsertFields => ({
  kind: 'InsertFields',
  old,
  fieldOrder,
  fields: fields.map(([name, value]) => ({ name, value })),
});
export const selectFields = (fields: string[], old: V): N.SelectFields => ({ kind: 'SelectFields', fields, old });
export const getField = (name: string, o: V): N.GetField => ({ kind: 'GetField', name, o });
export const makeTuple = (values: V[], indices: number[] = values.map((_, i) => i)): N.MakeTuple => ({
  kind: 'MakeTuple',
  indices,
  values,
});
export const getTupleElement = (index: number, o: V): N.GetTupleElement => ({ kind: 'GetTupleElement', index, o });
export const makeArray = (values: V[], type: ArrayType | null = null): N.MakeArray => ({ kind: 'MakeArray', type, values });
export const arrayRef = (a: V, i: V, errorId = -1): N.ArrayRef => ({ kind: 'ArrayRef', errorId, a, i });
export const arrayLen = (a: V): N.ArrayLen => ({ kind: 'ArrayLen', a });
export const arraySort = (left: string, right: string, a: V, lessThan: V): N.ArraySort => ({
  kind: 'ArraySort',
  left,
  right,
  a,
  lessThan,
});
export const toArray = (a: V): N.ToArray => ({ kind: 'ToArray', a });
export const toStream = (a: V, requiresMemoryManagement = false): N.ToStream => ({
  kind: 'ToStream',
  requiresMemoryManagement,
  a,
});
export const toSet = (a: V): N.ToSet => ({ kind: 'ToSet', a });
export const toDict = (a: V): N.ToDict => ({ kind: 'ToDict', a });
export const streamRange = (start: V, stop: V, step: V, errorId = -1): N.StreamRange => ({
  kind: 'StreamRange',
  errorId,
  requiresMemoryManagement: false,
  start,
  stop,
  step,
});
export const streamMap = (name: string, a: V, body: V): N.StreamMap => ({ kind: 'StreamMap', name, a, body });
export const streamFilter = (name: string, a: V, cond: V): N.StreamFilter => ({ kind: 'StreamFilter', name, a, cond });
export const streamFlatMap = (name: string, a: V, body: V): N.StreamFlatMap => ({ kind: 'StreamFlatMap', name, a, body });
export const streamFold = (accum: string, name: string, a: V, zero: V, body: V): N.StreamFold => ({
  kind: 'StreamFold',
  accum,
  name,
  a,
  zero,
  body,
});
export const streamScan = (accum: string, name: string, a: V, zero: V, body: V): N.StreamScan => ({
  kind: 'StreamScan',
  accum,
  name,
  a,
  zero,
  body,
});
export const streamLen = (a: V): N.StreamLen => ({ kind: 'StreamLen', a });
export const streamTake = (a: V, num: V): N.StreamTake => ({ kind: 'StreamTake', a, num });
export const streamDrop = (a: V, num: V): N.StreamDrop => ({ kind: 'StreamDrop', a, num });
export const streamZip = (
  streams: V[],
  names: string[],
  body: V,
  behavior: N.ZipBehavior = 'TakeMinLength',
  errorId = -1,
): N.StreamZip => ({ kind: 'StreamZip', errorId, behavior, names, streams, body });
export const streamAgg = (name: string, a: V, query: V): N.StreamAgg => ({ kind: 'StreamAgg', name, a, query });
export const aggOp = (op: N.AggOp, initArgs: V[], seqArgs: V[]): N.ApplyAggOp => ({
  kind: 'ApplyAggOp',
  op,
  initArgs,
  seqArgs,
});
export const scanOp = (op: N.AggOp, initArgs: V[], seqArgs: V[]): N.ApplyScanOp => ({
  kind: 'ApplyScanOp',
  op,
  initArgs,
  seqArgs,
});
export const aggFilter = (cond: V, agg: V, isScan = false): N.AggFilter => ({ kind: 'AggFilter', isScan, cond, agg });
export const aggExplode = (name: string, array: V, agg: V, isScan = false): N.AggExplode => ({
  kind: 'AggExplode',
  name,
  isScan,
  array,
  agg,
});
export const aggGroupBy = (key: V, agg: V, isScan = false): N.AggGroupBy => ({ kind: 'AggGroupBy', isScan, key, agg });
export const aggArrayPerElement = (
  elementName: string,
  indexName: string,
  a: V,
  agg: V,
  knownLength: V | null = null,
  isScan = false,
): N.AggArrayPerElement => ({ kind: 'AggArrayPerElement', elementName, indexName, isScan, a, agg, knownLength });
export const apply = (fn: string, returnType: Type, args: V[], typeArgs: Type[] = [], errorId = -1): N.Apply => ({
  kind: 'Apply',
  errorId,
  fn,
  typeArgs,
  returnType,
  args,
});
export const die = (type: Type, message: V, errorId = -1): N.Die => ({ kind: 'Die', type, errorId, message });
export const tableCount = (child: T): N.TableCount => ({ kind: 'TableCount', child });
export const tableAggregate = (child: T, query: V): N.TableAggregate => ({ kind: 'TableAggregate', child, query });
export const tableCollect = (child: T): N.TableCollect => ({ kind: 'TableCollect', child });
export const tableGetGlobals = (child: T): N.TableGetGlobals => ({ kind: 'TableGetGlobals', child });
export const tableWrite = (writer: N.TableWriter, child: T): N.TableWrite => ({ kind: 'TableWrite', writer, child });
export const relationalLet = (name: string, value: V, body: V): N.RelationalLet => ({
  kind: 'RelationalLet',
  name,
  value,
  body,
});
export const relationalRef = (name: string, type: Type): N.RelationalRef => ({ kind: 'RelationalRef', name, type });
export const collectDistributedArray = (
  staticId: string,
  contextName: string,
  globalName: string,
  contexts: V,
  globals: V,
  body: V,
  dynamicId: V,
): N.CollectDistributedArray => ({
  kind: 'CollectDistributedArray',
  staticId,
  contextName,
  globalName,
  contexts,
  globals,
  body,
  dynamicId,
});
export const grad = (name: string, body: V): N.Grad => ({ kind: 'Grad', name, body });
export const gradient = (names: string[], body: V): N.Gradient => ({ kind: 'Gradient', names, body });

export const tableRange = (n: number, nPartitions: number | null = null): N.TableRange => ({
  kind: 'TableRange',
  n,
  nPartitions,
});
export const tableRead = (reader: N.TableReader, type: TableType | null = null, dropRows = false): N.TableRead => ({
  kind: 'TableRead',
  type,
  dropRows,
  reader,
});
export const tableParallelize = (rowsAndGlobal: V, nPartitions: number | null = null): N.TableParallelize => ({
  kind: 'TableParallelize',
  nPartitions,
  rowsAndGlobal,
});
export const tableFilter = (child: T, pred: V): N.TableFilter => ({ kind: 'TableFilter', child, pred });
export const tableMapRows = (child: T, newRow: V): N.TableMapRows => ({ kind: 'TableMapRows', child, newRow });
export const tableMapGlobals = (child: T, newGlobal: V): N.TableMapGlobals => ({
  kind: 'TableMapGlobals',
  child,
  newGlobal,
});
export const tableKeyBy = (keys: string[], child: T, isSorted = false, nPartitions: number | null = null): N.TableKeyBy => ({
  kind: 'TableKeyBy',
  keys,
  isSorted,
  nPartitions,
  child,
});
export const tableOrderBy = (sortFields: N.SortField[], child: T): N.TableOrderBy => ({
  kind: 'TableOrderBy',
  sortFields,
  child,
});
export const tableAggregateByKey = (child: T, expr: V): N.TableAggregateByKey => ({
  kind: 'TableAggregateByKey',
  child,
  expr,
});
export const tableKeyByAndAggregate = (
  child: T,
  expr: V,
  newKey: V,
  bufferSize = 50,
  nPartitions: number | null = null,
): N.TableKeyByAndAggregate => ({ kind: 'TableKeyByAndAggregate', nPartitions, bufferSize, child, expr, newKey });
export const tableJoin = (joinType: N.JoinType, joinKey: number, left: T, right: T): N.TableJoin => ({
  kind: 'TableJoin',
  joinType,
  joinKey,
  left,
  right,
});
export const tableLeftJoinRightDistinct = (root: string, left: T, right: T): N.TableLeftJoinRightDistinct => ({
  kind: 'TableLeftJoinRightDistinct',
  root,
  left,
  right,
});
export const tableUnion = (children: T[]): N.TableUnion => ({ kind: 'TableUnion', children });
export const tableHead = (n: bigint | number, child: T): N.TableHead => ({ kind: 'TableHead', n: BigInt(n), child });
export const tableTail = (n: bigint | number, child: T): N.TableTail => ({ kind: 'TableTail', n: BigInt(n), child });
export const tableExplode = (path: string[], child: T): N.TableExplode => ({ kind: 'TableExplode', path, child });
export const tableDistinct = (child: T): N.TableDistinct => ({ kind: 'TableDistinct', child });
export const tableRename = (
  rowMap: [string, string][],
  globalMap: [string, string][],
  child: T,
): N.TableRename => ({ kind: 'TableRename', rowMap, globalMap, child });
export const relationalLetTable = (name: string, value: V, body: T): N.RelationalLetTable => ({
  kind: 'RelationalLetTable',
  name,
  value,
  body,
});
