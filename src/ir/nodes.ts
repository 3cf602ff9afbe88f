// Every value and table node of the spec, as readonly tagged unions.
// Children are named fields typed with the narrowest union; `children.ts` lists them in
// printed order. Header attributes (names, types, flags) are plain data.

import type { TableType, Type, ArrayType } from './types.js';
import type { Value } from './value.js';

/** A half-open range of UTF-16 offsets into the source text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

interface Base {
  /** Where the node was parsed from; absent on nodes built by passes. Ignored by equality. */
  readonly span?: Span;
}

export type Scope = 'eval' | 'agg' | 'scan';

export const binaryOps = [
  'Add',
  'Subtract',
  'Multiply',
  'FloatingPointDivide',
  'RoundToNegInfDivide',
  'BitAnd',
  'BitOr',
  'BitXOr',
  'LeftShift',
  'RightShift',
  'LogicalRightShift',
] as const;
export type BinaryOp = (typeof binaryOps)[number];

export const unaryOps = ['Negate', 'Bang', 'BitNot', 'BitCount'] as const;
export type UnaryOp = (typeof unaryOps)[number];

export const comparisonOps = ['EQ', 'NEQ', 'LT', 'LTEQ', 'GT', 'GTEQ', 'Compare', 'EQWithNA', 'NEQWithNA'] as const;
export type ComparisonOp = (typeof comparisonOps)[number];

export const aggOps = [
  'Count',
  'Sum',
  'Product',
  'Min',
  'Max',
  'Collect',
  'CollectAsSet',
  'Take',
  'TakeBy',
  'PrevNonnull',
] as const;
export type AggOp = (typeof aggOps)[number];

export const zipBehaviors = ['AssertSameLength', 'TakeMinLength', 'ExtendNA', 'AssumeSameLength'] as const;
export type ZipBehavior = (typeof zipBehaviors)[number];

export const joinTypes = ['inner', 'left', 'right', 'outer'] as const;
export type JoinType = (typeof joinTypes)[number];

export interface NamedValue {
  readonly name: string;
  readonly value: ValueIR;
}
export interface Binding {
  readonly scope: Scope;
  readonly name: string;
  readonly value: ValueIR;
}
export interface SortField {
  readonly field: string;
  readonly order: 'A' | 'D';
}

// ---- readers and writers [ext] -------------------------------------------------------------

export type TableReader =
  | { readonly name: 'DuckDBTableReader'; readonly table: string }
  | { readonly name: 'ParquetReader'; readonly paths: readonly string[] }
  | { readonly name: 'CSVReader'; readonly paths: readonly string[] };

export type TableWriter =
  | { readonly name: 'ParquetWriter'; readonly path: string }
  | { readonly name: 'DuckDBTableWriter'; readonly table: string };

// ---- value nodes -----------------------------------------------------------------------------

