import { describe, expect, test } from 'vitest';
import * as b from '../src/ir/build.js';
import { allKinds } from '../src/ir/children.js';
import type { IR, Kind, TableIR, ValueIR } from '../src/ir/nodes.js';
import {
  TBoolean,
  TFloat32,
  TFloat64,
  TInt32,
  TInt64,
  TString,
  tArray,
  tDict,
  tSet,
  tStruct,
  tTuple,
  type TableType,
  type Type,
} from '../src/ir/types.js';
import { forEachNode, countNodes } from '../src/ir/walk.js';
import { InternalError, UserError } from '../src/diagnostics/diagnostic.js';
import type { CodeName } from '../src/diagnostics/codes.js';
import { fnNames, functions } from '../src/ir/functions.js';
import { formatType, isTableType, typeOf, typecheck, type TypecheckOptions } from '../src/passes/typecheck.js';

// ---- helpers ----------------------------------------------------------------------------------

const ref = b.ref;
const idx = () => b.getField('idx', ref('row'));
const idx64 = () => b.cast(TInt64, idx());
const add = (l: ValueIR, r: ValueIR) => b.binary('Add', l, r);
const range = (n = 10) => b.tableRange(n, 2);

/** The printed type of a well-typed program (fails the test on any diagnostic). */
function typeText(ir: IR, options?: TypecheckOptions): string {
  return formatType(typeOf(ir, options));
}

/** The names of the diagnostics for a program, in order. */
function errors(ir: IR, options?: TypecheckOptions): CodeName[] {
  return typecheck(ir, options).diagnostics.map((d) => d.name);
}

function onlyDiagnostic(ir: IR, options?: TypecheckOptions) {
  const ds = typecheck(ir, options).diagnostics;
  expect(ds).toHaveLength(1);
  return ds[0]!;
}

// A read table: key [k], row {k:Int32, v:Float64, xs:Array[Int32], s:Struct{t:Set[String]}}, global {g:Int32}.
const readType: TableType = {
  global: tStruct([['g', TInt32]]),
  key: ['k'],
  row: tStruct([
    ['k', TInt32],
    ['v', TFloat64],
    ['xs', tArray(TInt32)],
    ['s', tStruct([['t', tSet(TString)]])],
  ]),
};
const read = (type: TableType = readType) => b.tableRead({ name: 'DuckDBTableReader', table: 't' }, type);
// A second table keyed by an Int32 `j`, for joins.
const otherType: TableType = {
  global: tStruct([['h', TString]]),
  key: ['j'],
  row: tStruct([
    ['j', TInt32],
    ['w', TString],
  ]),
};
const other = () => read(otherType);

const rangeText = 'Table{global:Struct{},key:[idx],row:Struct{idx:Int32}}';

// ---- passing cases: one or more per node kind ---------------------------------------------------

const aggOver = (query: ValueIR) => b.tableAggregate(range(), query);

