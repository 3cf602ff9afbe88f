// Requiredness (src/passes/requiredness.ts): a precision table pinning what the analysis
// proves for small programs of every node kind (Hail's RequirednessSuite), and unit checks of
// the API. Soundness on random programs is test/requiredness-sound.test.ts.

import { describe, expect, test } from 'vitest';
import { binary, i32, let_, makeArray, makeStruct, makeTuple, na, ref } from '../src/ir/build.js';
import { allKinds } from '../src/ir/children.js';
import type { Kind } from '../src/ir/nodes.js';
import { printRequiredTableType, printRequiredType } from '../src/ir/print.js';
import { TInt32 } from '../src/ir/types.js';
import { NodeTable } from '../src/ir/node-table.js';
import { fold, forEachNode } from '../src/ir/walk.js';
import { parse } from '../src/parse/index.js';
import { prepare } from '../src/passes/prepare.js';
import { analyzeRequiredness, type RequirednessOptions } from '../src/passes/requiredness.js';
import { isTableType, typecheck } from '../src/passes/typecheck.js';

/** The root's type with its requiredness marked (`+`: never missing). */
function marked(text: string, options: RequirednessOptions = {}): string {
  const ir = parse(text);
  const info = typecheck(ir);
  expect(info.diagnostics).toEqual([]);
  const req = analyzeRequiredness(ir, info.types, options);
  const t = info.types.get(ir)!;
  return isTableType(t) ? printRequiredTableType(t, req.table(ir)!) : printRequiredType(t, req.value(ir)!);
}

const range = (n: number) => `(StreamRange 0 False (I32 0) (I32 ${n}) (I32 1))`;
const table = (rows: string, global = '(MakeStruct)') => `(TableParallelize None (MakeStruct (rows ${rows}) (global ${global})))`;
const lit = (t: string, json: string) => `(Literal ${t} "${json.replace(/"/g, '\\"')}")`;
const ab = `(TableKeyBy (k) False ${table(lit('Array[Struct{k:Int32,a:Int32}]', '[{"k":1,"a":2}]'))})`;
const cd = `(TableKeyBy (k) False ${table(lit('Array[Struct{k:Int32,b:String}]', '[{"k":1,"b":"x"}]'))})`;
const optKey = `(TableKeyBy (k) False ${table(lit('Array[Struct{k:Int32,b:String}]', '[{"k":null,"b":"x"}]'))})`;