export interface I32 extends Base { readonly kind: 'I32'; readonly value: number }
export interface I64 extends Base { readonly kind: 'I64'; readonly value: bigint }
export interface F32 extends Base { readonly kind: 'F32'; readonly value: number }
export interface F64 extends Base { readonly kind: 'F64'; readonly value: number }
export interface Str extends Base { readonly kind: 'Str'; readonly value: string }
export interface True extends Base { readonly kind: 'True' }
export interface False extends Base { readonly kind: 'False' }
export interface Void extends Base { readonly kind: 'Void' }
export interface NA extends Base { readonly kind: 'NA'; readonly type: Type }
export interface Literal extends Base { readonly kind: 'Literal'; readonly type: Type; readonly value: Value }
export interface Cast extends Base { readonly kind: 'Cast'; readonly type: Type; readonly value: ValueIR }
export interface IsNA extends Base { readonly kind: 'IsNA'; readonly value: ValueIR }
export interface Coalesce extends Base { readonly kind: 'Coalesce'; readonly values: readonly ValueIR[] }
export interface If extends Base {
  readonly kind: 'If';
  readonly cond: ValueIR;
  readonly then: ValueIR;
  readonly else: ValueIR;
}
export interface Switch extends Base {
  readonly kind: 'Switch';
  readonly x: ValueIR;
  readonly default: ValueIR;
  readonly cases: readonly ValueIR[];
}
/** `Let` and Hail's `Block`: sequential bindings, each in a scope. */
export interface Let extends Base {
  readonly kind: 'Let';
  readonly bindings: readonly Binding[];
  readonly body: ValueIR;
}
export interface AggLet extends Base {
  readonly kind: 'AggLet';
  readonly name: string;
  readonly isScan: boolean;
  readonly value: ValueIR;
  readonly body: ValueIR;
}
export interface Ref extends Base { readonly kind: 'Ref'; readonly name: string }
export interface ApplyBinaryPrimOp extends Base {
  readonly kind: 'ApplyBinaryPrimOp';
  readonly op: BinaryOp;
  readonly l: ValueIR;
  readonly r: ValueIR;
}
export interface ApplyUnaryPrimOp extends Base {
  readonly kind: 'ApplyUnaryPrimOp';
  readonly op: UnaryOp;
  readonly x: ValueIR;
}
export interface ApplyComparisonOp extends Base {
  readonly kind: 'ApplyComparisonOp';
  readonly op: ComparisonOp;
  readonly l: ValueIR;
  readonly r: ValueIR;
}
export interface MakeStruct extends Base { readonly kind: 'MakeStruct'; readonly fields: readonly NamedValue[] }
export interface InsertFields extends Base {
  readonly kind: 'InsertFields';
  readonly old: ValueIR;
  readonly fieldOrder: readonly string[] | null;
  readonly fields: readonly NamedValue[];
}
export interface SelectFields extends Base {
  readonly kind: 'SelectFields';
  readonly fields: readonly string[];
  readonly old: ValueIR;
}
export interface GetField extends Base { readonly kind: 'GetField'; readonly name: string; readonly o: ValueIR }
export interface MakeTuple extends Base {
  readonly kind: 'MakeTuple';
  readonly indices: readonly number[];
  readonly values: readonly ValueIR[];
}
export interface GetTupleElement extends Base { readonly kind: 'GetTupleElement'; readonly index: number; readonly o: ValueIR }
export interface MakeArray extends Base {
  readonly kind: 'MakeArray';
  readonly type: ArrayType | null;
  readonly values: readonly ValueIR[];
}
export interface ArrayRef extends Base {
  readonly kind: 'ArrayRef';
  readonly errorId: number;
  readonly a: ValueIR;
  readonly i: ValueIR;
}
export interface ArrayLen extends Base { readonly kind: 'ArrayLen'; readonly a: ValueIR }
export interface ArraySort extends Base {
  readonly kind: 'ArraySort';
  readonly left: string;
  readonly right: string;
  readonly a: ValueIR;
  readonly lessThan: ValueIR;
}
export interface ToArray extends Base { readonly kind: 'ToArray'; readonly a: ValueIR }
export interface ToStream extends Base {
  readonly kind: 'ToStream';
  readonly requiresMemoryManagement: boolean;
  readonly a: ValueIR;
}
export interface ToSet extends Base { readonly kind: 'ToSet'; readonly a: ValueIR }
export interface ToDict extends Base { readonly kind: 'ToDict'; readonly a: ValueIR }
export interface StreamRange extends Base {
  readonly kind: 'StreamRange';
  readonly errorId: number;
  readonly requiresMemoryManagement: boolean;
  readonly start: ValueIR;
  readonly stop: ValueIR;
  readonly step: ValueIR;
}
export interface StreamMap extends Base {
  readonly kind: 'StreamMap';
  readonly name: string;
  readonly a: ValueIR;
  readonly body: ValueIR;
}
export interface StreamFilter extends Base {
  readonly kind: 'StreamFilter';
  readonly name: string;
  readonly a: ValueIR;
  readonly cond: ValueIR;
}
export interface StreamFlatMap extends Base {
  readonly kind: 'StreamFlatMap';
  readonly name: string;
  readonly a: ValueIR;
  readonly body: ValueIR;
}
export interface StreamFold extends Base {
  readonly kind: 'StreamFold';
  readonly accum: string;
  readonly name: string;
  readonly a: ValueIR;
  readonly zero: ValueIR;
  readonly body: ValueIR;
}
export interface StreamScan extends Base {
  readonly kind: 'StreamScan';
  readonly accum: string;
  readonly name: string;
  readonly a: ValueIR;
  readonly zero: ValueIR;
  readonly body: ValueIR;
}
export interface StreamLen extends Base { readonly kind: 'StreamLen'; readonly a: ValueIR }
export interface StreamTake extends Base { readonly kind: 'StreamTake'; readonly a: ValueIR; readonly num: ValueIR }
export interface StreamDrop extends Base { readonly kind: 'StreamDrop'; readonly a: ValueIR; readonly num: ValueIR }
export interface StreamZip extends Base {
  readonly kind: 'StreamZip';
  readonly errorId: number;
  readonly behavior: ZipBehavior;
  readonly names: readonly string[];
  readonly streams: readonly ValueIR[];
  readonly body: ValueIR;
}
export interface StreamAgg extends Base {
  readonly kind: 'StreamAgg';
  readonly name: string;
  readonly a: ValueIR;
  readonly query: ValueIR;
}
export interface ApplyAggOp extends Base {
  readonly kind: 'ApplyAggOp';
  readonly op: AggOp;
  readonly initArgs: readonly ValueIR[];
  readonly seqArgs: readonly ValueIR[];
}
export interface ApplyScanOp extends Base {
  readonly kind: 'ApplyScanOp';
  readonly op: AggOp;
  readonly initArgs: readonly ValueIR[];
  readonly seqArgs: readonly ValueIR[];
}
export interface AggFilter extends Base {
  readonly kind: 'AggFilter';
  readonly isScan: boolean;
  readonly cond: ValueIR;
  readonly agg: ValueIR;
}
export interface AggExplode extends Base {
  readonly kind: 'AggExplode';
  readonly name: string;
  readonly isScan: boolean;
  readonly array: ValueIR;
  readonly agg: ValueIR;
}
export interface AggGroupBy extends Base {
  readonly kind: 'AggGroupBy';
  readonly isScan: boolean;
  readonly key: ValueIR;
  readonly agg: ValueIR;
}
export interface AggArrayPerElement extends Base {
  readonly kind: 'AggArrayPerElement';
  readonly elementName: string;
  readonly indexName: string;
  readonly isScan: boolean;
  readonly a: ValueIR;
  readonly agg: ValueIR;
  readonly knownLength: ValueIR | null;
}
export interface Apply extends Base {
  readonly kind: 'Apply';
  readonly errorId: number;
  readonly fn: string;
  readonly typeArgs: readonly Type[];
  readonly returnType: Type;
  readonly args: readonly ValueIR[];
}
export interface Die extends Base {
  readonly kind: 'Die';
  readonly type: Type;
  readonly errorId: number;
  readonly message: ValueIR;
}
export interface TableCount extends Base { readonly kind: 'TableCount'; readonly child: TableIR }
export interface TableAggregate extends Base {
  readonly kind: 'TableAggregate';
  readonly child: TableIR;
  readonly query: ValueIR;
}
export interface TableCollect extends Base { readonly kind: 'TableCollect'; readonly child: TableIR }
export interface TableGetGlobals extends Base { readonly kind: 'TableGetGlobals'; readonly child: TableIR }
export interface TableWrite extends Base {
  readonly kind: 'TableWrite';
  readonly writer: TableWriter;
  readonly child: TableIR;
}
export interface RelationalLet extends Base {
  readonly kind: 'RelationalLet';
  readonly name: string;
  readonly value: ValueIR;
  readonly body: ValueIR;
}
export interface RelationalRef extends Base { readonly kind: 'RelationalRef'; readonly name: string; readonly type: Type }
export interface CollectDistributedArray extends Base {
  readonly kind: 'CollectDistributedArray';
  readonly staticId: string;
  readonly contextName: string;
  readonly globalName: string;
  readonly contexts: ValueIR;
  readonly globals: ValueIR;
  readonly body: ValueIR;
  readonly dynamicId: ValueIR;
}
export interface Grad extends Base { readonly kind: 'Grad'; readonly name: string; readonly body: ValueIR }
export interface Gradient extends Base {
  readonly kind: 'Gradient';
  readonly names: readonly string[];
  readonly body: ValueIR;
}

