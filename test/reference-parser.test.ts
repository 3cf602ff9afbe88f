// The reference parser (src/parse/ir.ohm + reference.ts): what it builds for every node form,
// its errors, and its agreement with the production reader, spans included.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../src/diagnostics/diagnostic.js';
import type { CodeName } from '../src/diagnostics/codes.js';
import * as B from '../src/ir/build.js';
import type { IR, Kind, NodeOf } from '../src/ir/nodes.js';
import { printIR } from '../src/ir/print.js';
import {
  tArray,
  TBoolean,
  tDict,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  tSet,
  tStream,
  TString,
  tStruct,
  tTuple,
  tTupleFields,
  TVoid,
} from '../src/ir/types.js';
import { parse } from '../src/parse/index.js';
import { parseReference } from '../src/parse/reference.js';
import { arbProgram } from '../src/testing/arbitraries.js';

/** A deep copy without `span` keys, to compare against IR built by constructors. */
function stripSpans(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(stripSpans);
  if (typeof x === 'object' && x !== null) {
    return Object.fromEntries(
      Object.entries(x)
        .filter(([k]) => k !== 'span')
        .map(([k, v]) => [k, stripSpans(v)]),
    );
  }
  return x;
}

function expectParses(text: string, expected: IR): void {
  expect(stripSpans(parseReference(text))).toStrictEqual(expected);
}