/** [what, program, its type with requiredness]. */
const cases: readonly (readonly [string, string, string])[] = [
  // constants and literals
  ['I32', '(I32 1)', '+Int32'],
  ['I64 F32 F64 Str True False in a tuple', '(MakeTuple (0 1 2 3 4 5) (I64 1) (F32 1) (F64 1) (Str "a") (True) (False))', '+Tuple[+Int64,+Float32,+Float64,+String,+Boolean,+Boolean]'],
  ['Void is its one missing value', '(Void)', 'Void'],
  ['NA', '(NA Int32)', 'Int32'],
  ['NA of a container: nothing inside is claimed missing', '(NA Array[Int32])', 'Array[+Int32]'],
  ['Literal: from its value', lit('Array[Struct{a:Int32,b:String}]', '[{"a":1,"b":null},{"a":2,"b":"x"}]'), '+Array[+Struct{a:+Int32,b:String}]'],
  ['Literal missing', lit('Array[Int32]', 'null'), 'Array[+Int32]'],
  ['Literal dict with a missing value', lit('Dict[String,Int32]', '[{"key":"a","value":null}]'), '+Dict[+String,Int32]'],
  // strict operations
  ['Cast', '(Cast Float64 (I32 1))', '+Float64'],
  ['Cast of a missing operand', '(Cast Float64 (NA Int32))', 'Float64'],
  ['ApplyBinaryPrimOp with a missing operand', '(ApplyBinaryPrimOp Add (I32 1) (NA Int32))', 'Int32'],
  ['ApplyUnaryPrimOp', '(ApplyUnaryPrimOp Negate (I32 1))', '+Int32'],
  ['ApplyComparisonOp strict', '(ApplyComparisonOp LT (I32 1) (NA Int32))', 'Boolean'],
  ['Compare is strict', '(ApplyComparisonOp Compare (I32 1) (NA Int32))', 'Int32'],
  ['EQWithNA is never missing', '(ApplyComparisonOp EQWithNA (I32 1) (NA Int32))', '+Boolean'],
  ['Apply', '(Apply 0 pow () Float64 (F64 2) (F64 3))', '+Float64'],
  ['Apply of a missing argument', '(Apply 0 pow () Float64 (F64 2) (NA Float64))', 'Float64'],
  ['IsNA', '(IsNA (NA Int32))', '+Boolean'],
  ['Die never returns', '(Die Array[Int32] -1 (Str "no"))', '+Array[+Int32]'],
  // conditionals and lets
  ['Coalesce: present when one argument is', '(Coalesce (NA Int32) (I32 1))', '+Int32'],
  ['Coalesce of missing arguments', '(Coalesce (NA Int32) (NA Int32))', 'Int32'],
  ['Coalesce joins the parts', `(Coalesce (MakeArray None (I32 1)) (MakeArray None (NA Int32)))`, '+Array[Int32]'],
  ['If: both branches', '(If (True) (I32 1) (NA Int32))', 'Int32'],
  ['If: a missing condition', '(If (NA Boolean) (I32 1) (I32 2))', 'Int32'],
  ['If: present branches', '(If (True) (I32 1) (I32 2))', '+Int32'],
  ['Switch', '(Switch (I32 0) (I32 5) (I32 6) (NA Int32))', 'Int32'],
  ['Switch on a missing selector', '(Switch (NA Int32) (I32 5) (I32 6))', 'Int32'],
  ['Switch of present cases', '(Switch (I32 0) (I32 5) (I32 6))', '+Int32'],
  ['Let and Ref', '(Let eval x (MakeStruct (a (I32 1)) (b (NA Int32))) (Ref x))', '+Struct{a:+Int32,b:Int32}'],
  ['Let: a binding read through GetField', '(Let eval x (MakeStruct (a (I32 1)) (b (NA Int32))) (GetField b (Ref x)))', 'Int32'],
  // structs, tuples, arrays
  ['MakeStruct', '(MakeStruct (a (I32 1)) (b (NA String)))', '+Struct{a:+Int32,b:String}'],
  ['InsertFields replaces and adds', '(InsertFields (MakeStruct (a (NA Int32)) (b (I32 2))) None (a (I32 1)) (c (NA Int32)))', '+Struct{a:+Int32,b:+Int32,c:Int32}'],
  ['InsertFields into a missing struct', '(InsertFields (NA Struct{a:Int32}) None (b (I32 1)))', 'Struct{a:+Int32,b:+Int32}'],
  ['InsertFields with a field order', '(InsertFields (MakeStruct (a (NA Int32))) ("b" "a") (b (I32 1)))', '+Struct{b:+Int32,a:Int32}'],
  ['SelectFields', '(SelectFields (b) (MakeStruct (a (NA Int32)) (b (I32 2))))', '+Struct{b:+Int32}'],
  ['GetField of a present field', '(GetField a (MakeStruct (a (I32 1))))', '+Int32'],
  ['GetField of a missing struct', '(GetField a (NA Struct{a:Int32}))', 'Int32'],
  ['MakeTuple and GetTupleElement', '(GetTupleElement 1 (MakeTuple (0 1) (NA Int32) (I32 2)))', '+Int32'],
  ['MakeArray', '(MakeArray None (I32 1) (NA Int32))', '+Array[Int32]'],
  ['MakeArray, empty', '(MakeArray Array[Int32])', '+Array[+Int32]'],
  ['ArrayRef of present elements', '(ArrayRef -1 (MakeArray None (I32 1)) (I32 0))', '+Int32'],
  ['ArrayRef of a missing index', '(ArrayRef -1 (MakeArray None (I32 1)) (NA Int32))', 'Int32'],
  ['ArrayRef of possibly missing elements', '(ArrayRef -1 (MakeArray None (NA Int32)) (I32 0))', 'Int32'],
  ['ArrayLen', '(ArrayLen (NA Array[Int32]))', 'Int32'],
  // streams and collections
  ['ToStream, ToArray', '(ToArray (ToStream False (MakeArray None (I32 1))))', '+Array[+Int32]'],
  ['ToStream of a dict: present entries', `(ToArray (ToStream False ${lit('Dict[String,Int32]', '[{"key":"a","value":null}]')}))`, '+Array[+Struct{key:+String,value:Int32}]'],
  ['ToSet', `(ToSet (ToStream False (MakeArray None (NA Int32))))`, '+Set[Int32]'],
  ['ToDict skips missing entries', `(ToDict (ToStream False (MakeArray None (NA Tuple[Int32,String]) (MakeTuple (0 1) (I32 1) (NA String)))))`, '+Dict[+Int32,String]'],
  ['ToDict: a missing key is a key', '(ToDict (ToStream False (MakeArray None (MakeTuple (0 1) (NA Int32) (I32 1)))))', '+Dict[Int32,+Int32]'],
  ['StreamRange', `(ToArray ${range(3)})`, '+Array[+Int32]'],
  ['StreamRange with a missing bound', '(ToArray (StreamRange 0 False (I32 0) (NA Int32) (I32 1)))', 'Array[+Int32]'],
  ['StreamMap', `(ToArray (StreamMap x ${range(3)} (MakeStruct (a (Ref x)) (b (NA Int32)))))`, '+Array[+Struct{a:+Int32,b:Int32}]'],
  ['StreamMap: its element binding may be missing', '(ToArray (StreamMap x (ToStream False (MakeArray None (NA Int32))) (Ref x)))', '+Array[Int32]'],
  ['StreamFilter', `(ToArray (StreamFilter x ${range(3)} (NA Boolean)))`, '+Array[+Int32]'],
  ['StreamFlatMap', `(ToArray (StreamFlatMap x ${range(3)} (ToStream False (MakeArray None (Ref x) (NA Int32)))))`, '+Array[Int32]'],
  ['StreamFold of present values', `(StreamFold acc x ${range(3)} (I32 0) (ApplyBinaryPrimOp Add (Ref acc) (Ref x)))`, '+Int32'],
  ['StreamFold: the fixpoint reaches a field two steps away', `(StreamFold acc x ${range(3)} (MakeStruct (a (I32 0)) (b (I32 0)) (c (I32 0))) (MakeStruct (a (NA Int32)) (b (GetField a (Ref acc))) (c (GetField b (Ref acc)))))`, '+Struct{a:Int32,b:Int32,c:Int32}'],
  ['StreamFold keeps what every step keeps', `(StreamFold acc x ${range(3)} (MakeStruct (a (I32 0)) (b (NA Int32))) (InsertFields (Ref acc) None (a (ApplyBinaryPrimOp Add (GetField a (Ref acc)) (Ref x)))))`, '+Struct{a:+Int32,b:Int32}'],
  ['StreamFold over a missing stream', `(StreamFold acc x (ToStream False (NA Array[Int32])) (I32 0) (Ref x))`, 'Int32'],
  ['StreamScan', `(ToArray (StreamScan acc x ${range(3)} (I32 0) (ApplyBinaryPrimOp Add (Ref acc) (Ref x))))`, '+Array[+Int32]'],
  ['StreamScan with a missing zero', `(ToArray (StreamScan acc x ${range(3)} (NA Int32) (Ref x)))`, '+Array[Int32]'],
  ['StreamLen', `(StreamLen ${range(3)})`, '+Int32'],
  ['StreamTake with a missing count', `(ToArray (StreamTake ${range(3)} (NA Int32)))`, 'Array[+Int32]'],
  ['StreamDrop', `(ToArray (StreamDrop ${range(3)} (I32 1)))`, '+Array[+Int32]'],
  ['StreamZip ExtendNA pads with missing', `(ToArray (StreamZip -1 ExtendNA (a b) ${range(3)} ${range(2)} (MakeTuple (0 1) (Ref a) (Ref b))))`, '+Array[+Tuple[Int32,Int32]]'],
  ['StreamZip TakeMinLength', `(ToArray (StreamZip -1 TakeMinLength (a b) ${range(3)} ${range(2)} (MakeTuple (0 1) (Ref a) (Ref b))))`, '+Array[+Tuple[+Int32,+Int32]]'],
  ['StreamZip with a missing stream', `(ToArray (StreamZip -1 TakeMinLength (a b) ${range(3)} (ToStream False (NA Array[Int32])) (Ref a)))`, 'Array[+Int32]'],
  ['ArraySort compares present elements only', `(ArraySort l r (ToStream False (MakeArray None (I32 2) (NA Int32))) (ApplyComparisonOp LT (Ref l) (Ref r)))`, '+Array[Int32]'],
  ['ArraySort: the comparator sees present elements', `(StreamFold acc x ${range(1)} (MakeArray Array[Boolean]) (ArraySort l r (ToStream False (MakeArray None (NA Boolean))) (IsNA (Ref l))))`, '+Array[Boolean]'],
  // aggregation
  ['StreamAgg: Count, Sum, Product never missing; Min, Max missing', `(StreamAgg x ${range(3)} (MakeStruct (n (ApplyAggOp Count () ())) (s (ApplyAggOp Sum () ((Cast Int64 (Ref x))))) (p (ApplyAggOp Product () ((Cast Float64 (Ref x))))) (lo (ApplyAggOp Min () ((Ref x)))) (hi (ApplyAggOp Max () ((Ref x))))))`, '+Struct{n:+Int64,s:+Int64,p:+Float64,lo:Int32,hi:Int32}'],
  ['Collect, CollectAsSet, Take, TakeBy: from their values', `(StreamAgg x ${range(3)} (MakeTuple (0 1 2 3) (ApplyAggOp Collect () ((Ref x))) (ApplyAggOp CollectAsSet () ((NA Int32))) (ApplyAggOp Take ((I32 2)) ((Ref x))) (ApplyAggOp TakeBy ((I32 2)) ((NA String) (Ref x)))))`, '+Tuple[+Array[+Int32],+Set[Int32],+Array[+Int32],+Array[String]]'],
  ['PrevNonnull: missing, its parts from its values', `(StreamAgg x ${range(3)} (ApplyAggOp PrevNonnull () ((MakeArray None (Ref x)))))`, 'Array[+Int32]'],
  ['StreamAgg over a missing stream', `(StreamAgg x (ToStream False (NA Array[Int32])) (ApplyAggOp Count () ()))`, 'Int64'],
  ['AggFilter, AggExplode, AggLet', `(StreamAgg x ${range(3)} (AggFilter False (True) (AggExplode y False (ToStream False (MakeArray None (Ref x))) (AggLet z False (Ref y) (ApplyAggOp Collect () ((Ref z)))))))`, '+Array[+Int32]'],
  ['AggGroupBy', `(StreamAgg x ${range(3)} (AggGroupBy False (NA Int32) (ApplyAggOp Max () ((Ref x)))))`, '+Dict[Int32,Int32]'],
  ['AggArrayPerElement with no length: missing when no array is seen', `(StreamAgg x ${range(3)} (AggArrayPerElement e i False False (MakeArray None (Ref x)) (ApplyAggOp Sum () ((Cast Int64 (Ref e))))))`, 'Array[+Int64]'],
  ['AggArrayPerElement with a known length', `(StreamAgg x ${range(3)} (AggArrayPerElement e i False True (MakeArray None (Ref x)) (MakeTuple (0 1) (Ref i) (ApplyAggOp Collect () ((Ref e)))) (I32 1)))`, '+Array[+Tuple[+Int32,+Array[+Int32]]]'],
  ['ApplyScanOp in TableMapRows', '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (s (ApplyScanOp Sum () ((Cast Int64 (GetField idx (Ref row)))))) (m (ApplyScanOp Max () ((GetField idx (Ref row)))))))', 'Table{global:+Struct{},key:[idx],row:+Struct{idx:+Int32,s:+Int64,m:Int32}}'],
  ['Let in the agg scope', `(StreamAgg x ${range(3)} (Let agg y (NA Int32) (ApplyAggOp Collect () ((Ref y)))))`, '+Array[Int32]'],
  // tables
  ['TableRange: idx never missing', '(TableRange 3 None)', 'Table{global:+Struct{},key:[idx],row:+Struct{idx:+Int32}}'],
  ['TableCount', '(TableCount (TableRange 3 None))', '+Int64'],
  ['TableParallelize: from its rows and global', table(lit('Array[Struct{a:Int32,b:String}]', '[{"a":1,"b":null}]'), '(MakeStruct (g (I32 1)))'), 'Table{global:+Struct{g:+Int32},key:[],row:+Struct{a:+Int32,b:String}}'],
  ['TableParallelize: a missing row is one of missing fields', table('(MakeArray None (NA Struct{a:Int32}) (MakeStruct (a (I32 1))))'), 'Table{global:+Struct{},key:[],row:+Struct{a:Int32}}'],
  ['TableMapRows: from its new row', '(TableMapRows (TableRange 3 None) (InsertFields (Ref row) None (y (NA Int32)) (z (GetField idx (Ref row)))))', 'Table{global:+Struct{},key:[idx],row:+Struct{idx:+Int32,y:Int32,z:+Int32}}'],
  ['TableMapRows: a missing new row', '(TableMapRows (TableRange 3 None) (If (NA Boolean) (Ref row) (Ref row)))', 'Table{global:+Struct{},key:[idx],row:+Struct{idx:Int32}}'],
  ['TableMapGlobals', '(TableMapGlobals (TableRange 3 None) (MakeStruct (g (NA Int32)) (h (I32 1))))', 'Table{global:+Struct{g:Int32,h:+Int32},key:[idx],row:+Struct{idx:+Int32}}'],
  ['TableMapGlobals: a missing global is one of missing fields', '(TableMapGlobals (TableRange 3 None) (NA Struct{g:Int32}))', 'Table{global:+Struct{g:Int32},key:[idx],row:+Struct{idx:+Int32}}'],
  ['TableFilter, TableHead, TableTail, TableDistinct, TableKeyBy, TableOrderBy keep their child\'s', '(TableOrderBy (Aidx) (TableKeyBy (idx) False (TableDistinct (TableTail 2 (TableHead 2 (TableFilter (TableRange 3 None) (NA Boolean)))))))', 'Table{global:+Struct{},key:[],row:+Struct{idx:+Int32}}'],
  ['TableRename', `(TableRename ("a") ("c") () () ${table(lit('Array[Struct{a:Int32,b:String}]', '[{"a":1,"b":null}]'))})`, 'Table{global:+Struct{},key:[],row:+Struct{c:+Int32,b:String}}'],
  ['TableCollect', '(TableCollect (TableRange 3 None))', '+Struct{rows:+Array[+Struct{idx:+Int32}],global:+Struct{}}'],
  ['TableGetGlobals', '(TableGetGlobals (TableMapGlobals (TableRange 3 None) (MakeStruct (g (NA Int32)))))', '+Struct{g:Int32}'],
  ['TableAggregate', '(TableAggregate (TableRange 3 None) (MakeStruct (n (ApplyAggOp Count () ())) (m (ApplyAggOp Max () ((GetField idx (Ref row)))))))', '+Struct{n:+Int64,m:Int32}'],
  ['TableAggregateByKey: keys from the child, values from the struct', '(TableAggregateByKey (TableRange 3 None) (MakeStruct (n (ApplyAggOp Count () ())) (m (ApplyAggOp Min () ((GetField idx (Ref row)))))))', 'Table{global:+Struct{},key:[idx],row:+Struct{idx:+Int32,n:+Int64,m:Int32}}'],
  ['TableKeyByAndAggregate', '(TableKeyByAndAggregate None 5 (TableRange 3 None) (MakeStruct (s (ApplyAggOp Sum () ((Cast Int64 (GetField idx (Ref row))))))) (MakeStruct (k (NA Int32))))', 'Table{global:+Struct{},key:[k],row:+Struct{k:Int32,s:+Int64}}'],
  ['TableJoin inner: a matched key is present', `(TableJoin inner 1 ${ab} ${optKey})`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Int32,a:+Int32,b:+String}}'],
  ['TableJoin inner: a matched key is present where either side\'s is', `(TableJoin inner 1 (TableKeyBy (k) False ${table(lit('Array[Struct{k:Array[Int32]}]', '[{"k":[1]}]'))}) (TableKeyBy (k) False ${table(lit('Array[Struct{k:Array[Int32],b:Int32}]', '[{"k":[null],"b":1},{"k":[1],"b":2}]'))}))`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Array[+Int32],b:+Int32}}'],
  ['TableJoin inner: a matched key is missing where both sides\' may be', `(TableJoin inner 1 (TableKeyBy (k) False ${table(lit('Array[Struct{k:Array[Int32]}]', '[{"k":[null]}]'))}) (TableKeyBy (k) False ${table(lit('Array[Struct{k:Array[Int32],b:Int32}]', '[{"k":[null],"b":1}]'))}))`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Array[Int32],b:+Int32}}'],
  ['TableJoin outer: unmatched keys as each side has them', `(TableJoin outer 1 (TableKeyBy (k) False ${table(lit('Array[Struct{k:Array[Int32]}]', '[{"k":[1]}]'))}) (TableKeyBy (k) False ${table(lit('Array[Struct{k:Array[Int32],b:Int32}]', '[{"k":[null],"b":1}]'))}))`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Array[Int32],b:Int32}}'],
  ['TableJoin left: the right side\'s fields may be missing', `(TableJoin left 1 ${ab} ${cd})`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Int32,a:+Int32,b:String}}'],
  ['TableJoin right: the key from the right', `(TableJoin right 1 ${ab} ${optKey})`, 'Table{global:+Struct{},key:[k],row:+Struct{k:Int32,a:Int32,b:+String}}'],
  ['TableJoin outer', `(TableJoin outer 1 ${ab} ${cd})`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Int32,a:Int32,b:String}}'],
  ['TableLeftJoinRightDistinct', `(TableLeftJoinRightDistinct r ${ab} ${cd})`, 'Table{global:+Struct{},key:[k],row:+Struct{k:+Int32,a:+Int32,r:Struct{b:+String}}}'],
  ['TableUnion joins its children\'s rows', `(TableUnion ${table(lit('Array[Struct{a:Int32}]', '[{"a":1}]'))} ${table(lit('Array[Struct{a:Int32}]', '[{"a":null}]'))})`, 'Table{global:+Struct{},key:[],row:+Struct{a:Int32}}'],
  ['TableExplode: the path present, its end an element', `(TableExplode ("s" "xs") ${table(lit('Array[Struct{s:Struct{xs:Array[Int32],y:Int32},z:Int32}]', '[{"s":null,"z":null},{"s":{"xs":[1],"y":null},"z":1}]'))})`, 'Table{global:+Struct{},key:[],row:+Struct{s:+Struct{xs:+Int32,y:Int32},z:Int32}}'],
  ['TableExplode: missing elements', `(TableExplode ("xs") ${table(lit('Array[Struct{xs:Array[Int32]}]', '[{"xs":[1,null]}]'))})`, 'Table{global:+Struct{},key:[],row:+Struct{xs:Int32}}'],
  ['RelationalLet and RelationalRef', '(RelationalLet n (MakeArray None (I32 1)) (RelationalRef n Array[Int32]))', '+Array[+Int32]'],
  ['RelationalLetTable', '(TableCollect (RelationalLetTable n (NA Int32) (TableMapRows (TableKeyBy () False (TableRange 1 None)) (MakeStruct (v (RelationalRef n Int32))))))', '+Struct{rows:+Array[+Struct{v:Int32}],global:+Struct{}}'],
  ['TableWrite returns Void', '(TableWrite "{\\"name\\":\\"ParquetWriter\\",\\"path\\":\\"/dev/null\\"}" (TableRange 1 None))', 'Void'],
  ['CollectDistributedArray', `(CollectDistributedArray s c g (ToStream False (MakeArray None (I32 1))) (MakeStruct (a (NA Int32))) (MakeStruct (x (Ref c)) (y (GetField a (Ref g)))) (Str "id"))`, '+Array[+Struct{x:+Int32,y:Int32}]'],
  ['CollectDistributedArray: a missing body', `(CollectDistributedArray s c g (ToStream False (MakeArray None (I32 1))) (MakeStruct) (NA Int32) (Str "id"))`, '+Array[Int32]'],
  ['Grad is missing where its body is', '(Let eval x (F64 1) (Grad x (Ref x)))', '+Float64'],
  ['Grad of a body that can be missing', '(Let eval x (F64 1) (Grad x (ApplyBinaryPrimOp Add (Ref x) (NA Float64))))', 'Float64'],
  ['Gradient: a present struct, its fields as the body', '(Let eval x (F64 1) (Gradient (x) (Ref x)))', '+Struct{x:+Float64}'],
  ['Gradient of a body that can be missing', '(Let eval x (F64 1) (Gradient (x) (ApplyBinaryPrimOp Add (Ref x) (NA Float64))))', '+Struct{x:Float64}'],
];