export type ValueIR =
  | I32 | I64 | F32 | F64 | Str | True | False | Void | NA | Literal
  | Cast | IsNA | Coalesce | If | Switch | Let | AggLet | Ref
  | ApplyBinaryPrimOp | ApplyUnaryPrimOp | ApplyComparisonOp
  | MakeStruct | InsertFields | SelectFields | GetField | MakeTuple | GetTupleElement
  | MakeArray | ArrayRef | ArrayLen | ArraySort | ToArray | ToStream | ToSet | ToDict
  | StreamRange | StreamMap | StreamFilter | StreamFlatMap | StreamFold | StreamScan
  | StreamLen | StreamTake | StreamDrop | StreamZip | StreamAgg
  | ApplyAggOp | ApplyScanOp | AggFilter | AggExplode | AggGroupBy | AggArrayPerElement
  | Apply | Die
  | TableCount | TableAggregate | TableCollect | TableGetGlobals | TableWrite
  | RelationalLet | RelationalRef | CollectDistributedArray | Grad | Gradient;

// ---- table nodes -----------------------------------------------------------------------------

export interface TableRange extends Base {
  readonly kind: 'TableRange';
  readonly n: number;
  readonly nPartitions: number | null;
}
export interface TableRead extends Base {
  readonly kind: 'TableRead';
  readonly type: TableType | null;
  readonly dropRows: boolean;
  readonly reader: TableReader;
}
export interface TableParallelize extends Base {
  readonly kind: 'TableParallelize';
  readonly nPartitions: number | null;
  readonly rowsAndGlobal: ValueIR;
}
export interface TableFilter extends Base { readonly kind: 'TableFilter'; readonly child: TableIR; readonly pred: ValueIR }
export interface TableMapRows extends Base { readonly kind: 'TableMapRows'; readonly child: TableIR; readonly newRow: ValueIR }
export interface TableMapGlobals extends Base {
  readonly kind: 'TableMapGlobals';
  readonly child: TableIR;
  readonly newGlobal: ValueIR;
}
export interface TableKeyBy extends Base {
  readonly kind: 'TableKeyBy';
  readonly keys: readonly string[];
  readonly isSorted: boolean;
  readonly nPartitions: number | null;
  readonly child: TableIR;
}
export interface TableOrderBy extends Base {
  readonly kind: 'TableOrderBy';
  readonly sortFields: readonly SortField[];
  readonly child: TableIR;
}
export interface TableAggregateByKey extends Base {
  readonly kind: 'TableAggregateByKey';
  readonly child: TableIR;
  readonly expr: ValueIR;
}
export interface TableKeyByAndAggregate extends Base {
  readonly kind: 'TableKeyByAndAggregate';
  readonly nPartitions: number | null;
  readonly bufferSize: number;
  readonly child: TableIR;
  readonly expr: ValueIR;
  readonly newKey: ValueIR;
}
export interface TableJoin extends Base {
  readonly kind: 'TableJoin';
  readonly joinType: JoinType;
  readonly joinKey: number;
  readonly left: TableIR;
  readonly right: TableIR;
}
export interface TableLeftJoinRightDistinct extends Base {
  readonly kind: 'TableLeftJoinRightDistinct';
  readonly root: string;
  readonly left: TableIR;
  readonly right: TableIR;
}
export interface TableUnion extends Base { readonly kind: 'TableUnion'; readonly children: readonly TableIR[] }
export interface TableHead extends Base { readonly kind: 'TableHead'; readonly n: bigint; readonly child: TableIR }
export interface TableTail extends Base { readonly kind: 'TableTail'; readonly n: bigint; readonly child: TableIR }
export interface TableExplode extends Base {
  readonly kind: 'TableExplode';
  readonly path: readonly string[];
  readonly child: TableIR;
}
export interface TableDistinct extends Base { readonly kind: 'TableDistinct'; readonly child: TableIR }
export interface TableRename extends Base {
  readonly kind: 'TableRename';
  /** old name -> new name, in the order written. */
  readonly rowMap: readonly (readonly [string, string])[];
  readonly globalMap: readonly (readonly [string, string])[];
  readonly child: TableIR;
}
export interface RelationalLetTable extends Base {
  readonly kind: 'RelationalLetTable';
  readonly name: string;
  readonly value: ValueIR;
  readonly body: TableIR;
}

