// Strict mode: every value a node produces must have the node's inferred type, in the
// representation of src/ir/value.ts. Catches a wrong representation at the node that made it.

import { InternalError } from '../../diagnostics/diagnostic.js';
import type { IR } from '../../ir/nodes.js';
import { printType } from '../../ir/print.js';
import type { Type } from '../../ir/types.js';
import { compareValues, INT64_MAX, INT64_MIN, type Value } from '../../ir/value.js';
import type { AnyType } from '../../passes/typecheck.js';

/** Why `v` is not a value of type `t`, or null when it is. */
export function nonconformity(t: Type, v: unknown): string | null {
  if (v === null) return null;
  switch (t.kind) {
    case 'Boolean':
      return typeof v === 'boolean' ? null : 'not a boolean';
    case 'Int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? null : 'not an Int32';
    case 'Int64':
      return typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX ? null : 'not an Int64 (bigint)';
    case 'Float32':
      return typeof v === 'number' && (Number.isNaN(v) || Math.fround(v) === v) ? null : 'not a Float32';
    case 'Float64':
      return typeof v === 'number' ? null : 'not a Float64';
    case 'String':
      return typeof v === 'string' ? null : 'not a string';
    case 'Void':
      return 'Void has no present value';
    case 'Stream':
      return typeof v === 'object' && Symbol.iterator in (v as object) ? null : 'not a stream';
    case 'Array':
      return Array.isArray(v) ? first(v.map((x) => nonconformity(t.element, x))) : 'not an array';
    case 'Set': {
      if (!Array.isArray(v)) return 'not a set';
      for (let i = 1; i < v.length; i++) if (compareValues(t.element, v[i - 1], v[i]) >= 0) return 'set not sorted or has duplicates';
      return first(v.map((x) => nonconformity(t.element, x)));
    }
    case 'Dict': {
      if (!Array.isArray(v)) return 'not a dict';
      for (let i = 0; i < v.length; i++) {
        const p = v[i] as unknown;
        if (!Array.isArray(p) || p.length !== 2) return 'dict entry is not a pair';
        if (i > 0 && compareValues(t.key, (v[i - 1] as Value[])[0]!, p[0] as Value) >= 0) return 'dict keys not sorted or repeated';
        const bad = nonconformity(t.key, p[0]) ?? nonconformity(t.value, p[1]);
        if (bad) return bad;
      }
      return null;
    }
    case 'Tuple':
    case 'Struct': {
      if (!Array.isArray(v) || v.length !== t.fields.length) return `not a ${t.kind.toLowerCase()} of ${t.fields.length} fields`;
      return first(t.fields.map((f, i) => nonconformity(f.type, v[i])));
    }
  }
}

function first(xs: (string | null)[]): string | null {
  return xs.find((x) => x !== null) ?? null;
}

/** A checker for `compile`'s `check` option. */
export function strictChecker(types: ReadonlyMap<IR, AnyType>) {
  return (node: IR, v: unknown): void => {
    const t = types.get(node);
    if (t === undefined || !('kind' in t)) return; // tables are checked through their rows' consumers
    const bad = nonconformity(t, v);
    if (bad !== null) throw new InternalError(`strict mode: ${node.kind} produced a value that is ${bad} (type ${printType(t)})`);
  };
}