const valueCases: [string, IR, string][] = [
  ['I32', b.i32(1), 'Int32'],
  ['I64', b.i64(1), 'Int64'],
  ['F32', b.f32(1), 'Float32'],
  ['F64', b.f64(1), 'Float64'],
  ['Str', b.str('a'), 'String'],
  ['True', b.true_(), 'Boolean'],
  ['False', b.false_(), 'Boolean'],
  ['Void', b.void_(), 'Void'],
  ['NA', b.na(tArray(TInt32)), 'Array[Int32]'],
  ['Literal', b.literal(tStruct([['a', TInt32]]), [1]), 'Struct{a:Int32}'],
  ['Cast numeric', b.cast(TFloat64, b.i32(1)), 'Float64'],
  ['Cast identity', b.cast(TString, b.str('a')), 'String'],
  ['IsNA', b.isNA(b.na(TString)), 'Boolean'],
  ['Coalesce', b.coalesce(b.na(TInt32), b.i32(1)), 'Int32'],
  ['If', b.if_(b.true_(), b.i32(1), b.i32(2)), 'Int32'],
  ['Switch', b.switch_(b.i32(0), b.str('d'), [b.str('a'), b.str('b')]), 'String'],
  ['Let sequential', b.let_([['x', b.i64(1)], ['y', add(ref('x'), ref('x'))]], ref('y')), 'Int64'],
  ['Add', add(b.i32(1), b.i32(2)), 'Int32'],
  ['Subtract', b.binary('Subtract', b.f32(1), b.f32(2)), 'Float32'],
  ['Multiply', b.binary('Multiply', b.i64(1), b.i64(2)), 'Int64'],
  ['RoundToNegInfDivide', b.binary('RoundToNegInfDivide', b.i32(7), b.i32(2)), 'Int32'],
  ['FloatingPointDivide Int32', b.binary('FloatingPointDivide', b.i32(1), b.i32(2)), 'Float64'],
  ['FloatingPointDivide Int64', b.binary('FloatingPointDivide', b.i64(1), b.i64(2)), 'Float64'],
  ['FloatingPointDivide Float32', b.binary('FloatingPointDivide', b.f32(1), b.f32(2)), 'Float32'],
  ['BitAnd', b.binary('BitAnd', b.i64(1), b.i64(2)), 'Int64'],
  ['BitXOr', b.binary('BitXOr', b.i32(1), b.i32(2)), 'Int32'],
  ['LeftShift', b.binary('LeftShift', b.i64(1), b.i32(2)), 'Int64'],
  ['LogicalRightShift', b.binary('LogicalRightShift', b.i32(1), b.i32(2)), 'Int32'],
  ['Negate', b.unary('Negate', b.f64(1)), 'Float64'],
  ['Bang', b.unary('Bang', b.true_()), 'Boolean'],
  ['BitNot', b.unary('BitNot', b.i64(1)), 'Int64'],
  ['BitCount', b.unary('BitCount', b.i64(1)), 'Int32'],
  ['LT', b.compare('LT', b.str('a'), b.str('b')), 'Boolean'],
  ['EQWithNA', b.compare('EQWithNA', b.na(TInt32), b.i32(1)), 'Boolean'],
  ['Compare', b.compare('Compare', b.f64(1), b.f64(2)), 'Int32'],
  ['MakeStruct', b.makeStruct([['a', b.i32(1)], ['b', b.str('x')]]), 'Struct{a:Int32,b:String}'],
  [
    'InsertFields replaces in place and appends',
    b.insertFields(b.makeStruct([['a', b.i32(1)], ['b', b.str('x')]]), [['a', b.f64(1)], ['c', b.true_()]]),
    'Struct{a:Float64,b:String,c:Boolean}',
  ],
  [
    'InsertFields with an order',
    b.insertFields(b.makeStruct([['a', b.i32(1)], ['b', b.str('x')]]), [['c', b.true_()]], ['c', 'b', 'a']),
    'Struct{c:Boolean,b:String,a:Int32}',
  ],
  [
    'SelectFields keeps the selection order',
    b.selectFields(['b', 'a'], b.makeStruct([['a', b.i32(1)], ['b', b.str('x')], ['c', b.true_()]])),
    'Struct{b:String,a:Int32}',
  ],
  ['GetField', b.getField('b', b.makeStruct([['a', b.i32(1)], ['b', b.str('x')]])), 'String'],
  ['MakeTuple', b.makeTuple([b.i32(1), b.str('x')]), 'Tuple[Int32,String]'],
  ['MakeTuple sparse', b.makeTuple([b.i32(1), b.str('x')], [0, 2]), 'TupleSubset[0:Int32,2:String]'],
  ['GetTupleElement', b.getTupleElement(2, b.makeTuple([b.i32(1), b.str('x')], [0, 2])), 'String'],
  ['MakeArray', b.makeArray([b.i32(1), b.i32(2)]), 'Array[Int32]'],
  ['MakeArray typed empty', b.makeArray([], tArray(TString)), 'Array[String]'],
  ['ArrayRef', b.arrayRef(b.makeArray([b.i32(1)]), b.i32(0)), 'Int32'],
  ['ArrayLen', b.arrayLen(b.makeArray([b.i32(1)])), 'Int32'],
  [
    'ArraySort',
    b.arraySort('l', 'r', b.toStream(b.makeArray([b.str('b'), b.str('a')])), b.compare('LT', ref('l'), ref('r'))),
    'Array[String]',
  ],
  ['ToArray', b.toArray(b.streamRange(b.i32(0), b.i32(3), b.i32(1))), 'Array[Int32]'],
  ['ToStream of an array', b.toStream(b.makeArray([b.f64(1)])), 'Stream[Float64]'],
  ['ToStream of a set', b.toStream(b.na(tSet(TString))), 'Stream[String]'],
  ['ToStream of a dict', b.toStream(b.na(tDict(TString, TInt64))), 'Stream[Struct{key:String,value:Int64}]'],
  ['ToSet', b.toSet(b.streamRange(b.i32(0), b.i32(3), b.i32(1))), 'Set[Int32]'],
  [
    'ToDict of structs',
    b.toDict(b.streamMap('x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.makeStruct([['k', ref('x')], ['v', b.str('s')]]))),
    'Dict[Int32,String]',
  ],
  ['ToDict of tuples', b.toDict(b.toStream(b.na(tArray(tTuple([TString, TFloat64]))))), 'Dict[String,Float64]'],
  ['StreamRange', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), 'Stream[Int32]'],
  ['StreamMap', b.streamMap('x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.cast(TInt64, ref('x'))), 'Stream[Int64]'],
  [
    'StreamFilter',
    b.streamFilter('x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.compare('GT', ref('x'), b.i32(0))),
    'Stream[Int32]',
  ],
  [
    'StreamFlatMap',
    b.streamFlatMap('x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.streamRange(b.i32(0), ref('x'), b.i32(1))),
    'Stream[Int32]',
  ],
  [
    'StreamFold',
    b.streamFold('acc', 'x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.i64(0), add(ref('acc'), b.cast(TInt64, ref('x')))),
    'Int64',
  ],
  [
    'StreamScan',
    b.streamScan('acc', 'x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.f64(0), add(ref('acc'), b.cast(TFloat64, ref('x')))),
    'Stream[Float64]',
  ],
  ['StreamLen', b.streamLen(b.streamRange(b.i32(0), b.i32(3), b.i32(1))), 'Int32'],
  ['StreamTake', b.streamTake(b.toStream(b.makeArray([b.str('a')])), b.i32(1)), 'Stream[String]'],
  ['StreamDrop', b.streamDrop(b.toStream(b.makeArray([b.str('a')])), b.i32(1)), 'Stream[String]'],
  [
    'StreamZip',
    b.streamZip(
      [b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.toStream(b.makeArray([b.str('a')]))],
      ['a', 'b'],
      b.makeStruct([['a', ref('a')], ['b', ref('b')]]),
    ),
    'Stream[Struct{a:Int32,b:String}]',
  ],
  [
    'StreamAgg',
    b.streamAgg('x', b.streamRange(b.i32(0), b.i32(3), b.i32(1)), b.aggOp('Sum', [], [b.cast(TInt64, ref('x'))])),
    'Int64',
  ],
  ['Count', aggOver(b.aggOp('Count', [], [])), 'Int64'],
  ['Sum Int64', aggOver(b.aggOp('Sum', [], [idx64()])), 'Int64'],
  ['Sum Float64', aggOver(b.aggOp('Sum', [], [b.cast(TFloat64, idx())])), 'Float64'],
  ['Product', aggOver(b.aggOp('Product', [], [idx64()])), 'Int64'],
  ['Min', aggOver(b.aggOp('Min', [], [b.str('a')])), 'String'],
  ['Max', aggOver(b.aggOp('Max', [], [idx()])), 'Int32'],
  ['Max Boolean', aggOver(b.aggOp('Max', [], [b.true_()])), 'Boolean'],
  ['Collect', aggOver(b.aggOp('Collect', [], [idx()])), 'Array[Int32]'],
  ['CollectAsSet', aggOver(b.aggOp('CollectAsSet', [], [idx()])), 'Set[Int32]'],
  ['Take', aggOver(b.aggOp('Take', [b.i32(3)], [idx()])), 'Array[Int32]'],
  ['TakeBy', aggOver(b.aggOp('TakeBy', [b.i32(3)], [idx(), b.unary('Negate', b.cast(TFloat64, idx()))])), 'Array[Int32]'],
  ['PrevNonnull', aggOver(b.aggOp('PrevNonnull', [], [idx()])), 'Int32'],
  ['AggFilter', aggOver(b.aggFilter(b.compare('LT', idx(), b.i32(5)), b.aggOp('Count', [], []))), 'Int64'],
  [
    'AggExplode',
    aggOver(b.aggExplode('e', b.toStream(b.makeArray([idx(), idx()])), b.aggOp('Collect', [], [ref('e')]))),
    'Array[Int32]',
  ],
  ['AggGroupBy', aggOver(b.aggGroupBy(b.compare('LT', idx(), b.i32(5)), b.aggOp('Count', [], []))), 'Dict[Boolean,Int64]'],
  [
    'AggArrayPerElement',
    aggOver(
      b.aggArrayPerElement(
        'e',
        'i',
        b.makeArray([idx(), idx()]),
        b.makeStruct([['i', ref('i')], ['s', b.aggOp('Sum', [], [b.cast(TInt64, ref('e'))])]]),
        b.i32(2),
      ),
    ),
    'Array[Struct{i:Int32,s:Int64}]',
  ],
  ['AggLet', aggOver(b.aggLet('x', false, idx64(), b.aggOp('Sum', [], [ref('x')]))), 'Int64'],
  ['Apply pow', b.apply('pow', TFloat64, [b.f64(2), b.f64(3)]), 'Float64'],
  ['Apply abs', b.apply('abs', TInt32, [b.i32(-2)]), 'Int32'],
  ['Apply max', b.apply('max', TInt64, [b.i64(1), b.i64(2)]), 'Int64'],
  ['Apply floor', b.apply('floor', TFloat32, [b.f32(1.5)]), 'Float32'],
  ['Apply isnan', b.apply('isnan', TBoolean, [b.f64(1)]), 'Boolean'],
  ['Apply toInt64', b.apply('toInt64', TInt64, [b.f32(1)]), 'Int64'],
  ['Apply sigmoid', b.apply('sigmoid', TFloat64, [b.f64(0)]), 'Float64'],
  ['Die', b.die(tArray(TInt32), b.str('boom')), 'Array[Int32]'],
  ['TableCount', b.tableCount(range()), 'Int64'],
  ['TableCollect', b.tableCollect(range()), 'Struct{rows:Array[Struct{idx:Int32}],global:Struct{}}'],
  ['TableGetGlobals', b.tableGetGlobals(read()), 'Struct{g:Int32}'],
  ['TableWrite', b.tableWrite({ name: 'ParquetWriter', path: 'out.parquet' }, range()), 'Void'],
  [
    'RelationalLet and RelationalRef',
    b.relationalLet('r', b.tableCount(range()), add(b.relationalRef('r', TInt64), b.i64(1))),
    'Int64',
  ],
  [
    'CollectDistributedArray',
    b.collectDistributedArray(
      'stage',
      'c',
      'g',
      b.streamRange(b.i32(0), b.i32(3), b.i32(1)),
      b.makeStruct([['a', b.i32(10)]]),
      add(ref('c'), b.getField('a', ref('g'))),
      b.str('dyn'),
    ),
    'Array[Int32]',
  ],
  [
    'Grad',
    b.let_([['x', b.f64(2)]], b.grad('x', b.binary('Multiply', ref('x'), ref('x')))),
    'Float64',
  ],
  [
    'Gradient',
    b.let_([['x', b.f64(2)], ['y', b.f64(3)]], b.gradient(['x', 'y'], b.binary('Multiply', ref('x'), ref('y')))),
    'Struct{x:Float64,y:Float64}',
  ],
];

const tableCases: [string, TableIR, string][] = [
  ['TableRange', range(), rangeText],
  ['TableRead', read(), 'Table{global:Struct{g:Int32},key:[k],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:Set[String]}}}'],
  [
    'TableParallelize',
    b.tableParallelize(
      b.literal(
        tStruct([
          ['rows', tArray(tStruct([['a', TInt32]]))],
          ['global', tStruct([['g', TString]])],
        ]),
        [[[1], [2]], ['x']],
      ),
      2,
    ),
    'Table{global:Struct{g:String},key:[],row:Struct{a:Int32}}',
  ],
  ['TableFilter', b.tableFilter(range(), b.compare('LT', idx(), b.i32(3))), rangeText],
  [
    'TableMapRows',
    b.tableMapRows(range(), b.insertFields(ref('row'), [['sq', b.binary('Multiply', idx(), idx())]])),
    'Table{global:Struct{},key:[idx],row:Struct{idx:Int32,sq:Int32}}',
  ],
  [
    'TableMapRows with a scan',
    b.tableMapRows(range(), b.insertFields(ref('row'), [['running', b.scanOp('Sum', [], [idx64()])]])),
    'Table{global:Struct{},key:[idx],row:Struct{idx:Int32,running:Int64}}',
  ],
  [
    'TableMapGlobals',
    b.tableMapGlobals(read(), b.makeStruct([['g2', b.cast(TInt64, b.getField('g', ref('global')))]])),
    'Table{global:Struct{g2:Int64},key:[k],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:Set[String]}}}',
  ],
  [
    'TableKeyBy',
    b.tableKeyBy(['v', 'k'], read()),
    'Table{global:Struct{g:Int32},key:[v,k],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:Set[String]}}}',
  ],
  ['TableOrderBy', b.tableOrderBy([{ field: 'idx', order: 'D' }], range()), 'Table{global:Struct{},key:[],row:Struct{idx:Int32}}'],
  [
    'TableAggregateByKey',
    b.tableAggregateByKey(read(), b.makeStruct([['total', b.aggOp('Sum', [], [b.getField('v', ref('row'))])]])),
    'Table{global:Struct{g:Int32},key:[k],row:Struct{k:Int32,total:Float64}}',
  ],
  [
    'TableKeyByAndAggregate',
    b.tableKeyByAndAggregate(
      range(),
      b.makeStruct([['n', b.aggOp('Count', [], [])]]),
      b.makeStruct([['even', b.compare('EQ', b.binary('BitAnd', idx(), b.i32(1)), b.i32(0))]]),
    ),
    'Table{global:Struct{},key:[even],row:Struct{even:Boolean,n:Int64}}',
  ],
  [
    'TableJoin',
    b.tableJoin('inner', 1, read(), other()),
    'Table{global:Struct{g:Int32,h:String},key:[k],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:Set[String]},w:String}}',
  ],
  [
    'TableJoin on no key fields keeps both keys',
    b.tableJoin('outer', 0, read(), other()),
    'Table{global:Struct{g:Int32,h:String},key:[k,j],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:Set[String]},j:Int32,w:String}}',
  ],
  [
    'TableLeftJoinRightDistinct',
    b.tableLeftJoinRightDistinct('o', read(), other()),
    'Table{global:Struct{g:Int32},key:[k],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:Set[String]},o:Struct{w:String}}}',
  ],
  ['TableUnion', b.tableUnion([range(3), range(5)]), rangeText],
  ['TableHead', b.tableHead(3, range()), rangeText],
  ['TableTail', b.tableTail(3, range()), rangeText],
  [
    'TableExplode an array',
    b.tableExplode(['xs'], read()),
    'Table{global:Struct{g:Int32},key:[k],row:Struct{k:Int32,v:Float64,xs:Int32,s:Struct{t:Set[String]}}}',
  ],
  [
    'TableExplode a nested set',
    b.tableExplode(['s', 't'], read()),
    'Table{global:Struct{g:Int32},key:[k],row:Struct{k:Int32,v:Float64,xs:Array[Int32],s:Struct{t:String}}}',
  ],
  ['TableDistinct', b.tableDistinct(range()), rangeText],
  [
    'TableRename',
    b.tableRename([['k', 'key'], ['v', 'value']], [['g', 'glob']], read()),
    'Table{global:Struct{glob:Int32},key:[key],row:Struct{key:Int32,value:Float64,xs:Array[Int32],s:Struct{t:Set[String]}}}',
  ],
  ['RelationalLetTable', b.relationalLetTable('n', b.i64(3), b.tableHead(1, range())), rangeText],
];

describe('every node kind types', () => {
  test.each(valueCases)('%s', (_name, ir, want) => {
    expect(typeText(ir)).toBe(want);
  });
  test.each(tableCases)('%s', (_name, ir, want) => {
    const t = typeOf(ir);
    expect(isTableType(t)).toBe(true);
    expect(formatType(t)).toBe(want);
  });
  test('the cases above cover every node kind', () => {
    const seen = new Set<Kind>();
    for (const [, ir] of [...valueCases, ...tableCases]) forEachNode(ir, (n) => void seen.add(n.kind));
    expect(allKinds.filter((k) => !seen.has(k))).toEqual([]);
  });
  test('Ref takes its type from the root environment', () => {
    expect(typeText(ref('z'), { env: new Map([['z', TString]]) })).toBe('String');
  });
  test('every function in the table has a case that types', () => {
    // Every function accepts Float64 arguments.
    for (const name of fnNames) {
      const fn = functions[name];
      const args = Array.from({ length: fn.arity }, () => b.f64(1));
      const rt = fn.result(args.map((): Type => TFloat64));
      expect(rt, name).toBeDefined();
      expect(errors(b.apply(name, rt!, args)), name).toEqual([]);
    }
  });
  test('a TableRead without a type gets it from readerType', () => {
    const ir = b.tableCount(b.tableRead({ name: 'CSVReader', paths: ['a.csv'] }));
    const seen: string[] = [];
    const readerType = (r: { name: string }) => {
      seen.push(r.name);
      return readType;
    };
    const info = typecheck(ir, { readerType });
    expect(info.diagnostics).toEqual([]);
    expect(formatType(info.types.get((ir as { child: IR }).child)!)).toContain('key:[k]');
    expect(seen).toEqual(['CSVReader']);
  });
  test('types has an entry for every node of a well-typed program', () => {
    for (const [, ir] of [...valueCases, ...tableCases]) {
      const info = typecheck(ir);
      forEachNode(ir, (n) => {
        expect(info.types.has(n)).toBe(true);
      });
    }
  });
});

// ---- the spec's examples ------------------------------------------------------------------------

describe('spec examples', () => {
  test('Let and Add: Int32', () => {
    expect(typeText(b.let_([['x', b.i32(5)]], add(ref('x'), b.i32(1))))).toBe('Int32');
  });
  test('TableCount of a filter that compares with a nested aggregate: Int64', () => {
    const ir = b.tableCount(
      b.tableFilter(
        b.tableRange(10, 2),
        b.compare('LT', idx64(), b.tableAggregate(b.tableRange(4, 1), b.aggOp('Count', [], []))),
      ),
    );
    expect(typeText(ir)).toBe('Int64');
  });
  test('the same after hoisting: Int64', () => {
    const ir = b.relationalLet(
      '__rl1',
      b.tableAggregate(b.tableRange(4, 1), b.aggOp('Count', [], [])),
      b.tableCount(b.tableFilter(b.tableRange(10, 2), b.compare('LT', idx64(), b.relationalRef('__rl1', TInt64)))),
    );
    expect(typeText(ir)).toBe('Int64');
  });
  test('AggLet with Count and Sum: Struct{n:Int64,s:Int64}', () => {
    const ir = b.tableAggregate(
      b.tableRange(10, 3),
      b.aggLet(
        'x',
        false,
        idx64(),
        b.makeStruct([
          ['n', b.aggOp('Count', [], [])],
          ['s', b.aggOp('Sum', [], [ref('x')])],
        ]),
      ),
    );
    expect(typeText(ir)).toBe('Struct{n:Int64,s:Int64}');
  });
});

// ---- failing cases: one per rule ----------------------------------------------------------------

const stream3 = () => b.streamRange(b.i32(0), b.i32(3), b.i32(1));
const arr = () => b.makeArray([b.i32(1), b.i32(2)]);
const struct2 = () => b.makeStruct([['a', b.i32(1)], ['b', b.str('x')]]);

const failing: [string, IR, CodeName][] = [
  ['Cast of a String to Int32', b.cast(TInt32, b.str('1')), 'badCast'],
  ['Cast of a struct to another struct', b.cast(tStruct([['a', TInt64]]), b.makeStruct([['a', b.i32(1)]])), 'badCast'],
  ['empty Coalesce', b.coalesce(), 'missingOperand'],
  ['Coalesce of two types', b.coalesce(b.i32(1), b.i64(1)), 'typeMismatch'],
  ['If on an Int32', b.if_(b.i32(1), b.i32(1), b.i32(2)), 'typeMismatch'],
  ['If with different branches', b.if_(b.true_(), b.i32(1), b.str('a')), 'typeMismatch'],
  ['Switch on an Int64', b.switch_(b.i64(0), b.i32(1), [b.i32(2)]), 'typeMismatch'],
  ['Switch with a case of another type', b.switch_(b.i32(0), b.i32(1), [b.i32(2), b.f64(3)]), 'typeMismatch'],
  ['Let agg outside an aggregation', b.let_([{ scope: 'agg', name: 'x', value: b.i32(1) }], b.i32(0)), 'aggOutsideAggregation'],
  ['Let scan outside TableMapRows', b.let_([{ scope: 'scan', name: 'x', value: b.i32(1) }], b.i32(0)), 'aggOutsideAggregation'],
  ['AggLet outside an aggregation', b.aggLet('x', false, ref('row'), b.i32(1)), 'aggOutsideAggregation'],
  ['Ref to an unbound name', ref('nope'), 'unboundVariable'],
  ['Add of Int32 and Int64', add(b.i32(1), b.i64(2)), 'typeMismatch'],
  ['Add of Strings', add(b.str('a'), b.str('b')), 'typeMismatch'],
  ['FloatingPointDivide of Float32 and Float64', b.binary('FloatingPointDivide', b.f32(1), b.f64(2)), 'typeMismatch'],
  ['BitAnd of Float64', b.binary('BitAnd', b.f64(1), b.f64(2)), 'typeMismatch'],
  ['LeftShift by an Int64', b.binary('LeftShift', b.i64(1), b.i64(2)), 'typeMismatch'],
  ['RightShift of a Float64', b.binary('RightShift', b.f64(1), b.i32(2)), 'typeMismatch'],
  ['Negate of a String', b.unary('Negate', b.str('a')), 'typeMismatch'],
  ['Bang of an Int32', b.unary('Bang', b.i32(1)), 'typeMismatch'],
  ['BitNot of a Float32', b.unary('BitNot', b.f32(1)), 'typeMismatch'],
  ['BitCount of a Boolean', b.unary('BitCount', b.true_()), 'typeMismatch'],
  ['EQ of Int32 and Int64', b.compare('EQ', b.i32(1), b.i64(1)), 'typeMismatch'],
  ['MakeStruct with a repeated field', b.makeStruct([['a', b.i32(1)], ['a', b.i32(2)]]), 'duplicateField'],
  ['InsertFields into an Int32', b.insertFields(b.i32(1), [['a', b.i32(1)]]), 'notAStruct'],
  ['InsertFields inserting a field twice', b.insertFields(struct2(), [['c', b.i32(1)], ['c', b.i32(2)]]), 'duplicateField'],
  ['InsertFields order missing a field', b.insertFields(struct2(), [['c', b.i32(1)]], ['c', 'a']), 'badFieldOrder'],
  ['InsertFields order with an extra field', b.insertFields(struct2(), [], ['a', 'b', 'z']), 'badFieldOrder'],
  ['SelectFields of a missing field', b.selectFields(['a', 'z'], struct2()), 'noSuchField'],
  ['SelectFields of a field twice', b.selectFields(['a', 'a'], struct2()), 'duplicateField'],
  ['SelectFields of an array', b.selectFields(['a'], arr()), 'notAStruct'],
  ['GetField of a missing field', b.getField('z', struct2()), 'noSuchField'],
  ['GetField of an Int32', b.getField('a', b.i32(1)), 'notAStruct'],
  ['MakeTuple with too few indices', b.makeTuple([b.i32(1), b.i32(2)], [0]), 'arityMismatch'],
  ['MakeTuple with decreasing indices', b.makeTuple([b.i32(1), b.i32(2)], [2, 1]), 'badTupleIndex'],
  ['MakeTuple with a negative index', b.makeTuple([b.i32(1)], [-1]), 'badTupleIndex'],
  ['GetTupleElement of a struct', b.getTupleElement(0, struct2()), 'typeMismatch'],
  ['GetTupleElement past the end', b.getTupleElement(2, b.makeTuple([b.i32(1), b.i32(2)])), 'badTupleIndex'],
  ['MakeArray with an element of the wrong type', b.makeArray([b.i32(1), b.i64(2)], tArray(TInt32)), 'typeMismatch'],
  ['MakeArray empty without a type', b.makeArray([]), 'missingOperand'],
  ['MakeArray of two types', b.makeArray([b.i32(1), b.str('a')]), 'typeMismatch'],
  ['ArrayRef of a stream', b.arrayRef(stream3(), b.i32(0)), 'typeMismatch'],
  ['ArrayRef with an Int64 index', b.arrayRef(arr(), b.i64(0)), 'typeMismatch'],
  ['ArrayLen of a set', b.arrayLen(b.na(tSet(TInt32))), 'typeMismatch'],
  ['ArraySort of an array', b.arraySort('l', 'r', arr(), b.compare('LT', ref('l'), ref('r'))), 'notAStream'],
  ['ArraySort with an Int32 comparison', b.arraySort('l', 'r', stream3(), ref('l')), 'typeMismatch'],
  ['ToArray of an array', b.toArray(arr()), 'notAStream'],
  ['ToStream of an Int32', b.toStream(b.i32(1)), 'typeMismatch'],
  ['ToStream of a stream', b.toStream(stream3()), 'typeMismatch'],
  ['ToSet of an array', b.toSet(arr()), 'notAStream'],
  ['ToDict of Int32 elements', b.toDict(stream3()), 'typeMismatch'],
  [
    'ToDict of three-field structs',
    b.toDict(b.streamMap('x', stream3(), b.makeStruct([['a', ref('x')], ['b', ref('x')], ['c', ref('x')]]))),
    'typeMismatch',
  ],
  ['StreamRange with an Int64 stop', b.streamRange(b.i32(0), b.i64(3), b.i32(1)), 'typeMismatch'],
  ['StreamMap over an array', b.streamMap('x', arr(), add(ref('x'), b.i32(1))), 'notAStream'],
  ['StreamFilter with an Int32 condition', b.streamFilter('x', stream3(), ref('x')), 'typeMismatch'],
  ['StreamFlatMap whose body is an array', b.streamFlatMap('x', stream3(), arr()), 'notAStream'],
  ['StreamFold whose body changes type', b.streamFold('acc', 'x', stream3(), b.i64(0), ref('x')), 'typeMismatch'],
  ['StreamScan whose body changes type', b.streamScan('acc', 'x', stream3(), b.i32(0), b.cast(TInt64, ref('x'))), 'typeMismatch'],
  ['StreamLen of an array', b.streamLen(arr()), 'notAStream'],
  ['StreamTake with an Int64 count', b.streamTake(stream3(), b.i64(1)), 'typeMismatch'],
  ['StreamDrop of an array', b.streamDrop(arr(), b.i32(1)), 'notAStream'],
  ['StreamZip with more names than streams', b.streamZip([stream3()], ['a', 'b'], ref('a')), 'arityMismatch'],
  ['StreamZip of an array', b.streamZip([stream3(), arr()], ['a', 'b'], ref('a')), 'notAStream'],
  ['StreamAgg over an array', b.streamAgg('x', arr(), b.aggOp('Collect', [], [ref('x')])), 'notAStream'],
  ['ApplyAggOp outside an aggregation', b.aggOp('Sum', [], [b.i64(1)]), 'aggOutsideAggregation'],
  ['ApplyAggOp inside another one', aggOver(b.aggOp('Collect', [], [b.aggOp('Count', [], [])])), 'aggOutsideAggregation'],
  ['ApplyScanOp in TableAggregate', aggOver(b.scanOp('Count', [], [])), 'aggOutsideAggregation'],
  ['Count with an argument', aggOver(b.aggOp('Count', [], [idx()])), 'wrongArgCount'],
  ['Take without its count', aggOver(b.aggOp('Take', [], [idx()])), 'wrongArgCount'],
  ['Sum of Int32', aggOver(b.aggOp('Sum', [], [idx()])), 'typeMismatch'],
  ['Min of an array', aggOver(b.aggOp('Min', [], [arr()])), 'typeMismatch'],
  ['Take with an Int64 count', aggOver(b.aggOp('Take', [b.i64(3)], [idx()])), 'typeMismatch'],
  ['AggFilter outside an aggregation', b.aggFilter(b.true_(), b.i32(1)), 'aggOutsideAggregation'],
  ['AggFilter with an Int32 condition', aggOver(b.aggFilter(idx(), b.aggOp('Count', [], []))), 'typeMismatch'],
  ['AggExplode of an array', aggOver(b.aggExplode('e', b.makeArray([idx()]), b.aggOp('Count', [], []))), 'notAStream'],
  ['AggGroupBy outside an aggregation', b.aggGroupBy(b.i32(1), b.i32(1)), 'aggOutsideAggregation'],
  ['AggGroupBy as a scan in TableAggregate', aggOver(b.aggGroupBy(idx(), b.aggOp('Count', [], []), true)), 'aggOutsideAggregation'],
  [
    'AggArrayPerElement of a stream',
    aggOver(b.aggArrayPerElement('e', 'i', b.toStream(b.makeArray([idx()])), b.aggOp('Count', [], []))),
    'typeMismatch',
  ],
  [
    'AggArrayPerElement with an Int64 length',
    aggOver(b.aggArrayPerElement('e', 'i', b.makeArray([idx()]), b.aggOp('Count', [], []), b.i64(1))),
    'typeMismatch',
  ],
  ['Apply of an unknown function', b.apply('frobnicate', TFloat64, [b.f64(1)]), 'unknownFunction'],
  ['Apply of a prototype name', b.apply('toString', TString, []), 'unknownFunction'],
  ['Apply with too many arguments', b.apply('exp', TFloat64, [b.f64(1), b.f64(2)]), 'wrongArgCount'],
  ['Apply with an Int32 argument', b.apply('exp', TFloat64, [b.i32(1)]), 'typeMismatch'],
  ['Apply of min to two types', b.apply('min', TInt32, [b.i32(1), b.i64(2)]), 'typeMismatch'],
  ['Apply of floor to an Int32', b.apply('floor', TInt32, [b.i32(1)]), 'typeMismatch'],
  ['Apply declaring the wrong result', b.apply('toInt32', TInt64, [b.f64(1)]), 'returnTypeMismatch'],
  ['Apply with type arguments', b.apply('exp', TFloat64, [b.f64(1)], [TFloat64]), 'unexpectedTypeArgs'],
  ['Die with an Int32 message', b.die(TInt32, b.i32(1)), 'typeMismatch'],
  ['RelationalRef to nothing', b.relationalRef('r', TInt64), 'unboundRelational'],
  ['RelationalRef of the wrong type', b.relationalLet('r', b.i32(1), b.relationalRef('r', TInt64)), 'relationalRefType'],
  [
    'CollectDistributedArray over an array',
    b.collectDistributedArray('s', 'c', 'g', arr(), b.i32(0), ref('c'), b.str('d')),
    'notAStream',
  ],
  [
    'CollectDistributedArray with an Int32 dynamic id',
    b.collectDistributedArray('s', 'c', 'g', stream3(), b.i32(0), ref('c'), b.i32(1)),
    'typeMismatch',
  ],
  ['Grad of an unbound variable', b.grad('x', b.f64(1)), 'unboundVariable'],
  ['Grad of a String variable', b.let_([['x', b.str('a')]], b.grad('x', b.f64(1))), 'typeMismatch'],
  ['Grad of a String body', b.let_([['x', b.f64(1)]], b.grad('x', b.str('a'))), 'typeMismatch'],
  ['Gradient naming a variable twice', b.let_([['x', b.f64(1)]], b.gradient(['x', 'x'], ref('x'))), 'duplicateField'],
  ['Gradient of an unbound variable', b.let_([['x', b.f64(1)]], b.gradient(['x', 'y'], ref('x'))), 'unboundVariable'],
  ['TableRange of -1 rows', b.tableCount(b.tableRange(-1)), 'invalidCount'],
  ['TableRange with 0 partitions', b.tableCount(b.tableRange(3, 0)), 'invalidCount'],
  ['TableRead without a type', b.tableCount(b.tableRead({ name: 'ParquetReader', paths: ['x.parquet'] })), 'missingTableType'],
  [
    'TableRead whose key is not in the row',
    b.tableCount(read({ global: tStruct([]), key: ['z'], row: tStruct([['a', TInt32]]) })),
    'noSuchField',
  ],
  ['TableParallelize of an array', b.tableCount(b.tableParallelize(arr())), 'typeMismatch'],
  [
    'TableParallelize with fields in the wrong order',
    b.tableCount(b.tableParallelize(b.na(tStruct([['global', tStruct([])], ['rows', tArray(tStruct([]))]])))),
    'typeMismatch',
  ],
  ['TableFilter with an Int32 predicate', b.tableCount(b.tableFilter(range(), idx())), 'typeMismatch'],
  ['TableMapRows dropping the key', b.tableCount(b.tableMapRows(range(), b.makeStruct([['x', idx()]]))), 'keyFieldDropped'],
  ['TableMapRows retyping the key', b.tableCount(b.tableMapRows(range(), b.makeStruct([['idx', idx64()]]))), 'keyFieldDropped'],
  ['TableMapRows to an Int32', b.tableCount(b.tableMapRows(range(), idx())), 'notAStruct'],
  ['TableMapGlobals to an Int32', b.tableCount(b.tableMapGlobals(range(), b.i32(1))), 'notAStruct'],
  ['TableKeyBy of a missing field', b.tableCount(b.tableKeyBy(['nope'], range())), 'noSuchField'],
  ['TableKeyBy of a field twice', b.tableCount(b.tableKeyBy(['idx', 'idx'], range())), 'duplicateField'],
  ['TableOrderBy of a missing field', b.tableCount(b.tableOrderBy([{ field: 'nope', order: 'A' }], range())), 'noSuchField'],
  [
    'TableAggregateByKey computing a key field',
    b.tableCount(b.tableAggregateByKey(read(), b.makeStruct([['k', b.aggOp('Count', [], [])]]))),
    'fieldCollision',
  ],
  ['TableAggregateByKey to an Int64', b.tableCount(b.tableAggregateByKey(read(), b.aggOp('Count', [], []))), 'notAStruct'],
  [
    'TableKeyByAndAggregate with a field in both structs',
    b.tableCount(
      b.tableKeyByAndAggregate(range(), b.makeStruct([['a', b.aggOp('Count', [], [])]]), b.makeStruct([['a', idx()]])),
    ),
    'fieldCollision',
  ],
  ['TableKeyByAndAggregate with a zero buffer', b.tableCount(b.tableKeyByAndAggregate(range(), b.makeStruct([]), b.makeStruct([['a', idx()]]), 0)), 'invalidCount'],
  ['TableJoin on more key fields than there are', b.tableCount(b.tableJoin('inner', 2, read(), other())), 'joinKeyMismatch'],
  [
    'TableJoin of keys of different types',
    b.tableCount(b.tableJoin('left', 1, read(), b.tableKeyBy(['w'], other()))),
    'joinKeyMismatch',
  ],
  ['TableJoin of colliding value fields', b.tableCount(b.tableJoin('inner', 1, read(), read())), 'fieldCollision'],
  [
    'TableJoin of colliding globals',
    b.tableCount(b.tableJoin('inner', 1, read(), b.tableRename([['k', 'k2'], ['v', 'v2'], ['xs', 'xs2'], ['s', 's2']], [], read()))),
    'fieldCollision',
  ],
  [
    'TableLeftJoinRightDistinct with a key of another type',
    b.tableCount(b.tableLeftJoinRightDistinct('o', read(), b.tableKeyBy(['w'], other()))),
    'joinKeyMismatch',
  ],
  [
    'TableLeftJoinRightDistinct with an unkeyed right side',
    b.tableCount(b.tableLeftJoinRightDistinct('o', read(), b.tableKeyBy([], other()))),
    'joinKeyMismatch',
  ],
  [
    'TableLeftJoinRightDistinct onto an existing field',
    b.tableCount(b.tableLeftJoinRightDistinct('v', read(), other())),
    'fieldCollision',
  ],
  ['TableUnion of nothing', b.tableCount(b.tableUnion([])), 'missingOperand'],
  ['TableUnion of different rows', b.tableCount(b.tableUnion([range(), read()])), 'tableTypeMismatch'],
  ['TableUnion of different keys', b.tableCount(b.tableUnion([range(), b.tableKeyBy([], range())])), 'tableTypeMismatch'],
  ['TableHead of -1 rows', b.tableCount(b.tableHead(-1, range())), 'invalidCount'],
  ['TableTail of -1 rows', b.tableCount(b.tableTail(-1, range())), 'invalidCount'],
  ['TableExplode of a key field', b.tableCount(b.tableExplode(['k'], read())), 'keyFieldDropped'],
  ['TableExplode of a Float64', b.tableCount(b.tableExplode(['v'], read())), 'typeMismatch'],
  ['TableExplode of a missing field', b.tableCount(b.tableExplode(['s', 'u'], read())), 'noSuchField'],
  ['TableExplode through a non-struct', b.tableCount(b.tableExplode(['v', 'u'], read())), 'notAStruct'],
  ['TableRename of a missing field', b.tableCount(b.tableRename([['nope', 'x']], [], range())), 'noSuchField'],
  ['TableRename onto an existing field', b.tableCount(b.tableRename([['v', 'k']], [], read())), 'fieldCollision'],
  ['TableRename of a global field twice', b.tableCount(b.tableRename([], [['g', 'a'], ['g', 'b']], read())), 'duplicateField'],
];

describe('every rule reports its diagnostic, once', () => {
  test.each(failing)('%s', (_name, ir, code) => {
    expect(errors(ir)).toEqual([code]);
  });
});

// ---- diagnostics: content, many at once, no cascades -------------------------------------------

describe('diagnostics', () => {
  test('point at the span of the node at fault', () => {
    const bad = { ...ref('q'), span: { start: 3, end: 9 } };
    const d = onlyDiagnostic(b.makeStruct([['a', bad]]));
    expect(d.span).toEqual({ start: 3, end: 9 });
    expect(d.code).toBe('IRC3001');
  });
  test('an unbound name suggests the nearest name in scope and lists the scopes', () => {
    const d = onlyDiagnostic(b.let_([['count', b.i32(1)], ['other', b.i32(2)]], ref('cuont')));
    expect(d.message).toContain('`cuont`');
    expect(d.hint).toContain('did you mean `count`?');
    expect(d.hint).toContain('eval: `count`, `other`');
  });
  test('a row read outside an aggregator says it is in the agg scope', () => {
    const d = onlyDiagnostic(aggOver(b.makeStruct([['i', idx()]])));
    expect(d.name).toBe('unboundVariable');
    expect(d.hint).toContain('aggregation scope');
  });
  test('Add of Int32 and Int64 prints both types and hints at Cast', () => {
    const d = onlyDiagnostic(add(b.i32(1), b.i64(2)));
    expect(d.message).toContain('Int32');
    expect(d.message).toContain('Int64');
    expect(d.hint).toContain('(Cast Int64');
  });
  test('types print as the spec writes them', () => {
    const d = onlyDiagnostic(b.getField('a', b.makeArray([b.f64(1)])));
    expect(d.message).toContain('Array[Float64]');
    const e = onlyDiagnostic(b.getField('z', b.makeStruct([['a', b.i32(1)]])));
    expect(e.message).toContain('Struct{a:Int32}');
    expect(e.hint).toContain('`a`');
  });
  test('an aggregator outside an aggregation hints at TableAggregate and StreamAgg', () => {
    const d = onlyDiagnostic(b.aggOp('Count', [], []));
    expect(d.hint).toContain('TableAggregate');
    expect(d.hint).toContain('StreamAgg');
  });
  test('an unknown function is named, with the nearest known one', () => {
    const d = onlyDiagnostic(b.apply('sqrtt', TFloat64, [b.f64(1)]));
    expect(d.message).toContain('`sqrtt`');
    expect(d.hint).toContain('`sqrt`');
  });
  test('an unknown function far from every name lists the known ones', () => {
    const d = onlyDiagnostic(b.apply('zzzzzzzzzz', TFloat64, []));
    expect(d.hint).toContain('exp');
    expect(d.hint).toContain('softplus');
  });
  test('a TableRead without a type says to write it', () => {
    const d = onlyDiagnostic(b.tableCount(b.tableRead({ name: 'DuckDBTableReader', table: 't' })));
    expect(d.message).toContain('must be given');
    expect(d.hint).toContain('Table{');
  });
  test('a catalogue that does not know the source also asks for the type', () => {
    const d = onlyDiagnostic(b.tableCount(b.tableRead({ name: 'DuckDBTableReader', table: 't' })), {
      readerType: () => undefined,
    });
    expect(d.name).toBe('missingTableType');
    expect(d.message).toContain('catalogue');
  });
  test('every error is reported, siblings in program order', () => {
    const ir = b.makeStruct([
      ['a', add(b.i32(1), b.i64(2))],
      ['b', ref('nope')],
      ['c', b.if_(b.i32(1), b.i32(1), b.i32(2))],
      ['d', b.apply('nosuch', TFloat64, [])],
      ['e', b.tableCount(b.tableKeyBy(['zz'], range()))],
    ]);
    expect(errors(ir)).toEqual(['typeMismatch', 'unboundVariable', 'typeMismatch', 'unknownFunction', 'noSuchField']);
  });
  test('one mistake gives one diagnostic, however far its effects reach', () => {
    // The bad Add makes x unknown; every use of x above stays quiet.
    const x = () => ref('x');
    const ir = b.let_(
      [['x', add(b.i32(1), b.i64(2))]],
      b.makeStruct([
        ['a', b.binary('Multiply', x(), x())],
        ['b', b.getField('f', x())],
        ['c', b.arrayRef(x(), x())],
        ['d', b.streamMap('e', x(), add(ref('e'), b.i32(1)))],
        ['e', b.if_(x(), x(), b.str('s'))],
      ]),
    );
    expect(errors(ir)).toEqual(['typeMismatch']);
  });
  test('a table that cannot be typed silences the nodes that read it', () => {
    const bad = b.tableKeyBy(['nope'], range());
    const ir = b.tableAggregate(
      b.tableFilter(bad, b.compare('LT', idx(), b.i32(3))),
      b.makeStruct([['s', b.aggOp('Sum', [], [b.getField('whatever', ref('row'))])]]),
    );
    expect(errors(ir)).toEqual(['noSuchField']);
  });
  test('a misplaced aggregation is one diagnostic, not one per name it reads', () => {
    const ir = b.aggFilter(b.compare('LT', idx(), b.i32(3)), b.aggOp('Sum', [], [b.cast(TInt64, idx())]));
    expect(errors(ir)).toEqual(['aggOutsideAggregation']);
  });
  test('a misplaced aggregation does not hide mistakes in a nested, well-placed table', () => {
    const ir = b.aggFilter(b.true_(), b.tableCount(b.tableFilter(range(), ref('nope'))));
    // Children finish first, so the nested mistake comes first.
    expect(errors(ir)).toEqual(['unboundVariable', 'aggOutsideAggregation']);
  });
  test('typeOf throws a UserError carrying every diagnostic', () => {
    const ir = b.makeStruct([['a', ref('p')], ['b', ref('q')]]);
    let caught: unknown;
    try {
      typeOf(ir);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).diagnostics.map((d) => d.code)).toEqual(['IRC3001', 'IRC3001']);
  });
  test('nodes whose type is unknown are left out of the types table', () => {
    const bad = add(b.i32(1), b.i64(2));
    const good = b.i32(1);
    const ir = b.makeStruct([['a', bad], ['b', good], ['c', b.makeArray([b.i32(1)])], ['d', b.tableCollect(range())]]);
    const info = typecheck(ir);
    expect(info.types.has(bad)).toBe(false);
    expect(info.types.has(ir)).toBe(false);
    expect(info.types.get(good)).toBe(TInt32);
    // The internal unknown marker never appears, not even inside a type.
    for (const t of info.types.values()) expect(JSON.stringify(t)).not.toContain('Unknown');
  });
});

// ---- scoping ------------------------------------------------------------------------------------

describe('scoping', () => {
  test('TableAggregate: seq args see row in the agg scope', () => {
    expect(typeText(aggOver(b.aggOp('Sum', [], [b.cast(TInt64, b.getField('idx', ref('row')))])))).toBe('Int64');
  });
  test('TableAggregate: the query sees global in the eval scope, row only in the agg scope', () => {
    expect(typeText(b.tableAggregate(read(), b.getField('g', ref('global'))))).toBe('Int32');
    expect(errors(b.tableAggregate(read(), ref('row')))).toEqual(['unboundVariable']);
  });
  test('TableMapRows: the new row sees row and global, and a scan scope', () => {
    const ir = b.tableMapRows(
      read(),
      b.insertFields(ref('row'), [
        ['g', b.getField('g', ref('global'))],
        ['prev', b.scanOp('Collect', [], [b.getField('v', ref('row'))])],
      ]),
    );
    expect(typeText(ir)).toContain('g:Int32,prev:Array[Float64]');
  });
  test('TableFilter has no scan scope', () => {
    expect(errors(b.tableCount(b.tableFilter(range(), b.compare('GT', b.scanOp('Count', [], []), b.i64(1)))))).toEqual([
      'aggOutsideAggregation',
    ]);
  });
  test('Let agg binds in the agg scope: seen by aggregators, not by the query itself', () => {
    const bind = { scope: 'agg' as const, name: 'y', value: idx64() };
    expect(typeText(aggOver(b.let_([bind], b.aggOp('Sum', [], [ref('y')]))))).toBe('Int64');
    const d = onlyDiagnostic(aggOver(b.let_([bind], ref('y'))));
    expect(d.name).toBe('unboundVariable');
    expect(d.hint).toContain('aggregation scope');
  });
  test('Let agg values run per row and see row', () => {
    const bind = { scope: 'agg' as const, name: 'y', value: b.cast(TFloat64, idx()) };
    expect(typeText(aggOver(b.let_([bind], b.aggOp('Max', [], [ref('y')]))))).toBe('Float64');
  });
  test('Let scan in TableMapRows binds in the scan scope', () => {
    const bind = { scope: 'scan' as const, name: 'y', value: idx64() };
    const ir = b.tableMapRows(range(), b.let_([bind], b.insertFields(ref('row'), [['c', b.scanOp('Sum', [], [ref('y')])]])));
    expect(typeText(ir)).toBe('Table{global:Struct{},key:[idx],row:Struct{idx:Int32,c:Int64}}');
  });
  test('AggLet binds in the agg scope', () => {
    expect(typeText(aggOver(b.aggLet('x', false, idx(), b.aggOp('Collect', [], [ref('x')]))))).toBe('Array[Int32]');
    expect(errors(aggOver(b.aggLet('x', false, idx(), ref('x'))))).toEqual(['unboundVariable']);
  });
  test('StreamAgg: the query aggregates the element name', () => {
    expect(typeText(b.streamAgg('x', stream3(), b.aggOp('Collect', [], [ref('x')])))).toBe('Array[Int32]');
    expect(errors(b.streamAgg('x', stream3(), ref('x')))).toEqual(['unboundVariable']);
  });
  test('StreamAgg: enclosing eval bindings are visible in the seq args', () => {
    const ir = b.let_([['k', b.i32(2)]], b.streamAgg('x', stream3(), b.aggOp('Sum', [], [b.cast(TInt64, add(ref('x'), ref('k')))])));
    expect(typeText(ir)).toBe('Int64');
  });
  test('CollectDistributedArray: the body sees only its two names', () => {
    const cda = (body: ValueIR) =>
      b.let_([['outer', b.i32(1)]], b.collectDistributedArray('s', 'c', 'g', stream3(), b.str('glob'), body, b.str('d')));
    expect(typeText(cda(b.makeTuple([ref('c'), ref('g')])))).toBe('Array[Tuple[Int32,String]]');
    const d = onlyDiagnostic(cda(ref('outer')));
    expect(d.name).toBe('unboundVariable');
    expect(d.hint).toContain('`c`');
    expect(d.hint).not.toContain('`outer`');
  });
  test('[ext] a Let-bound variable is visible inside a nested table predicate', () => {
    const ir = b.let_(
      [['threshold', b.i32(4)]],
      b.tableCount(b.tableFilter(range(), b.compare('LT', idx(), ref('threshold')))),
    );
    expect(typeText(ir)).toBe('Int64');
  });
  test("[ext] a Let-bound variable is visible inside an aggregation's seq args", () => {
    const ir = b.let_(
      [['w', b.f64(2)]],
      aggOver(b.aggOp('Sum', [], [b.binary('Multiply', ref('w'), b.cast(TFloat64, idx()))])),
    );
    expect(typeText(ir)).toBe('Float64');
  });
  test('[ext] a fold accumulator is visible inside a table aggregated in its body', () => {
    const ir = b.streamFold(
      'acc',
      'i',
      stream3(),
      b.f64(0),
      add(ref('acc'), aggOver(b.aggOp('Sum', [], [b.binary('Multiply', ref('acc'), b.cast(TFloat64, idx()))]))),
    );
    expect(typeText(ir)).toBe('Float64');
  });
  test('a nested table row shadows the outer row', () => {
    // The inner filter reads its own row (Int32 idx); the outer row (k, v, ...) is shadowed.
    const inner = b.tableCount(b.tableFilter(range(), b.compare('LT', idx(), b.i32(3))));
    const ir = b.tableMapRows(read(), b.insertFields(ref('row'), [['n', inner]]));
    expect(typeText(ir)).toContain('n:Int64');
    const outerField = b.tableCount(b.tableFilter(range(), b.compare('LT', b.getField('v', ref('row')), b.f64(3))));
    expect(errors(b.tableMapRows(read(), b.insertFields(ref('row'), [['n', outerField]])))).toEqual(['noSuchField']);
  });
  test('relational bindings are visible through table scopes', () => {
    const ir = b.relationalLetTable(
      'limit',
      b.i32(5),
      b.tableFilter(range(), b.compare('LT', idx(), b.relationalRef('limit', TInt32))),
    );
    expect(typeText(ir)).toBe(rangeText);
  });
  test('AggExplode binds its element in the agg scope', () => {
    expect(errors(aggOver(b.aggExplode('e', b.toStream(b.makeArray([idx()])), ref('e'))))).toEqual(['unboundVariable']);
  });
  test('TableKeyByAndAggregate: the new key sees row, the expression aggregates it', () => {
    expect(errors(b.tableCount(b.tableKeyByAndAggregate(range(), b.makeStruct([['r', ref('row')]]), b.makeStruct([['a', idx()]]))))).toEqual([
      'unboundVariable',
    ]);
  });
});

// ---- sharing ------------------------------------------------------------------------------------

describe('shared subtrees', () => {
  test('a node shared where it has one type is fine', () => {
    const shared = add(ref('x'), b.i32(1));
    const ir = b.let_([['x', b.i32(1)]], b.makeStruct([['a', shared], ['b', shared]]));
    const info = typecheck(ir);
    expect(info.diagnostics).toEqual([]);
    expect(info.types.get(shared)).toBe(TInt32);
  });
  test('a node shared between scopes that give it different types is a compiler bug', () => {
    const shared = ref('x');
    const ir = b.makeStruct([
      ['a', b.let_([['x', b.i32(1)]], shared)],
      ['b', b.let_([['x', b.str('s')]], shared)],
    ]);
    expect(() => typecheck(ir)).toThrow(InternalError);
  });
  test('a shared mistake is reported once', () => {
    const shared = ref('nope');
    expect(errors(b.makeStruct([['a', shared], ['b', shared]]))).toEqual(['unboundVariable']);
  });
});

// ---- depth and size -----------------------------------------------------------------------------

describe('deep and large programs', () => {
  test('a 10,000-deep If chain', () => {
    let ir: ValueIR = b.i32(0);
    for (let i = 0; i < 10_000; i++) ir = b.if_(b.true_(), ir, b.i32(i));
    expect(typeText(ir)).toBe('Int32');
  });
  test('a 100,000-deep Let chain', () => {
    const n = 100_000;
    let ir: ValueIR = ref(`x${n - 1}`);
    for (let i = n - 1; i >= 1; i--) ir = b.let_([[`x${i}`, add(ref(`x${i - 1}`), b.i64(1))]], ir);
    ir = b.let_([['x0', b.i64(0)]], ir);
    expect(typeText(ir)).toBe('Int64');
  });
  test('a 100,000-deep Add chain', () => {
    let ir: ValueIR = b.f64(0);
    for (let i = 0; i < 100_000; i++) ir = add(ir, b.f64(i));
    expect(typeText(ir)).toBe('Float64');
  });
  test('a 100,000-deep chain with one mistake at the bottom gives one diagnostic', () => {
    let ir: ValueIR = add(b.i32(0), b.str('x'));
    for (let i = 0; i < 100_000; i++) ir = add(ir, b.i32(i));
    expect(errors(ir)).toEqual(['typeMismatch']);
  });
  test('a 1,000,000-node balanced Add tree', () => {
    let level: ValueIR[] = Array.from({ length: 1 << 19 }, (_, i) => b.i64(i));
    while (level.length > 1) {
      const next: ValueIR[] = [];
      for (let i = 0; i < level.length; i += 2) next.push(add(level[i]!, level[i + 1]!));
      level = next;
    }
    const root = level[0]!;
    expect(countNodes(root)).toBeGreaterThanOrEqual(1_000_000);
    const info = typecheck(root);
    expect(info.diagnostics).toEqual([]);
    expect(info.types.get(root)).toBe(TInt64);
    expect(info.types.size).toBe(countNodes(root));
  });
  test('one Let with 200,000 bindings, each reading the one before', () => {
    const n = 200_000;
    const bindings: [string, ValueIR][] = [['x0', b.i32(0)]];
    for (let i = 1; i < n; i++) bindings.push([`x${i}`, add(ref(`x${i - 1}`), b.i32(1))]);
    expect(typeText(b.let_(bindings, ref(`x${n - 1}`)))).toBe('Int32');
  });
  test('a deeply nested table pipeline', () => {
    let t: TableIR = range();
    for (let i = 0; i < 20_000; i++) t = b.tableFilter(t, b.compare('LT', idx(), b.i32(i)));
    expect(typeText(b.tableCount(t))).toBe('Int64');
  });
});

describe('the function table', () => {
  test('has exactly the spec functions', () => {
    expect(Object.keys(functions).sort()).toEqual([...fnNames].sort());
    for (const name of ['exp', 'log', 'log10', 'log2', 'sqrt', 'pow', 'abs', 'sign', 'floor', 'ceil', 'isnan', 'is_finite', 'toInt32', 'toInt64', 'toFloat64', 'min', 'max', 'mod', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'log1p', 'expm1', 'sigmoid', 'softplus']) {
      expect(fnNames).toContain(name);
    }
  });
  test('numeric-generic functions return their argument type', () => {
    for (const t of [TInt32, TInt64, TFloat32, TFloat64]) {
      expect(functions.abs.result([t])).toBe(t);
      expect(functions.mod.result([t, t])).toBe(t);
      expect(functions.toFloat64.result([t])).toBe(TFloat64);
    }
    expect(functions.abs.result([TString])).toBeUndefined();
    expect(functions.isnan.result([TInt32])).toBeUndefined();
    expect(functions.exp.result([TFloat32])).toBeUndefined();
  });
});
