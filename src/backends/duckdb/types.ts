// How IR types and values are represented in the emitted SQL, and how DuckDB's results come
// back as our values.
//
//   Struct{a,b}     -> STRUCT("a" ..., "b" ...), names made unique case-insensitively
//   Struct{}        -> BOOLEAN (TRUE): DuckDB has no empty struct
//   Tuple[T,U]      -> STRUCT("0" T, "1" U)
//   Array, Stream   -> T[]
//   Set[T]          -> T[], sorted by the total order, distinct, missing last
//   Dict[K,V]       -> STRUCT("key" K, "value" V)[], sorted by key: a MAP cannot hold a missing key
//
// Results are converted by the IR type, by position, never by DuckDB's names.

import type { DuckDBListValue, DuckDBStructValue, DuckDBValue } from '@duckdb/node-api';
import { InternalError } from '../../diagnostics/diagnostic.js';
import type { Type } from '../../ir/types.js';
import type { Value } from '../../ir/value.js';
import { literal, scalarType, sqlType, type Expr, type SqlType } from './sql.js';

/**
 * SQL names for `names`, in order: each name itself unless an earlier one equals it ignoring
 * case (DuckDB compares identifiers case-insensitively, even quoted), then `name_2`, `name_3`, ...
 */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    // A NUL cannot be quoted; the name only labels a position, so a stand-in is enough.
    // DuckDB has no empty struct field name either.
    const n = name === '' ? '_' : name.replace(/\u0000/g, '\u2400');
    let out = n;
    for (let k = 2; taken.has(out.toLowerCase()); k++) out = `${n}_${k}`;
    taken.add(out.toLowerCase());
    return out;
  });
}

const fieldNameCache = new WeakMap<Type, readonly string[]>();

/** The SQL field names of a struct or tuple type (tuples: "0", "1", ...). */
export function sqlFieldNames(t: Type): readonly string[] {
  let names = fieldNameCache.get(t);
  if (names === undefined) {
    if (t.kind === 'Struct') names = uniqueNames(t.fields.map((f) => f.name));
    else if (t.kind === 'Tuple') names = t.fields.map((f) => String(f.index));
    else throw new InternalError(`sqlFieldNames of ${t.kind}`);
    fieldNameCache.set(t, names);
  }
  return names;
}

/** Whether the struct (or tuple) type is stored as BOOLEAN because it has no fields. */
export function isEmptyRecord(t: Type): boolean {
  return (t.kind === 'Struct' || t.kind === 'Tuple') && t.fields.length === 0;
}

/** The SQL type that represents `t` in emitted queries. */
export function repType(t: Type): SqlType {
  switch (t.kind) {
    case 'Array':
    case 'Set':
    case 'Stream':
      return { kind: 'listType', element: repType(t.element) };
    case 'Dict':
      return {
        kind: 'listType',
        element: {
          kind: 'structType',
          fields: [
            { name: 'key', type: repType(t.key) },
            { name: 'value', type: repType(t.value) },
          ],
        },
      };
    case 'Struct':
    case 'Tuple': {
      if (t.fields.length === 0) return scalarType('BOOLEAN');
      const names = sqlFieldNames(t);
      return { kind: 'structType', fields: t.fields.map((f, i) => ({ name: names[i]!, type: repType(f.type) })) };
    }
    case 'Void':
      // Void values only exist to be ignored; a NULL BOOLEAN carries them.
      return scalarType('BOOLEAN');
    default:
      // Scalars are stored as they are.
      return sqlType(t);
  }
}

/** A value of type `t` as a SQL expression of its representation type. */
export function repLiteral(t: Type, v: Value): Expr {
  if (v === null) return { kind: 'null', type: repType(t) };
  switch (t.kind) {
    case 'Void':
      return { kind: 'null', type: repType(t) };
    case 'Array':
    case 'Set':
    case 'Stream':
      return { kind: 'cast', operand: { kind: 'list', items: (v as readonly Value[]).map((x) => repLiteral(t.element, x)) }, type: repType(t) };
    case 'Dict':
      return {
        kind: 'cast',
        operand: {
          kind: 'list',
          items: (v as readonly (readonly Value[])[]).map((p) => ({
            kind: 'struct',
            fields: [
              { name: 'key', value: repLiteral(t.key, p[0]!) },
              { name: 'value', value: repLiteral(t.value, p[1]!) },
            ],
          })),
        },
        type: repType(t),
      };
    case 'Struct':
    case 'Tuple': {
      if (t.fields.length === 0) return { kind: 'boolean', value: true };
      const names = sqlFieldNames(t);
      const vs = v as readonly Value[];
      return {
        kind: 'cast',
        operand: { kind: 'struct', fields: t.fields.map((f, i) => ({ name: names[i]!, value: repLiteral(f.type, vs[i]!) })) },
        type: repType(t),
      };
    }
    default:
      return literal(t, v);
  }
}

type FromDuck = (v: DuckDBValue) => Value;

/** Converts DuckDB's value of the representation of `t` to our value. */
export function fromDuck(t: Type): FromDuck {
  const bad = (v: DuckDBValue): never => {
    throw new InternalError(`DuckDB returned ${String(v)} for a value of type ${t.kind}`);
  };
  const orNull =
    (f: FromDuck): FromDuck =>
    (v) =>
      v === null ? null : f(v);
  switch (t.kind) {
    case 'Void':
      return () => null;
    case 'Boolean':
      return orNull((v) => (typeof v === 'boolean' ? v : bad(v)));
    case 'Int32':
    case 'Float64':
      return orNull((v) => (typeof v === 'number' ? v : bad(v)));
    case 'Float32':
      return orNull((v) => (typeof v === 'number' ? Math.fround(v) : bad(v)));
    case 'Int64':
      return orNull((v) => (typeof v === 'bigint' ? v : bad(v)));
    case 'String':
      return orNull((v) => (typeof v === 'string' ? v : bad(v)));
    case 'Array':
    case 'Set':
    case 'Stream': {
      const e = fromDuck(t.element);
      return orNull((v) => (v as DuckDBListValue).items.map(e));
    }
    case 'Dict': {
      const k = fromDuck(t.key);
      const val = fromDuck(t.value);
      return orNull((v) =>
        (v as DuckDBListValue).items.map((p) => {
          const e = (p as DuckDBStructValue).entries;
          return [k(e['key'] ?? null), val(e['value'] ?? null)];
        }),
      );
    }
    case 'Struct':
    case 'Tuple': {
      if (t.fields.length === 0) return orNull(() => []);
      const names = sqlFieldNames(t);
      const fs = t.fields.map((f) => fromDuck(f.type));
      return orNull((v) => {
        const entries = (v as DuckDBStructValue).entries;
        return names.map((n, i) => fs[i]!(entries[n] ?? null));
      });
    }
  }
}