export type TableIR =
  | TableRange | TableRead | TableParallelize | TableFilter | TableMapRows | TableMapGlobals
  | TableKeyBy | TableOrderBy | TableAggregateByKey | TableKeyByAndAggregate | TableJoin
  | TableLeftJoinRightDistinct | TableUnion | TableHead | TableTail | TableExplode
  | TableDistinct | TableRename | RelationalLetTable;

export type IR = ValueIR | TableIR;
export type Kind = IR['kind'];
export type ValueKind = ValueIR['kind'];
export type TableKind = TableIR['kind'];
export type NodeOf<K extends Kind> = Extract<IR, { kind: K }>;

const tableKindSet: ReadonlySet<string> = new Set<TableKind>([
  'TableRange', 'TableRead', 'TableParallelize', 'TableFilter', 'TableMapRows', 'TableMapGlobals',
  'TableKeyBy', 'TableOrderBy', 'TableAggregateByKey', 'TableKeyByAndAggregate', 'TableJoin',
  'TableLeftJoinRightDistinct', 'TableUnion', 'TableHead', 'TableTail', 'TableExplode',
  'TableDistinct', 'TableRename', 'RelationalLetTable',
]);

export function isTableIR(ir: IR): ir is TableIR {
  return tableKindSet.has(ir.kind);
}
export function isTableKind(kind: string): kind is TableKind {
  return tableKindSet.has(kind);
}