function rejection(text: string, parser: (text: string) => IR = parseReference): UserError {
  try {
    parser(text);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error(`accepted: ${text}`);
}

function expectRejects(text: string, code: CodeName): void {
  const e = rejection(text);
  expect(e.diagnostics).toHaveLength(1);
  expect(e.diagnostics[0]!.name).toBe(code);
}

// ---- shared pieces --------------------------------------------------------------------------

const x = B.ref('x');
const y = B.ref('y');
const s = B.ref('s');
const t = '(TableRange 3 None)';
const T = B.tableRange(3);
const t2 = '(TableRange 4 2)';
const T2 = B.tableRange(4, 2);
const q = (json: object) => JSON.stringify(JSON.stringify(json));

// ---- one or more written forms per node kind ------------------------------------------------

const forms: { readonly [K in Kind]: readonly (readonly [string, NodeOf<K>])[] } = {
  I32: [
    ['(I32 -7)', B.i32(-7)],
    ['(I32 -2147483648)', B.i32(-2147483648)],
    ['(I32 -0)', B.i32(0)],
  ],
  I64: [['(I64 -9223372036854775808)', B.i64(-9223372036854775808n)]],
  F32: [
    ['(F32 1.1)', B.f32(1.1)],
    ['(F32 nan)', B.f32(NaN)],
    ['(F32 7)', B.f32(7)],
    ['(F32 3.4028235e38)', B.f32(3.4028234663852886e38)],
  ],
  F64: [
    ['(F64 1.5)', B.f64(1.5)],
    ['(F64 -2e-3)', B.f64(-2e-3)],
    ['(F64 1e10)', B.f64(1e10)],
    ['(F64 1.5E+3)', B.f64(1500)],
    ['(F64 .5)', B.f64(0.5)],
    ['(F64 -.5)', B.f64(-0.5)],
    ['(F64 -0.0)', B.f64(-0)],
    ['(F64 3)', B.f64(3)],
    ['(F64 nan)', B.f64(NaN)],
    ['(F64 inf)', B.f64(Infinity)],
    ['(F64 neginf)', B.f64(-Infinity)],
    ['(F64 -inf)', B.f64(-Infinity)],
  ],
  Str: [
    ['(Str "a\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u0041\\\'\\`")', B.str('a"b\\c/\b\f\n\r\tA\'`')],
    ["(Str 'single \"quoted\"')", B.str('single "quoted"')],
    ['(Str "")', B.str('')],
  ],
  True: [['(True)', B.true_()]],
  False: [['(False)', B.false_()]],
  Void: [['(Void)', B.void_()]],
  NA: [['(NA +Int)', B.na(TInt32)]],
  Literal: [
    ['(Literal Array[Int32] "[1,2,null]")', B.literal(tArray(TInt32), [1, 2, null])],
    ['(Literal Set[Int32] "[3,1,3]")', B.literal(tSet(TInt32), [1, 3])],
    ['(Literal Int64 "9223372036854775807")', B.literal(TInt64, 9223372036854775807n)],
  ],
  Cast: [['(Cast Int64 (I32 1))', B.cast(TInt64, B.i32(1))]],
  IsNA: [['(IsNA (Ref x))', B.isNA(x)]],
  Coalesce: [['(Coalesce (Ref x) (Ref y))', B.coalesce(x, y)]],
  If: [['(If (True) (Ref x) (Ref y))', B.if_(B.true_(), x, y)]],
  Switch: [
    ['(Switch (Ref x) (I32 0) (I32 1) (I32 2))', B.switch_(x, B.i32(0), [B.i32(1), B.i32(2)])],
    ['(Switch (Ref x) (I32 0))', B.switch_(x, B.i32(0), [])],
  ],
  Let: [
    ['(Let eval x (I32 5) (Ref x))', B.let_([['x', B.i32(5)]], x)],
    [
      '(Block eval x agg y scan z (I32 1) (Ref x) (Ref y) (Ref z))',
      B.let_(
        [
          { scope: 'eval', name: 'x', value: B.i32(1) },
          { scope: 'agg', name: 'y', value: x },
          { scope: 'scan', name: 'z', value: y },
        ],
        B.ref('z'),
      ),
    ],
    ['(Let (Ref x))', B.let_([], x)],
    ['(Let `eval` eval (I32 1) (Ref eval))', B.let_([['eval', B.i32(1)]], B.ref('eval'))],
  ],
  AggLet: [['(AggLet x True (I32 1) (Ref x))', B.aggLet('x', true, B.i32(1), x)]],
  Ref: [
    ['(Ref `a b\\n\\``)', B.ref('a b\n`')],
    ['(Ref None)', B.ref('None')],
  ],
  ApplyBinaryPrimOp: [
    ['(ApplyBinaryPrimOp Add (Ref x) (Ref y))', B.binary('Add', x, y)],
    ['(ApplyBinaryPrimOp LogicalRightShift (Ref x) (Ref y))', B.binary('LogicalRightShift', x, y)],
  ],
  ApplyUnaryPrimOp: [['(ApplyUnaryPrimOp BitCount (Ref x))', B.unary('BitCount', x)]],
  ApplyComparisonOp: [
    ['(ApplyComparisonOp EQ (Ref x) (Ref y))', B.compare('EQ', x, y)],
    ['(ApplyComparisonOp EQWithNA (Ref x) (Ref y))', B.compare('EQWithNA', x, y)],
    ['(ApplyComparisonOp LTEQ (Ref x) (Ref y))', B.compare('LTEQ', x, y)],
  ],
  MakeStruct: [
    ['(MakeStruct (a (I32 1)) (`b c` (Ref x)))', B.makeStruct([['a', B.i32(1)], ['b c', x]])],
    ['(MakeStruct)', B.makeStruct([])],
  ],
  InsertFields: [
    ['(InsertFields (Ref s) None (f (Ref x)))', B.insertFields(s, [['f', x]])],
    ['(InsertFields (Ref s) ("a" "b") (f (Ref x)))', B.insertFields(s, [['f', x]], ['a', 'b'])],
    ['(InsertFields (Ref s) ())', B.insertFields(s, [], [])],
  ],
  SelectFields: [['(SelectFields (a `b`) (Ref s))', B.selectFields(['a', 'b'], s)]],
  GetField: [['(GetField idx (Ref s))', B.getField('idx', s)]],
  MakeTuple: [['(MakeTuple (0 2) (Ref x) (Ref y))', B.makeTuple([x, y], [0, 2])]],
  GetTupleElement: [['(GetTupleElement 2 (Ref x))', B.getTupleElement(2, x)]],
  MakeArray: [
    ['(MakeArray None (Ref x) (Ref y))', B.makeArray([x, y])],
    ['(MakeArray Array[Int32])', B.makeArray([], tArray(TInt32))],
    ['(MakeArray +Array[+Int32] (I32 1))', B.makeArray([B.i32(1)], tArray(TInt32))],
  ],
  ArrayRef: [['(ArrayRef 4 (Ref x) (I32 0))', B.arrayRef(x, B.i32(0), 4)]],
  ArrayLen: [['(ArrayLen (Ref x))', B.arrayLen(x)]],
  ArraySort: [
    [
      '(ArraySort l r (Ref s) (ApplyComparisonOp LT (Ref l) (Ref r)))',
      B.arraySort('l', 'r', s, B.compare('LT', B.ref('l'), B.ref('r'))),
    ],
  ],
  ToArray: [['(ToArray (Ref s))', B.toArray(s)]],
  ToStream: [
    ['(ToStream False (Ref x))', B.toStream(x)],
    ['(ToStream True (Ref x))', B.toStream(x, true)],
  ],
  ToSet: [['(ToSet (Ref s))', B.toSet(s)]],
  ToDict: [['(ToDict (Ref s))', B.toDict(s)]],
  StreamRange: [
    ['(StreamRange -1 False (I32 0) (I32 10) (I32 1))', B.streamRange(B.i32(0), B.i32(10), B.i32(1))],
    [
      '(StreamRange 3 True (I32 0) (I32 10) (I32 1))',
      { ...B.streamRange(B.i32(0), B.i32(10), B.i32(1), 3), requiresMemoryManagement: true },
    ],
  ],
  StreamMap: [['(StreamMap x (Ref s) (Ref x))', B.streamMap('x', s, x)]],
  StreamFilter: [['(StreamFilter x (Ref s) (True))', B.streamFilter('x', s, B.true_())]],
  StreamFlatMap: [['(StreamFlatMap x (Ref s) (Ref s))', B.streamFlatMap('x', s, s)]],
  StreamFold: [['(StreamFold acc x (Ref s) (I32 0) (Ref acc))', B.streamFold('acc', 'x', s, B.i32(0), B.ref('acc'))]],
  StreamScan: [['(StreamScan acc x (Ref s) (I32 0) (Ref x))', B.streamScan('acc', 'x', s, B.i32(0), x)]],
  StreamLen: [['(StreamLen (Ref s))', B.streamLen(s)]],
  StreamTake: [['(StreamTake (Ref s) (I32 2))', B.streamTake(s, B.i32(2))]],
  StreamDrop: [['(StreamDrop (Ref s) (I32 2))', B.streamDrop(s, B.i32(2))]],
  StreamZip: [
    [
      '(StreamZip -1 TakeMinLength (a b) (Ref s) (Ref s) (Ref a))',
      B.streamZip([s, s], ['a', 'b'], B.ref('a')),
    ],
    ['(StreamZip 7 ExtendNA () (I32 0))', B.streamZip([], [], B.i32(0), 'ExtendNA', 7)],
  ],
  StreamAgg: [
    [
      '(StreamAgg x (Ref s) (ApplyAggOp Sum () ((Ref x))))',
      B.streamAgg('x', s, B.aggOp('Sum', [], [x])),
    ],
  ],
  ApplyAggOp: [
    ['(ApplyAggOp Sum () ((Ref x)))', B.aggOp('Sum', [], [x])],
    ['(ApplyAggOp Count () ())', B.aggOp('Count', [], [])],
    ['(ApplyAggOp Take ((I32 3)) ((Ref x)))', B.aggOp('Take', [B.i32(3)], [x])],
    ['(ApplyAggOp CollectAsSet () ((Ref x)))', B.aggOp('CollectAsSet', [], [x])],
  ],
  ApplyScanOp: [['(ApplyScanOp TakeBy ((I32 2)) ((Ref x) (Ref y)))', B.scanOp('TakeBy', [B.i32(2)], [x, y])]],
  AggFilter: [['(AggFilter False (Ref x) (Ref y))', B.aggFilter(x, y)]],
  AggExplode: [['(AggExplode e True (Ref x) (Ref e))', B.aggExplode('e', x, B.ref('e'), true)]],
  AggGroupBy: [['(AggGroupBy False (Ref x) (Ref y))', B.aggGroupBy(x, y)]],
  AggArrayPerElement: [
    ['(AggArrayPerElement e i False True (Ref a) (Ref e) (I32 3))', B.aggArrayPerElement('e', 'i', B.ref('a'), B.ref('e'), B.i32(3))],
    ['(AggArrayPerElement e i True False (Ref a) (Ref e))', B.aggArrayPerElement('e', 'i', B.ref('a'), B.ref('e'), null, true)],
  ],
  Apply: [
    ['(Apply -1 exp () Float64 (F64 1.0))', B.apply('exp', TFloat64, [B.f64(1)])],
    ['(Apply 5 pow (Float64 Int32) Float64 (Ref x) (Ref y))', B.apply('pow', TFloat64, [x, y], [TFloat64, TInt32], 5)],
  ],
  Die: [['(Die Int32 -1 (Str "boom"))', B.die(TInt32, B.str('boom'))]],
  TableCount: [[`(TableCount ${t})`, B.tableCount(T)]],
  TableAggregate: [[`(TableAggregate ${t} (ApplyAggOp Count () ()))`, B.tableAggregate(T, B.aggOp('Count', [], []))]],
  TableCollect: [[`(TableCollect ${t})`, B.tableCollect(T)]],
  TableGetGlobals: [[`(TableGetGlobals ${t})`, B.tableGetGlobals(T)]],
  TableWrite: [
    [`(TableWrite ${q({ name: 'ParquetWriter', path: 'out.parquet' })} ${t})`, B.tableWrite({ name: 'ParquetWriter', path: 'out.parquet' }, T)],
    [`(TableWrite ${q({ table: 'o', name: 'DuckDBTableWriter' })} ${t})`, B.tableWrite({ name: 'DuckDBTableWriter', table: 'o' }, T)],
  ],
  RelationalLet: [['(RelationalLet r (I32 1) (RelationalRef r Int32))', B.relationalLet('r', B.i32(1), B.relationalRef('r', TInt32))]],
  RelationalRef: [['(RelationalRef __rl1 Int64)', B.relationalRef('__rl1', TInt64)]],
  CollectDistributedArray: [
    [
      '(CollectDistributedArray cda1 c g (Ref x) (Ref y) (Ref c) (Str "d"))',
      B.collectDistributedArray('cda1', 'c', 'g', x, y, B.ref('c'), B.str('d')),
    ],
  ],
  Grad: [['(Grad x (Ref x))', B.grad('x', x)]],
  Gradient: [['(Gradient (x y) (Ref x))', B.gradient(['x', 'y'], x)]],

  TableRange: [
    ['(TableRange 10 2)', B.tableRange(10, 2)],
    ['(TableRange 10 None)', B.tableRange(10)],
  ],
  TableRead: [
    [`(TableRead None False ${q({ name: 'DuckDBTableReader', table: 't' })})`, B.tableRead({ name: 'DuckDBTableReader', table: 't' })],
    [
      `(TableRead Table{global:Struct{},key:[idx],row:Struct{idx:Int32}} True ${q({ name: 'ParquetReader', paths: ['a', 'b'] })})`,
      B.tableRead({ name: 'ParquetReader', paths: ['a', 'b'] }, { global: tStruct([]), key: ['idx'], row: tStruct([['idx', TInt32]]) }, true),
    ],
    [
      `(TableRead Table{ global : +Struct{g:String}, key : None, row : Struct{ \`a b\` : Int } } False ${q({ name: 'CSVReader', paths: [] })})`,
      B.tableRead({ name: 'CSVReader', paths: [] }, { global: tStruct([['g', TString]]), key: [], row: tStruct([['a b', TInt32]]) }),
    ],
  ],
  TableParallelize: [
    ['(TableParallelize None (Ref x))', B.tableParallelize(x)],
    ['(TableParallelize 4 (Ref x))', B.tableParallelize(x, 4)],
  ],
  TableFilter: [[`(TableFilter ${t} (True))`, B.tableFilter(T, B.true_())]],
  TableMapRows: [[`(TableMapRows ${t} (Ref row))`, B.tableMapRows(T, B.ref('row'))]],
  TableMapGlobals: [[`(TableMapGlobals ${t} (MakeStruct))`, B.tableMapGlobals(T, B.makeStruct([]))]],
  TableKeyBy: [
    [`(TableKeyBy (k) False ${t})`, B.tableKeyBy(['k'], T)],
    [`(TableKeyBy (k j) True None ${t})`, B.tableKeyBy(['k', 'j'], T, true)],
    [`(TableKeyBy () False 4 ${t})`, B.tableKeyBy([], T, false, 4)],
  ],
  TableOrderBy: [
    [
      `(TableOrderBy (Aidx Dfoo \`Dbar baz\`) ${t})`,
      B.tableOrderBy(
        [
          { field: 'idx', order: 'A' },
          { field: 'foo', order: 'D' },
          { field: 'bar baz', order: 'D' },
        ],
        T,
      ),
    ],
  ],
  TableAggregateByKey: [[`(TableAggregateByKey ${t} (MakeStruct))`, B.tableAggregateByKey(T, B.makeStruct([]))]],
  TableKeyByAndAggregate: [
    [`(TableKeyByAndAggregate None 50 ${t} (Ref x) (Ref y))`, B.tableKeyByAndAggregate(T, x, y)],
    [`(TableKeyByAndAggregate 8 10 ${t} (Ref x) (Ref y))`, B.tableKeyByAndAggregate(T, x, y, 10, 8)],
  ],
  TableJoin: [
    [`(TableJoin left 1 ${t} ${t2})`, B.tableJoin('left', 1, T, T2)],
    [`(TableJoin outer 0 ${t} ${t2})`, B.tableJoin('outer', 0, T, T2)],
  ],
  TableLeftJoinRightDistinct: [[`(TableLeftJoinRightDistinct root ${t} ${t2})`, B.tableLeftJoinRightDistinct('root', T, T2)]],
  TableUnion: [[`(TableUnion ${t} ${t2} ${t})`, B.tableUnion([T, T2, T])]],
  TableHead: [[`(TableHead 9223372036854775807 ${t})`, B.tableHead(9223372036854775807n, T)]],
  TableTail: [[`(TableTail 5 ${t})`, B.tableTail(5n, T)]],
  TableExplode: [[`(TableExplode ("f" "g") ${t})`, B.tableExplode(['f', 'g'], T)]],
  TableDistinct: [[`(TableDistinct ${t})`, B.tableDistinct(T)]],
  TableRename: [
    [`(TableRename ("a") ("b") () () ${t})`, B.tableRename([['a', 'b']], [], T)],
    [`(TableRename () () ("g" "h") ("G" "H") ${t})`, B.tableRename([], [['g', 'G'], ['h', 'H']], T)],
  ],
  RelationalLetTable: [[`(RelationalLetTable r (I32 1) ${t})`, B.relationalLetTable('r', B.i32(1), T)]],
};

const formList = Object.entries(forms).flatMap(([kind, fs]) => fs.map(([text, ir]) => [kind, text, ir] as const));

const specExamples = {
  let: '(Let eval x (I32 5) (ApplyBinaryPrimOp Add (Ref x) (I32 1)))                     ; 6',
  countFilter: `(TableCount (TableFilter (TableRange 10 2)
  (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row)))
    (TableAggregate (TableRange 4 1) (ApplyAggOp Count () ())))))               ; 4`,
  aggregate: `(TableAggregate (TableRange 10 3)
  (AggLet x False (Cast Int64 (GetField idx (Ref row)))
    (MakeStruct (n (ApplyAggOp Count () ())) (s (ApplyAggOp Sum () ((Ref x)))))))  ; {n:10,s:45}`,
  hoisted: `(RelationalLet __rl1 (TableAggregate (TableRange 4 1) (ApplyAggOp Count () ()))
  (TableCount (TableFilter (TableRange 10 2)
    (ApplyComparisonOp LT (Cast Int64 (GetField idx (Ref row))) (RelationalRef __rl1 Int64)))))`,
};

/** Forms that exercise tokens and optional syntax rather than a node. */
const lexical = [
  '  ; leading comment\n(I32 1) ; trailing comment',
  '(I32\t1\r\n)',
  '(MakeTuple(0 1)(I32 1)(I32 2))',
  '(ApplyBinaryPrimOp `Add` (Ref x) (Ref y))',
  '(Let `eval` x (I32 1) (Ref x))',
  '(NA + Array [ Int ])',
  '(NA Tuple[])',
  '(NA TupleSubset[1:Int32,3:Struct{}])',
  '(Str "\\ud83d\\ude00 and a raw \u{1F600}")',
  '(F64 +1.5)',
  '(F64 -0)',
  '(I32 -0)',
  '(F32 3.4028234663852886e38)',
  '(F32 -inf)',
  '(F64 1e400)',
  '(F64 00.5)',
  '(I32 -007)',
  '(Ref ``)',
  '(Ref _)',
  "(Str '\\'')",
  '(Str "tab\there, raw\r and \u2028")',
  '(StreamZip -1TakeMinLength (a) (Ref s) (Ref a))',
  '(TableJoin inner 1(TableRange 1 None)(TableRange 2 None))',
  '(TableOrderBy (A) (TableRange 1 None))',
  '(Apply -1 `my fn` (+Int32) +Int32)',
  '(Die +Int32 -1 (Str "x"))',
  '(Literal +Set[Int32] "[2,1]")',
  '(Literal Float64 "\\"NaN\\"")',
  '(InsertFields (Ref s) None)',
  '(CollectDistributedArray `s id` c g (Ref x) (Ref y) (Ref c) (Str "d"))',
  `(TableRead None False ${q({ name: 'DuckDBTableReader', table: 'a', __proto__: null })})`,
  '(I32 1);comment without newline',
];

// ---- tests ----------------------------------------------------------------------------------

describe('reference parser: node forms', () => {
  it.each(formList)('%s: %s', (_kind, text, expected) => {
    expectParses(text, expected);
  });
});

describe('reference parser: spec examples', () => {
  const row = B.ref('row');
  const idx64 = B.cast(TInt64, B.getField('idx', row));
  const count = B.aggOp('Count', [], []);

  it('parses the Let example', () => {
    expectParses(specExamples.let, B.let_([['x', B.i32(5)]], B.binary('Add', x, B.i32(1))));
  });
  it('parses the nested-aggregate example', () => {
    expectParses(
      specExamples.countFilter,
      B.tableCount(B.tableFilter(B.tableRange(10, 2), B.compare('LT', idx64, B.tableAggregate(B.tableRange(4, 1), count)))),
    );
  });
  it('parses the AggLet example', () => {
    expectParses(
      specExamples.aggregate,
      B.tableAggregate(
        B.tableRange(10, 3),
        B.aggLet('x', false, idx64, B.makeStruct([['n', count], ['s', B.aggOp('Sum', [], [x])]])),
      ),
    );
  });
  it('parses the hoisted example', () => {
    expectParses(
      specExamples.hoisted,
      B.relationalLet(
        '__rl1',
        B.tableAggregate(B.tableRange(4, 1), count),
        B.tableCount(B.tableFilter(B.tableRange(10, 2), B.compare('LT', idx64, B.relationalRef('__rl1', TInt64)))),
      ),
    );
  });
});

describe('reference parser: types and tokens', () => {
  it('reads every type form', () => {
    const text =
      '(NA Struct{a:Int,`b c`:+Array[Set[Dict[String,Tuple[Boolean,Float32]]]],d:TupleSubset[0:Int64,2:Void],e:Stream[Float64]})';
    expectParses(
      text,
      B.na(
        tStruct([
          ['a', TInt32],
          ['b c', tArray(tSet(tDict(TString, tTuple([TBoolean, TFloat32]))))],
          ['d', tTupleFields([{ index: 0, type: TInt64 }, { index: 2, type: TVoid }])],
          ['e', tStream(TFloat64)],
        ]),
      ),
    );
  });

  it('reads Int as the shared Int32 type', () => {
    const n = parseReference('(NA Int)') as NodeOf<'NA'>;
    expect(n.type).toBe(TInt32);
  });

  it('ignores whitespace and comments between any two tokens', () => {
    expectParses('( MakeTuple ( 0 ;c\n 1 ) ( I32 1 ) ( I32 2 ) )', B.makeTuple([B.i32(1), B.i32(2)]));
    expectParses('(NA Struct { a : Int32 , b : + Int64 })', B.na(tStruct([['a', TInt32], ['b', TInt64]])));
  });

  it('reads an integer where a float is expected as Hail does', () => {
    expect(Object.is((parseReference('(F64 -0)') as NodeOf<'F64'>).value, 0)).toBe(true);
    expect(Object.is((parseReference('(F64 -0.0)') as NodeOf<'F64'>).value, -0)).toBe(true);
  });

  it('spans run from each node\u2019s ( to just after its )', () => {
    const text = '  (If (True)\n  (I32 1) (Ref `x y`)) ; done';
    const ir = parseReference(text) as NodeOf<'If'>;
    const slice = (n: IR) => text.slice(n.span!.start, n.span!.end);
    expect(ir.span).toEqual({ start: 2, end: 35 });
    expect(slice(ir.cond)).toBe('(True)');
    expect(slice(ir.then)).toBe('(I32 1)');
    expect(slice(ir.else)).toBe('(Ref `x y`)');
  });

  it('puts spans on nodes only', () => {
    const ir = parseReference('(Let eval x (Literal Struct{a:Int32} "{\\"a\\":1}") (MakeStruct (f (Ref x))))') as NodeOf<'Let'>;
    expect(Object.keys(ir)).toEqual(['kind', 'bindings', 'body', 'span']);
    expect(Object.keys(ir.bindings[0]!)).toEqual(['scope', 'name', 'value']);
    const lit = ir.bindings[0]!.value as NodeOf<'Literal'>;
    expect(Object.keys(lit.type)).toEqual(['kind', 'fields']);
    expect(Object.keys((ir.body as NodeOf<'MakeStruct'>).fields[0]!)).toEqual(['name', 'value']);
  });
});

describe('reference parser: errors', () => {
  it('reports a match failure at ohm\u2019s failure position with its expected text', () => {
    const d = rejection('(I32 x)').diagnostics[0]!;
    expect(d.name).toBe('unexpectedToken');
    expect(d.span).toEqual({ start: 5, end: 6 });
    expect(d.message).toBe('expected an integer');
  });

  it.each([
    ['(I32 2147483648)', 'numberOutOfRange'],
    ['(I32 -2147483649)', 'numberOutOfRange'],
    ['(I64 9223372036854775808)', 'numberOutOfRange'],
    ['(TableHead -9223372036854775809 (TableRange 1 None))', 'numberOutOfRange'],
    ['(MakeTuple (0 4294967296) (I32 1) (I32 2))', 'numberOutOfRange'],
    ['(F32 1e39)', 'numberOutOfRange'],
    ['(Literal Int32 "\\"a\\"")', 'badLiteral'],
    ['(Literal Array[Int32] "[1,")', 'badLiteral'],
    ['(Literal Struct{a:Int32} "{\\"b\\":1}")', 'badLiteral'],
    [`(TableRead None False ${q({ name: 'Foo' })})`, 'badReaderWriter'],
    [`(TableRead None False ${q({ name: 'DuckDBTableReader' })})`, 'badReaderWriter'],
    [`(TableRead None False ${q({ name: 'ParquetReader', paths: [1] })})`, 'badReaderWriter'],
    ['(TableRead None False "not json")', 'badReaderWriter'],
    ['(TableRead None False "[]")', 'badReaderWriter'],
    [`(TableWrite ${q({ name: 'ParquetWriter', path: 'a', x: 1 })} (TableRange 1 None))`, 'badReaderWriter'],
    ['(MakeTuple (0 1) (I32 1))', 'arityMismatch'],
    ['(Let eval x eval y (I32 1) (I32 2))', 'arityMismatch'],
    ['(Let eval x (I32 1) (I32 2) (I32 3))', 'arityMismatch'],
    ['(StreamZip -1 TakeMinLength (a b) (Ref s) (Ref b))', 'arityMismatch'],
    ['(TableRename ("a") () () () (TableRange 1 None))', 'arityMismatch'],
    ['(TableRename () () ("a") ("b" "c") (TableRange 1 None))', 'arityMismatch'],
    ['(Foo 1 (Bar))', 'unknownNode'],
    ['(TableCount (Bar))', 'unknownNode'],
    ['(I32x 1)', 'unknownNode'],
    ['(TableCount (I32 5))', 'unexpectedToken'],
    ['(IsNA (TableRange 1 None))', 'unexpectedToken'],
    ['(I32 1', 'unexpectedToken'],
    ['', 'unexpectedToken'],
    ['(I32 1) (I32 2)', 'unexpectedToken'],
    ['(ApplyBinaryPrimOp Plus (I32 1) (I32 2))', 'unexpectedToken'],
    ['(NA Int16)', 'unexpectedToken'],
    ['(Str "a\\qb")', 'unexpectedToken'],
  ] as const)('%s is rejected with %s', (text, code) => {
    expectRejects(text, code);
  });

  it('knows every node name, so a known node written wrongly is a syntax error', () => {
    for (const kind of [...Object.keys(forms), 'Block']) expectRejects(`(${kind} @)`, 'unexpectedToken');
  });

  it('reports the first error in the text', () => {
    const d = rejection('(MakeTuple (0 1) (I32 99999999999) (Foo))').diagnostics[0]!;
    expect(d.name).toBe('numberOutOfRange');
    expect(d.span).toEqual({ start: 22, end: 33 });
  });
});

// ---- agreement with the production reader ---------------------------------------------------

/** `.ir` files under a directory, recursively; none when it does not exist. */
function irFiles(dir: string): string[] {
  const root = new URL(`../${dir}/`, import.meta.url);
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ir'))
    .sort()
    .map((f) => join(dir, f));
}
const readRepoFile = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** Either both parsers accept and build the same IR (spans included), or both reject. */
function expectAgreement(text: string): void {
  const run = (p: (text: string) => IR): { ir: IR } | { error: UserError } => {
    try {
      return { ir: p(text) };
    } catch (e) {
      if (e instanceof UserError) return { error: e };
      throw e;
    }
  };
  const a = run(parse);
  const b = run(parseReference);
  if ('ir' in a && 'ir' in b) {
    expect(a.ir).toStrictEqual(b.ir);
    return;
  }
  const outcome = (r: typeof a) => ('ir' in r ? 'accepts' : `rejects: ${r.error.message}`);
  expect(outcome(a).startsWith('accepts'), `reader ${outcome(a)}; grammar ${outcome(b)}`).toBe(outcome(b).startsWith('accepts'));
}

const malformed = [
  '',
  '   ; only a comment',
  '(I32 1',
  '(I32 1))',
  '(I32 1) (I32 2)',
  '(I32 1) extra',
  '(I32 1) #',
  '(I32)',
  '(I32 x)',
  '(I32 1.5)',
  '(I32 1e3)',
  '(I32 2147483648)',
  '(I64 9223372036854775808)',
  '(F64 1.)',
  '(F64 x)',
  '(F64 +5)',
  '(F32 1e39)',
  '(Str abc)',
  '(Str "abc)',
  '(Str "a\\qb")',
  '(Str "a\\u12")',
  '(Str "a\nb")',
  '(GetField `unterminated (Ref s))',
  '(Foo)',
  '()',
  '(5)',
  '(`I32` 1)',
  '(TableCount (I32 1))',
  '(IsNA (TableRange 1 None))',
  '(TableRange 10)',
  '(ApplyBinaryPrimOp Plus (I32 1) (I32 2))',
  '(ApplyComparisonOp EQWithNAx (I32 1) (I32 2))',
  '(If True (I32 1) (I32 2))',
  '(Ref x y)',
  '(Let let x (I32 1) (Ref x))',
  '(Let eval x (I32 1))',
  '(Let eval x (I32 1) (I32 2) (I32 3))',
  '(MakeTuple (0 1) (I32 1))',
  '(StreamZip -1 TakeMinLength (a b) (Ref s) (Ref b))',
  '(StreamZip -1 Shortest (a) (Ref s) (Ref b))',
  '(TableRename ("a") () () () (TableRange 1 None))',
  '(TableOrderBy (Xidx) (TableRange 1 None))',
  '(TableKeyBy k False (TableRange 1 None))',
  '(NA Int16)',
  '(NA Array[Int32)',
  '(NA Struct{a:Int32,})',
  '(NA Tuple[Int32 Int64])',
  '(NA Dict[Int32])',
  '(MakeArray Int32 (I32 1))',
  '(InsertFields (Ref s) (a (I32 1)))',
  '(Coalesce)',
  '(AggArrayPerElement e i False True (Ref a) (Ref agg))',
  '(AggArrayPerElement e i False False (Ref a) (Ref agg) (I32 1))',
  '(Literal Int32 "1.5")',
  '(Literal Array[Int32] "[1,")',
  `(TableRead None False ${q({ name: 'DuckDBTableReader' })})`,
  `(TableRead Table{global:Struct{},row:Struct{}} False ${q({ name: 'DuckDBTableReader', table: 't' })})`,
  `(TableWrite ${q({ name: 'CSVWriter', path: 'x' })} (TableRange 1 None))`,
  '(TableHead 9223372036854775808 (TableRange 1 None))',
];

describe('agreement with the production reader', () => {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ');
  const corpus: (readonly [string, string])[] = [
    ...formList.map(([kind, text]) => [`${kind}: ${text}`, text] as const),
    ...Object.entries(specExamples).map(([name, text]) => [`spec example ${name}: ${oneLine(text)}`, text] as const),
    ...lexical.map((text) => [`lexical: ${oneLine(text)}`, text] as const),
    ...[...irFiles('test/cases'), ...irFiles('examples'), ...irFiles('test/errors')].map((f) => [f, readRepoFile(f)] as const),
  ];

  it.each(corpus)('%s', (_title, text) => {
    expectAgreement(text);
  });

  it.each(malformed)('both reject %j', (text) => {
    expect(rejection(text, parse)).toBeInstanceOf(UserError);
    expect(rejection(text, parseReference)).toBeInstanceOf(UserError);
  });

  it('agree on random programs as printed', () => {
    fc.assert(
      fc.property(arbProgram(), (p) => {
        const text = printIR(p);
        expect(parseReference(text)).toStrictEqual(parse(text));
      }),
      { numRuns: 200 },
    );
  });

  it('agree on random edits of the corpus', () => {
    const edit = fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...editAlphabet));
    fc.assert(
      fc.property(fc.constantFrom(...corpus.map(([, text]) => text)), fc.array(edit, { minLength: 1, maxLength: 3 }), (seed, edits) => {
        let text = seed;
        for (const [at, op, piece] of edits) {
          const i = at % (text.length + 1);
          const rest = op === 'insert' ? text.slice(i) : text.slice(i + 1);
          text = text.slice(0, i) + (op === 'delete' ? '' : piece) + rest;
        }
        expectAgreement(text);
      }),
      { numRuns: 500 },
    );
  });
});

const editAlphabet = [
  '(', ')', ' ', '\n', '`', '"', "'", '\\', '-', '+', '.', '0', '1', 'e', 'x', 'A', ';', '[', ']', '{', '}', ',', ':',
  'None', 'True', 'inf', '(I32 1)', '(TableRange 1 None)', 'Int32', '\u00a0', '@',
];