describe('requiredness: precision', () => {
  test.each(cases)('%s', (_what, program, expected) => {
    expect(marked(program)).toBe(expected);
  });

  test('every node kind is in the table', () => {
    const seen = new Set<Kind>();
    for (const [, program] of cases) forEachNode(parse(program), (n) => void seen.add(n.kind));
    const missing = allKinds.filter((k) => !seen.has(k) && k !== 'TableRead');
    expect(missing).toEqual([]);
  });
});

describe('requiredness: deep and large programs', () => {
  test('20,000 levels of nesting do not overflow the stack', () => {
    const depth = 20_000;
    const text = '(ApplyBinaryPrimOp Add (I32 1) '.repeat(depth) + '(I32 2)' + ')'.repeat(depth);
    expect(marked(text)).toBe('+Int32');
    expect(marked(text.replace('(I32 2)', '(NA Int32)'))).toBe('Int32');
  });

  test('3,000 nested folds reach their fixpoint without re-walking each loop per iteration', () => {
    // Each fold's zero is the accumulator of the fold around it; the innermost body makes `a`
    // missing and moves `a` into `b`, so every accumulator is lowered twice, from inside out.
    const depth = 3000;
    let text = '(MakeStruct (a (NA Int32)) (b (GetField a (Ref acc' + depth + '))))';
    for (let k = depth; k >= 1; k--) text = `(StreamFold acc${k} x${k} ${range(2)} ${k === 1 ? '(MakeStruct (a (I32 0)) (b (I32 0)))' : `(Ref acc${k - 1})`} ${text})`;
    expect(marked(text)).toBe('+Struct{a:Int32,b:Int32}');
  }, 30_000);

  test('a Let of 10,000 bindings, each read by the next', () => {
    const n = 10_000;
    const heads = Array.from({ length: n }, (_, i) => `eval v${i}`).join(' ');
    const values = Array.from({ length: n }, (_, i) => (i === 0 ? '(I32 0)' : `(ApplyBinaryPrimOp Add (Ref v${i - 1}) (I32 1))`)).join(' ');
    expect(marked(`(Let ${heads} ${values} (Ref v${n - 1}))`)).toBe('+Int32');
    expect(marked(`(Let ${heads} ${values.replace('(I32 0)', '(NA Int32)')} (Ref v${n - 1}))`)).toBe('Int32');
  });
});