/** Kinds whose value depends on the enclosing aggregation (or scan), not only on their children. */
export const AGG_KINDS: ReadonlySet<Kind> = new Set<Kind>(['ApplyAggOp', 'ApplyScanOp', 'AggFilter', 'AggExplode', 'AggGroupBy', 'AggArrayPerElement', 'AggLet']);

/** The value of a constant leaf (a literal, NA, True, ...); undefined when `n` is not one. */
export function constantValue(n: IR): Value | undefined {
  switch (n.kind) {
    case 'True':
      return true;
    case 'False':
      return false;
    case 'I32':
    case 'I64':
    case 'F32':
    case 'F64':
    case 'Str':
      return n.value;
    case 'NA':
    case 'Void':
      // (The one Void value carries nothing: it is null, as a missing value is.)
      return null;
    case 'Literal':
      return n.value;
    default:
      return undefined;
  }
}

/**
 * How an ArraySort whose comparator is `<` or `>` of its two elements orders them (a total
 * order both backends sort by directly); undefined for any other comparator (semantics.md §6).
 */
export function plainSortOrder(n: Extract<IR, { kind: 'ArraySort' }>): 'ASC' | 'DESC' | undefined {
  const lt = n.lessThan;
  if (lt.kind !== 'ApplyComparisonOp' || (lt.op !== 'LT' && lt.op !== 'GT') || lt.l.kind !== 'Ref' || lt.r.kind !== 'Ref' || n.left === n.right) return undefined;
  const forward = lt.l.name === n.left && lt.r.name === n.right;
  const backward = lt.l.name === n.right && lt.r.name === n.left;
  if (!forward && !backward) return undefined;
  return (lt.op === 'GT') === forward ? 'DESC' : 'ASC';
}

export function assertNever(x: never): never {
  throw new Error(`unexpected node: ${JSON.stringify((x as { kind?: unknown }).kind ?? x)}`);
}
