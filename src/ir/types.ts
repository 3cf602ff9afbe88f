// Value types and the table type of the IR (spec: "Types").
// Types are plain readonly data; primitive types are shared singletons.

export type PrimitiveKind = 'Boolean' | 'Int32' | 'Int64' | 'Float32' | 'Float64' | 'String' | 'Void';

export interface PrimitiveType {
  readonly kind: PrimitiveKind;
}
export interface ArrayType {
  readonly kind: 'Array';
  readonly element: Type;
}
export interface StreamType {
  readonly kind: 'Stream';
  readonly element: Type;
}
export interface SetType {
  readonly kind: 'Set';
  readonly element: Type;
}
export interface DictType {
  readonly kind: 'Dict';
  readonly key: Type;
  readonly value: Type;
}
export interface TupleField {
  readonly index: number;
  readonly type: Type;
}
export interface TupleType {
  readonly kind: 'Tuple';
  readonly fields: readonly TupleField[];
}
export interface StructField {
  readonly name: string;
  readonly type: Type;
}
export interface StructType {
  readonly kind: 'Struct';
  readonly fields: readonly StructField[];
}

export type Type = PrimitiveType | ArrayType | StreamType | SetType | DictType | TupleType | StructType;
export type ContainerType = ArrayType | StreamType | SetType;

export interface TableType {
  readonly global: StructType;
  readonly key: readonly string[];
  readonly row: StructType;
}

export const TBoolean: PrimitiveType = { kind: 'Boolean' };
export const TInt32: PrimitiveType = { kind: 'Int32' };
export const TInt64: PrimitiveType = { kind: 'Int64' };
export const TFloat32: PrimitiveType = { kind: 'Float32' };
export const TFloat64: PrimitiveType = { kind: 'Float64' };
export const TString: PrimitiveType = { kind: 'String' };
export const TVoid: PrimitiveType = { kind: 'Void' };

const primitives: Record<PrimitiveKind, PrimitiveType> = {
  Boolean: TBoolean,
  Int32: TInt32,
  Int64: TInt64,
  Float32: TFloat32,
  Float64: TFloat64,
  String: TString,
  Void: TVoid,
};

export function primitive(kind: PrimitiveKind): PrimitiveType {
  return primitives[kind];
}

export const tArray = (element: Type): ArrayType => ({ kind: 'Array', element });
export const tStream = (element: Type): StreamType => ({ kind: 'Stream', element });
export const tSet = (element: Type): SetType => ({ kind: 'Set', element });
export const tDict = (key: Type, value: Type): DictType => ({ kind: 'Dict', key, value });
export const tTuple = (types: readonly Type[]): TupleType => ({
  kind: 'Tuple',
  fields: types.map((type, index) => ({ index, type })),
});
export const tTupleFields = (fields: readonly TupleField[]): TupleType => ({ kind: 'Tuple', fields });
export const tStruct = (fields: readonly (readonly [string, Type])[]): StructType => ({
  kind: 'Struct',
  fields: fields.map(([name, type]) => ({ name, type })),
});
export const emptyStruct: StructType = { kind: 'Struct', fields: [] };

export function isPrimitive(t: Type): t is PrimitiveType {
  return t.kind in primitives;
}
export function isNumeric(t: Type): boolean {
  return t.kind === 'Int32' || t.kind === 'Int64' || t.kind === 'Float32' || t.kind === 'Float64';
}
export function isIntegral(t: Type): boolean {
  return t.kind === 'Int32' || t.kind === 'Int64';
}
export function isFloating(t: Type): boolean {
  return t.kind === 'Float32' || t.kind === 'Float64';
}
export function isContainer(t: Type): t is ContainerType {
  return t.kind === 'Array' || t.kind === 'Stream' || t.kind === 'Set';
}

/** Element type of an iterable (Array, Stream, Set; a Dict iterates `Struct{key,value}`). */
export function elementType(t: Type): Type | undefined {
  switch (t.kind) {
    case 'Array':
    case 'Stream':
    case 'Set':
      return t.element;
    case 'Dict':
      return tStruct([
        ['key', t.key],
        ['value', t.value],
      ]);
    default:
      return undefined;
  }
}

export function fieldIndex(t: StructType, name: string): number {
  return t.fields.findIndex((f) => f.name === name);
}
export function fieldType(t: StructType, name: string): Type | undefined {
  return t.fields.find((f) => f.name === name)?.type;
}
export function tupleFieldType(t: TupleType, index: number): Type | undefined {
  return t.fields.find((f) => f.index === index)?.type;
}

/** Structural type equality. Iterative so deeply nested types cannot overflow the stack. */
export function typeEqual(a: Type, b: Type): boolean {
  const stack: [Type, Type][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (x.kind !== y.kind) return false;
    switch (x.kind) {
      case 'Array':
      case 'Stream':
      case 'Set':
        stack.push([x.element, (y as typeof x).element]);
        break;
      case 'Dict': {
        const d = y as DictType;
        stack.push([x.key, d.key], [x.value, d.value]);
        break;
      }
      case 'Tuple': {
        const t = y as TupleType;
        if (x.fields.length !== t.fields.length) return false;
        for (let i = 0; i < x.fields.length; i++) {
          if (x.fields[i]!.index !== t.fields[i]!.index) return false;
          stack.push([x.fields[i]!.type, t.fields[i]!.type]);
        }
        break;
      }
      case 'Struct': {
        const s = y as StructType;
        if (x.fields.length !== s.fields.length) return false;
        for (let i = 0; i < x.fields.length; i++) {
          if (x.fields[i]!.name !== s.fields[i]!.name) return false;
          stack.push([x.fields[i]!.type, s.fields[i]!.type]);
        }
        break;
      }
      default:
        break;
    }
  }
  return true;
}

export function tableTypeEqual(a: TableType, b: TableType): boolean {
  return (
    a.key.length === b.key.length &&
    a.key.every((k, i) => k === b.key[i]) &&
    typeEqual(a.row, b.row) &&
    typeEqual(a.global, b.global)
  );
}

/** The key fields of a table as a struct (the row restricted to the key, in key order). */
export function keyType(t: TableType): StructType {
  return tStruct(t.key.map((k) => [k, fieldType(t.row, k)!] as const));
}

/** True when the tuple's field indices are 0..n-1, so it prints as `Tuple[...]`. */
export function isDenseTuple(t: TupleType): boolean {
  return t.fields.every((f, i) => f.index === i);
}

// ---- requiredness ---------------------------------------------------------------------------------

/**
 * Whether a value of some type can be missing, for the value itself and for every part inside it,
 * in the type's shape (Hail's TypeWithRequiredness): `element` for arrays, sets and streams,
 * `key` and `value` for dicts, `fields` in field order for structs and tuples. `required` means
 * never missing. Computed by src/passes/requiredness.ts.
 */
export interface Req {
  readonly required: boolean;
  readonly element?: Req;
  readonly key?: Req;
  readonly value?: Req;
  readonly fields?: readonly Req[];
}

/** A table's requiredness: its row's fields and its global's (a row or global is never missing). */
export interface TableReq {
  readonly row: Req;
  readonly global: Req;
}