describe('requiredness: queries', () => {
  const text = `(MakeStruct (a (MakeArray None (NA Int32))) (t (MakeTuple (0 3) (I32 1) ${lit('Dict[String,Int32]', '[{"key":"k","value":null}]')})))`;
  const ir = parse(text);
  const req = analyzeRequiredness(ir, typecheck(ir).types);

  test('isRequired and requiredAt', () => {
    expect(req.isRequired(ir)).toBe(true);
    expect(req.requiredAt(ir, [])).toBe(true);
    expect(req.requiredAt(ir, [{ field: 'a' }])).toBe(true);
    expect(req.requiredAt(ir, [{ field: 'a' }, 'element'])).toBe(false);
    expect(req.requiredAt(ir, [{ field: 't' }, { index: 0 }])).toBe(true);
    expect(req.requiredAt(ir, [{ field: 't' }, { index: 3 }, 'key'])).toBe(true);
    expect(req.requiredAt(ir, [{ field: 't' }, { index: 3 }, 'value'])).toBe(false);
    expect(() => req.requiredAt(ir, [{ field: 'nope' }])).toThrow(/no step/);
    expect(() => req.requiredAt(ir, [{ field: 't' }, { index: 1 }])).toThrow(/no step/);
  });

  test('tables: rows and globals; a renamed table answers by its own names', () => {
    const t = parse(`(TableRename ("a") ("z") () () ${table(lit('Array[Struct{a:Int32,b:String}]', '[{"a":1,"b":null}]'))})`);
    const r = analyzeRequiredness(t, typecheck(t).types);
    expect(r.isRequired(t)).toBe(true);
    expect(r.value(t)).toBeUndefined();
    expect(r.requiredAt(t, ['row', { field: 'z' }])).toBe(true);
    expect(r.requiredAt(t, ['row', { field: 'b' }])).toBe(false);
    expect(() => r.requiredAt(t, ['row', { field: 'a' }])).toThrow(/no step/);
    expect(r.table(t)).toEqual({ row: { required: true, fields: [{ required: true }, { required: false }] }, global: { required: true, fields: [] } });
  });

  test('a subtree shared by two places holds in both (its Ref reads both bindings)', () => {
    // (x + 1) stands under a Let binding x to 1 and under one binding x to NA: one node object.
    const shared = binary('Add', ref('x'), i32(1));
    const inner = makeStruct([['s', shared]]);
    const ir = makeTuple([let_([['x', i32(1)]], inner), let_([['x', na(TInt32)]], makeArray([inner]))]);
    const info = typecheck(ir);
    expect(info.diagnostics).toEqual([]);
    const r = analyzeRequiredness(ir, info.types);
    expect(r.isRequired(shared)).toBe(false);
    expect(r.requiredAt(inner, [{ field: 's' }])).toBe(false);
    expect(r.requiredAt(ir, [{ index: 0 }, { field: 's' }])).toBe(false);
    // Apart, the first place alone proves it.
    const alone = makeStruct([['s', binary('Add', ref('x'), i32(1))]]);
    const one = let_([['x', i32(1)]], alone);
    expect(analyzeRequiredness(one, typecheck(one).types).requiredAt(alone, [{ field: 's' }])).toBe(true);
  });

  test('the prepared program of a backend is analysed too', () => {
    // Folding makes the closed `(ApplyBinaryPrimOp Add (I32 1) (NA Int32))` an NA.
    const p = prepare(parse('(MakeStruct (a (ApplyBinaryPrimOp Add (I32 1) (NA Int32))) (b (I32 2)))'));
    const r = analyzeRequiredness(p.ir, p.types);
    expect(printRequiredType(p.types.get(p.ir) as never, r.value(p.ir)!)).toBe('+Struct{a:Int32,b:+Int32}');
  });
});

describe('requiredness: types read by position', () => {
  // The analysis reads each node's type from the checker's NodeTable by walk position, falling
  // back to a lookup where the walk is out of step (a subtree, a shared node, a plain Map).
  const text = `(TableAggregate (TableMapRows (TableRange 5 None) (InsertFields (Ref row) None (v (StreamFold acc x ${range(3)} (MakeStruct (s (NA Int32))) (MakeStruct (s (ApplyBinaryPrimOp Add (GetField s (Ref acc)) (Ref x)))))))) (ApplyAggOp Collect () ((GetField v (Ref row)))))`;
  const ir = parse(text);
  const info = typecheck(ir);
  const everyAnswer = (r: ReturnType<typeof analyzeRequiredness>, root = ir) => {
    const out: string[] = [];
    forEachNode(root, (n) => {
      const t = info.types.get(n)!;
      out.push(`${n.kind} ${isTableType(t) ? printRequiredTableType(t, r.table(n)!) : printRequiredType(t, r.value(n)!)}`);
    });
    return out;
  };

  test('the checker numbers nodes in the post-order of its walk', () => {
    const post: unknown[] = [];
    fold<null, null>(ir, null, { enter: () => null, leave: (n) => {
      post.push(n);
      return null;
    } });
    expect(info.types).toBeInstanceOf(NodeTable);
    expect((info.types as NodeTable<unknown>).nodeList).toEqual(post);
  });

  test('a plain Map of the same types gives the same answers', () => {
    const byTable = everyAnswer(analyzeRequiredness(ir, info.types));
    expect(byTable).toContain('StreamFold +Struct{s:Int32}');
    expect(everyAnswer(analyzeRequiredness(ir, new Map(info.types)))).toEqual(byTable);
    // In reverse insertion order, so no node is where a walk expects it.
    expect(everyAnswer(analyzeRequiredness(ir, new Map([...info.types].reverse())))).toEqual(byTable);
  });

  test('a subtree analysed alone, with the whole program\'s table', () => {
    const t = (ir as Extract<typeof ir, { kind: 'TableAggregate' }>).child;
    const r = analyzeRequiredness(t, info.types);
    expect(everyAnswer(r, t)).toEqual(everyAnswer(analyzeRequiredness(ir, info.types), t));
    expect(() => r.isRequired(ir)).toThrow(/not analysed/);
  });

  test('NodeTable is a Map keyed by node, in the order first set', () => {
    const [a, b, c] = [i32(1), i32(2), i32(3)];
    const m = new NodeTable<string>().set(a, 'a').set(b, 'b').set(a, 'A');
    expect(m.size).toBe(2);
    expect([m.get(a), m.get(b), m.get(c), m.has(b), m.has(c)]).toEqual(['A', 'b', undefined, true, false]);
    expect([m.indexOf(a), m.indexOf(b), m.indexOf(c)]).toEqual([0, 1, -1]);
    expect([m.at(b, 1), m.at(b, 0), m.at(c, 0)]).toEqual([1, 1, -1]);
    expect([...m]).toEqual([[a, 'A'], [b, 'b']]);
    expect([...m.keys()]).toEqual([a, b]);
    expect([...m.values()]).toEqual(['A', 'b']);
    const seen: string[] = [];
    m.forEach((v, k) => seen.push(`${v}${k === a ? 0 : 1}`));
    expect(seen).toEqual(['A0', 'b1']);
    expect(NodeTable.from(m)).toBe(m);
    expect([...NodeTable.from(new Map([[c, 'c']]))]).toEqual([[c, 'c']]);
  });
});
